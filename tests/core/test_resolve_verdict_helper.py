"""Scoring's name verdicts worked out by a helper process (core/resolve/verdict_helper.py), as resolve uses it
when no forked copy fits in memory: the verdicts are the ones worked out here, the resolution is the same
with or without it, and a helper that cannot start, dies or is cancelled costs only time and leaves no
process behind."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from core.errors import Cancelled
from core.profiles import load_profile
from core.resolve import engine, verdict_helper
from core.resolve.groups import build_groups
from core.resolve.keys import NameKeyer
from core.resolve.names import compare_keys
from core.resolve.verdict_helper import BlockVerdicts, VerdictHelper
from core.resolve.vocabulary import case_vocabulary
from core.runtime import collector_paused
from tests.generators.messy_case import resolvable_records


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return resolvable_records(tmp_path_factory.mktemp("helper") / "messy-6k", 6_000, seed=23)


@pytest.fixture(scope="module")
def baseline(records):
    """The resolution worked out in this process alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOTPASS_WORKERS", "1")
        return _seen(engine.resolve(records, load_profile("generic").resolution, {}))


@pytest.fixture
def helped(monkeypatch):
    """Resolve as at 1M rows on this machine: no forked copy fits in memory, the helper does. Records each
    helper made and what it answered."""
    monkeypatch.setenv("HOTPASS_WORKERS", "2")
    monkeypatch.setenv("HOTPASS_MEMORY_MB", "100000")
    monkeypatch.setattr(engine, "COPY_SHARE", 1000.0)  # no copy fits
    monkeypatch.setattr(engine, "HELPER_FROM_PAIRS", 0)
    monkeypatch.setattr(verdict_helper, "BLOCK_PAIRS", 400)  # a block per step of 2,000 pairs: several, as at 1M rows
    made: list[VerdictHelper] = []
    answered: list[int] = []

    class Recorded(VerdictHelper):
        def __init__(self, *args) -> None:
            super().__init__(*args)
            made.append(self)

        def answers(self, check=None):
            verdicts = super().answers(check)
            answered.append(len(verdicts) if verdicts is not None else -1)
            return verdicts

    monkeypatch.setattr(engine, "VerdictHelper", Recorded)
    return made, answered


def _seen(resolution) -> dict:
    """What an operator sees of a resolution: organisations, merges with their explanations, the review list."""
    return {"clusters": resolution.cluster_ids.tolist(),
            "merges": [dataclasses.astuple(m) for m in resolution.merges],
            "review": [(r.pair_id, dataclasses.astuple(r.evidence)) for r in resolution.review]}


def _exited(helper: VerdictHelper) -> bool:
    return helper._process is None or helper._process.poll() is not None


def test_the_helpers_verdicts_are_the_ones_worked_out_here(records) -> None:
    settings = load_profile("generic").resolution
    with collector_paused():
        groups, _ = build_groups(records, NameKeyer(settings), {d.lower() for d in settings.free_mail_domains})
        vocab = case_vocabulary(groups, settings.common_word_share, settings.common_word_min)
    spellings = [(g.names[0][0], g.primary) for g in groups if g.primary is not None]
    raws, keys = [raw for raw, _ in spellings], [key for _, key in spellings]
    rng = np.random.default_rng(5)
    left, right = rng.integers(0, len(keys), 3000), rng.integers(0, len(keys), 3000)
    # neighbours by name too, so that the pairs are alike in every way the rules read, not only unrelated
    order = np.argsort([k.key for k in keys])
    left, right = np.concatenate([left, order[:-1][:3000]]), np.concatenate([right, order[1:][:3000]])
    helper = VerdictHelper(settings, vocab)
    try:
        half = len(left) // 2  # two batches: the second one's spellings partly sent with the first
        helper.ask(left[:half], right[:half], raws, keys)
        helper.ask(left[half:], right[half:], raws, keys)
        answered = helper.answers() + helper.answers()
    finally:
        helper.close()
    here = [compare_keys(raws[a], keys[a], raws[b], keys[b], settings, vocab)
            for a, b in zip(left.tolist(), right.tolist())]
    assert [v.fields() for v in answered] == [v.fields() for v in here]
    assert len({v.level for v in here}) >= 7  # equal verdicts over many kinds of likeness, not one
    assert any(v.level == "equal" and v.reason_for != "same name" for v in here)  # with the raw names' reason
    assert _exited(helper)


def test_resolve_with_the_helper_gives_the_same_resolution(records, baseline, helped) -> None:
    made, answered = helped
    assert _seen(engine.resolve(records, load_profile("generic").resolution, {})) == baseline
    assert len(made) == 1 and len(answered) >= 3 and all(n > 0 for n in answered)  # it answered each block
    assert _exited(made[0])


def test_a_helper_that_dies_costs_only_time(records, baseline, helped, monkeypatch) -> None:
    made, answered = helped
    real_ask = BlockVerdicts._ask

    def ask_then_kill(self, block):
        real_ask(self, block)
        if block == 1:
            self.helper._process.kill()

    monkeypatch.setattr(BlockVerdicts, "_ask", ask_then_kill)
    assert _seen(engine.resolve(records, load_profile("generic").resolution, {})) == baseline
    assert -1 in answered and _exited(made[0])


def test_a_helper_that_cannot_start_costs_only_time(records, baseline, helped, monkeypatch) -> None:
    made, _ = helped
    monkeypatch.setattr(verdict_helper.sys, "executable", "/nonexistent/python3")
    assert _seen(engine.resolve(records, load_profile("generic").resolution, {})) == baseline
    assert len(made) == 1 and not made[0].alive


def test_a_helper_that_hangs_is_given_up_on(records, baseline, helped, monkeypatch) -> None:
    made, answered = helped
    monkeypatch.setattr(verdict_helper, "HANG_SECONDS", 0.5)
    real_ask = BlockVerdicts._ask

    def ask_then_stop(self, block):
        real_ask(self, block)
        if block == 0:
            import os
            import signal
            os.kill(self.helper._process.pid, signal.SIGSTOP)  # alive, and silent

    monkeypatch.setattr(BlockVerdicts, "_ask", ask_then_stop)
    assert _seen(engine.resolve(records, load_profile("generic").resolution, {})) == baseline
    assert answered[0] == -1 and _exited(made[0])


def test_cancel_during_scoring_stops_the_helper(records, helped) -> None:
    made, _ = helped
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done > total * 0.6:  # scoring is the second half of resolve's progress
            cancel.set()

    with pytest.raises(Cancelled):
        engine.resolve(records, load_profile("generic").resolution, {}, progress=progress, cancel=cancel)
    assert len(made) == 1 and _exited(made[0])
