"""Resolve gives the same organisations, merges, explanations and questions whether its bound and
scoring ran in this process alone or were shared with forked copies (core/parallel.py): an operator
must not see a case resolve differently on a machine with more cores, or with HOTPASS_WORKERS=1."""

from __future__ import annotations

import os

import pytest

from core import parallel
from core.parallel import MEMORY_ENV, WORKERS_ENV
from core.profiles import load_profile
from core.resolve import resolve
from tests.generators.messy_case import resolvable_records

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked copies need os.fork (Linux, macOS)")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    return resolvable_records(tmp_path_factory.mktemp("workers") / "messy-8k", 8_000, seed=29)


def _seen_by_operator(resolution) -> tuple:
    return (resolution.cluster_ids.tolist(),
            [(m.record_a, m.record_b, round(m.score, 12), m.explanation) for m in resolution.merges],
            [(r.pair_id, r.evidence.explanation, r.decision) for r in resolution.review],
            resolution.pairs_compared, resolution.pairs_scored)


@pytest.fixture
def copies(monkeypatch) -> list[int]:
    """One entry per forked copy resolve starts."""
    started: list[int] = []
    real_copy = parallel._Copy

    def counted(*args):
        started.append(1)
        return real_copy(*args)

    monkeypatch.setattr(parallel, "_Copy", counted)
    return started


def test_forked_copies_change_nothing_an_operator_sees(records, copies, monkeypatch) -> None:
    settings = load_profile("generic").resolution
    monkeypatch.setenv(WORKERS_ENV, "1")
    alone = resolve(records, settings)
    assert not copies
    monkeypatch.setenv(WORKERS_ENV, "3")
    monkeypatch.setenv(MEMORY_ENV, "65536")
    shared = resolve(records, settings)
    assert len(copies) == 4, "the bound and the scoring each fork two copies; else this test proves nothing"
    assert _seen_by_operator(shared) == _seen_by_operator(alone)
    assert len(shared.review) and len(shared.merges) > 1000


def test_no_copy_is_forked_beyond_the_memory_budget(records, copies, monkeypatch) -> None:
    settings = load_profile("generic").resolution
    monkeypatch.setenv(WORKERS_ENV, "3")
    monkeypatch.setenv(MEMORY_ENV, "50")  # less than this process alone holds
    within = resolve(records, settings)
    assert not copies
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert _seen_by_operator(within) == _seen_by_operator(resolve(records, settings))
