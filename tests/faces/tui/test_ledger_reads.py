"""The Ledger pane reads the ledger once when first shown, and keys typed before that read has
arrived (`8d` in one burst, as over SSH) act on the list once it is there."""

from __future__ import annotations

import time

from textual import events

from hotpass_tui.screens.approval import ApprovalModal
from tests.faces.tui.conftest import make_app, press, screen_text, settle
from tests.faces.tui.fakes import FakeService


class CountingService(FakeService):
    """The fake, counting its ledger reads; each read can be made slow, as a big ledger over NFS is."""

    def __init__(self, *args, read_delay: float = 0.0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ledger_reads = 0
        self.read_delay = read_delay

    def ledger_snapshot(self):
        self.ledger_reads += 1
        time.sleep(self.read_delay)
        return super().ledger_snapshot()


def burst(app, *keys: str) -> None:
    """Queue every key before the app handles the first (Pilot.press waits between keys)."""
    for key in keys:
        name = {" ": "space", "enter": "enter"}.get(key, key)
        app.post_message(events.Key(name, {"enter": "\r"}.get(key, key)))


async def test_the_ledger_is_read_once_when_first_shown_and_not_on_each_visit(tmp_path):
    service = CountingService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert service.ledger_reads == 0  # not before the pane is shown
        await press(pilot, app, "8")
        assert service.ledger_reads == 1
        await press(pilot, app, "2", "8", "1", "l")
        assert service.ledger_reads == 1  # shown again: the same ledger, nothing to read
        await press(pilot, app, "g")
        assert service.ledger_reads == 2  # g reads on request

        await press(pilot, app, "2", "r")  # a run is recorded while the pane is hidden: read when shown
        assert service.ledger_reads == 2
        await press(pilot, app, "8")
        assert service.ledger_reads == 3
        assert "refine · ui · ok" in screen_text(app)


async def test_d_typed_with_8_in_one_burst_waits_for_the_list(tmp_path):
    service = CountingService(tmp_path, read_delay=0.5)
    service.add_next_step("Call the owners", None, None, "sample")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "8", "d")
        await pilot.pause()
        assert not isinstance(app.screen, ApprovalModal)  # the list is still being read
        await settle(pilot, app)
        assert isinstance(app.screen, ApprovalModal)
        assert "Mark next step NS-1 done" in screen_text(app)
        assert service.ledger_reads == 1


async def test_a_whole_burst_typed_before_the_list_lands_in_order(tmp_path):
    """8, d, a comment with digits in it and Enter in one go: the first step is marked done with it
    (the digits are part of the comment, not step keys, though they came before the dialog did)."""
    service = CountingService(tmp_path, read_delay=0.5)
    service.add_next_step("Call the owners", None, None, "sample")
    service.add_next_step("Send the notices", None, None, "sample")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "8", "d", *"sent 2 of 3", "enter")
        await settle(pilot, app)
        await settle(pilot, app)
        assert not isinstance(app.screen, ApprovalModal)
        assert [(step.id, step.status) for step in service.steps] == [("NS-1", "done"), ("NS-2", "open")]
        assert service.entries[-1].payload == {"comment": "sent 2 of 3"}
        assert service.ledger_reads == 2  # the first, and the one after the step was marked done
