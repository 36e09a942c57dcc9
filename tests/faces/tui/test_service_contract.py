"""One suite for the UI's real service and the fake the Pilot tests use, so that they cannot drift:
same methods, same return types, the same ledger behaviour."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path

import pytest

from core.results import CasePreview, RefineResult
from core.runbook.result import StepResult
from core.workspace import Workspace
from hotpass_tui.service import CaseChoices, CoreService, LedgerSnapshot, RunbookService
from ledger.models import Entry, NextStep
from tests.faces.tui.fakes import FakeService


@pytest.fixture(params=["core", "fake"])
def service(request, tmp_path: Path):
    if request.param == "core":
        return CoreService(Workspace(tmp_path, tmp_path / ".hotpass" / "ledger.db"))
    return FakeService(tmp_path)


def test_both_have_every_method_of_the_protocol_with_the_same_parameters() -> None:
    for name, member in inspect.getmembers(RunbookService, inspect.isfunction):
        if name.startswith("_"):
            continue
        wanted = list(inspect.signature(member).parameters)
        for cls in (CoreService, FakeService):
            assert list(inspect.signature(getattr(cls, name)).parameters) == wanted, (cls.__name__, name)


def test_open_case_and_preview(service) -> None:
    choices = service.open_case("sample")
    assert isinstance(choices, CaseChoices)
    assert any(name == "generic" for name, _ in choices.profiles)
    preview = service.preview(choices.input_dir, "generic", lambda event: None, threading.Event())
    assert isinstance(preview, CasePreview) and preview.files


def test_refine_returns_a_step_result_recorded_in_the_ledger(service) -> None:
    choices = service.open_case("sample")
    events = []
    result = service.run_step("refine", "sample", choices.input_dir, "generic", events.append, threading.Event())
    assert isinstance(result, StepResult) and result.status == "ok" and result.exit_code == 0
    assert isinstance(result.payload, RefineResult) and result.payload.review
    assert events and {event.step for event in events} == {"refine"}
    snapshot = service.ledger_snapshot()
    assert isinstance(snapshot, LedgerSnapshot)
    [run] = snapshot.runs
    assert isinstance(run, Entry) and run.kind == "run" and run.case_id == "sample"
    assert run.payload["step"] == "refine" and run.payload["face"] == "ui" and run.payload["status"] == "ok"
    assert run.seq == result.ledger_seq


def test_a_cancelled_refine_is_a_cancelled_result_not_an_exception(service) -> None:
    cancel = threading.Event()
    cancel.set()
    result = service.run_step("refine", "sample", service.open_case("sample").input_dir, "generic",
                              lambda event: None, cancel)
    assert result.status == "cancelled" and result.exit_code == 130


def test_decisions_and_next_steps_are_ledger_entries(service) -> None:
    decision = service.decide("sample", "pair-1", "approve", "A ~ B")
    assert isinstance(decision, Entry) and decision.kind == "review_decision" and decision.subject == "pair-1"
    approval = service.approve("contract", "generic", "ab" * 32, "approve", "looks right", "sample")
    assert approval.kind == "approval" and approval.payload["artefact_sha256"] == "ab" * 32
    opened = service.add_next_step("Call the owners", "ops", "2026-12-31", "sample")
    assert opened.kind == "next_step_opened" and opened.subject == "NS-1"
    done = service.complete_next_step("NS-1", "called")
    assert done.kind == "next_step_done" and done.payload == {"comment": "called"}
    snapshot = service.ledger_snapshot()
    assert [type(step) for step in snapshot.next_steps] == [NextStep]
    assert snapshot.next_steps[0].status == "done"
    assert [entry.kind for entry in snapshot.decisions] == ["approval", "review_decision"]  # newest first
    count, head = service.ledger_head()
    assert count == 4 and len(head) == 64
    with pytest.raises(Exception) as raised:
        service.complete_next_step("NS-9", "")
    assert getattr(raised.value, "exit_code", None) == 2


def test_an_organisations_card_and_a_split_taken_from_it_go_to_the_ledger_as_review_decisions(service) -> None:
    from core.org_card import OrgCard
    from core.org_card_text import pending_splits
    from core.org_decisions import OrgDecision, place

    choices = service.open_case("sample")
    result = service.run_step("refine", "sample", choices.input_dir, "generic", lambda event: None, threading.Event())
    frame = result.payload.organisations
    if "source_record_ids" in frame:  # the real refine: an organisation of more than one row
        frame = frame[frame["source_record_ids"].astype(str).str.contains(";")]
    slug = str(frame["organization_slug"].iloc[0])
    card = service.org_card("sample", choices.input_dir, slug)
    assert isinstance(card, OrgCard) and card.slug == slug and len(card.members) >= 2
    assert card.review is not None and pending_splits(card) == set()
    member = card.members[-1]

    decided = service.split_out("sample", choices.input_dir, slug, member.record_id, "one row too many")
    assert isinstance(decided, OrgDecision) and decided.decision == "split" and decided.before is None
    assert decided.summary == f"{place(member.record_id)} out of {slug}"
    [entry] = [e for e in service.ledger_snapshot().decisions if e.kind == "review_decision"]
    assert entry.subject == decided.pair_id and entry.payload["decision"] == "split"
    assert entry.payload["comment"] == "one row too many"
    assert member.record_id in pending_splits(service.org_card("sample", choices.input_dir, slug))

    service.decide("sample", decided.pair_id, "undo", decided.summary)  # what u on the card records
    assert pending_splits(service.org_card("sample", choices.input_dir, slug)) == set()
    with pytest.raises(Exception) as raised:
        service.split_out("sample", choices.input_dir, slug, "nowhere.xlsx:Sheet:9", "")
    assert getattr(raised.value, "exit_code", None) == 2


def test_forcing_two_organisations_together_is_a_review_decision_and_the_same_one_twice_is_refused(service) -> None:
    from core.org_decisions import OrgDecision

    choices = service.open_case("sample")
    result = service.run_step("refine", "sample", choices.input_dir, "generic", lambda event: None, threading.Event())
    first, second = (str(slug) for slug in result.payload.organisations["organization_slug"].iloc[:2])
    decided = service.force("sample", choices.input_dir, first, second, "force_together", "one and the same")
    assert isinstance(decided, OrgDecision) and decided.decision == "force_together" and decided.before is None
    assert decided.summary == f"{first} and {second}"
    [entry] = [e for e in service.ledger_snapshot().decisions if e.kind == "review_decision"]
    assert entry.subject == decided.pair_id and entry.payload["decision"] == "force_together"
    assert entry.payload["comment"] == "one and the same"
    with pytest.raises(Exception) as raised:
        service.force("sample", choices.input_dir, first, first, "force_apart", "")
    assert getattr(raised.value, "exit_code", None) == 2
