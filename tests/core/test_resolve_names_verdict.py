"""NameVerdict has its own __init__ (one per pair of spellings compared, so its cost shows in scoring):
it must take every field of the dataclass, with the dataclass's defaults, set each from its own argument,
and leave the verdict frozen, comparable and picklable as a dataclass's would be (forked copies send
verdicts back inside their links; the verdict helper sends their fields)."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from core.resolve import ResolutionSettings
from core.resolve.keys import NameKeyer
from core.resolve.names import NameVerdict, compare_names


def test_name_verdicts_are_built_with_every_field_and_its_default() -> None:
    fields = dataclasses.fields(NameVerdict)
    parameters = list(inspect.signature(NameVerdict.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters[1:]] == [f.default for f in fields[1:]]
    values = (2.5, "names equal", ("numbers in the names differ (1 / 2)",), True, "alike", -1.5, True, True)
    verdict = NameVerdict(*values)
    assert dataclasses.astuple(verdict) == values  # each field from its own argument, none swapped
    assert NameVerdict(**dict(zip([f.name for f in fields], values))) == verdict
    plain = NameVerdict(1.0)
    assert (plain.reason_for, plain.reasons_against, plain.distinct, plain.level, plain.penalty,
            plain.kind_confirmed, plain.branches) == (None, (), False, "none", 0.0, False, False)


def test_name_verdicts_stay_frozen_hashable_and_picklable() -> None:
    verdict = NameVerdict(1.0, "same name", level="equal")
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.weight = 2.0  # type: ignore[misc]
    assert hash(verdict) == hash(NameVerdict(1.0, "same name", level="equal"))
    assert pickle.loads(pickle.dumps(verdict)) == verdict
    assert dataclasses.replace(verdict, weight=3.0) == NameVerdict(3.0, "same name", level="equal")


def test_a_verdicts_fields_are_every_field_in_order_and_travel_by_marshal() -> None:
    """The verdict helper sends verdicts back as fields (marshal): a field left out would be lost on the way."""
    import marshal

    values = (2.5, "names equal", ("numbers in the names differ (1 / 2)",), True, "alike", -1.5, True, True)
    verdict = NameVerdict(*values)
    assert verdict.fields() == dataclasses.astuple(verdict) == values
    assert NameVerdict(*marshal.loads(marshal.dumps(verdict.fields()))) == verdict


@pytest.mark.parametrize("left, right", [
    (["Sunrise Pharmacy"], ["Sunrise Pharmacy"]),
    (["Sunrise Pharmacy"], ["Sunrise Pharmcy"]),
    (["Sunrise Pharmacy"], ["Sunrise Pharmacy Sandton"]),
    (["SPS"], ["Sunrise Pharmacy Sandton"]),
    (["Acme Med"], ["Acme Medical"]),
    (["Clinic 1"], ["Clinic 2"]),
    (["Durban Motors"], ["Cape Town Motors"]),
    (["Kondomago Trading"], ["Vuthuwa Logistics"]),
    (["Bevrick (Pty) Ltd t/a Skyline Flight School"], ["Skyline Flight School"]),
    (["Sunrise Pharmacy", "Sunrise Pharmacy Sandton"], ["Sunrise Pharmacy Midrand"]),
])
def test_one_spelling_each_gets_the_verdict_of_the_general_loop(left: list[str], right: list[str]) -> None:
    # compare_names takes a short way for one spelling with one key on each side; the verdict is the
    # one the loop over every pair of keys gives (the same names with a copy of the spelling added)
    settings = ResolutionSettings()
    keyer = NameKeyer(settings)
    names = [[(raw, keyer.keys(raw)) for raw in side] for side in (left, right)]
    doubled = [side + side[:1] for side in names]  # the same spellings twice: the loop, same best verdict
    assert compare_names(*names, settings, remember=False) == compare_names(*doubled, settings, remember=False)
