"""Refine › Review by keys: u undoes the last decision, m puts a pair aside until the others are
answered, k splits a pair's second row out; each is a ledger entry at once (issue 14 item 4)."""

from __future__ import annotations

from tests.faces.tui.conftest import make_app, press, screen_text, settle, text_of
from tests.faces.tui.fakes import FakeService


def headline(app) -> str:
    return text_of(app.screen.query_one(".review-headline"))


def pane(app):
    return app.runbook.panes["2"]


async def open_review(pilot, app) -> None:
    await settle(pilot, app)
    await press(pilot, app, "2", "r")
    await press(pilot, app, "v")
    assert "Pair 1 of 3" in headline(app)


async def test_u_undoes_the_last_decisions_one_by_one_and_shows_the_pair_again(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot, app)
        await press(pilot, app, "u")  # nothing decided yet: nothing to undo, nothing written
        assert [e.kind for e in service.entries].count("review_decision") == 0

        await press(pilot, app, "a")
        await press(pilot, app, "x")
        assert service.decisions == {"pair-1": "approve", "pair-2": "reject"}
        assert "Pair 3 of 3" in headline(app)

        await press(pilot, app, "u")
        assert service.decisions["pair-2"] == "undo" and service.entries[-1].subject == "pair-2"
        assert headline(app).startswith("Pair 2 of 3") and "· undecided ·" in headline(app)
        assert "Evidence (pair pair-2)" in screen_text(app)  # the id `hotpass review` takes

        await press(pilot, app, "u")
        assert service.decisions["pair-1"] == "undo" and headline(app).startswith("Pair 1 of 3")
        assert headline(app).endswith("3 undecided")

        # undoing a changed answer brings the earlier answer back, as a new entry
        await press(pilot, app, "x")
        await press(pilot, app, "p", "a")
        await press(pilot, app, "u")
        assert service.decisions["pair-1"] == "reject" and "rejected (keep apart)" in headline(app)
        assert [e.kind for e in service.entries].count("review_decision") == 7


async def test_m_puts_a_pair_aside_until_the_others_are_answered_and_k_splits(tmp_path):
    service = FakeService(tmp_path)
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot, app)
        await press(pilot, app, "m")
        assert service.decisions == {"pair-1": "unsure"}
        assert headline(app).startswith("Pair 2 of 3") and headline(app).endswith("2 undecided, 1 unsure")
        await press(pilot, app, "a")
        await press(pilot, app, "k")  # pair 3: same name, different towns — keep the second row out
        assert service.decisions == {"pair-1": "unsure", "pair-2": "approve", "pair-3": "split"}
        # every other pair answered: back to the one put aside
        assert headline(app).startswith("Pair 1 of 3") and "unsure (asked again last)" in headline(app)
        await press(pilot, app, "p", "p", "n", "n")
        assert "split (B kept out of A's organisation)" in headline(app)
        await press(pilot, app, "u")  # the split is withdrawn; the pair is undecided again
        assert service.decisions["pair-3"] == "undo" and headline(app).startswith("Pair 3 of 3")
        assert "· undecided ·" in headline(app)
