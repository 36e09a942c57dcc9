"""`diff_contracts`: each kind of change, classed breaking or not."""

from __future__ import annotations

import copy

import pytest

from core.contracts.diff import breaking, diff_contracts
from core.contracts.emit import build_contract
from core.profiles import load_profile


@pytest.fixture(scope="module")
def base() -> dict:
    return build_contract(load_profile("generic"))


def _props(contract: dict) -> dict:
    return {p["name"]: p for p in contract["schema"][0]["properties"]}


def _changed(base: dict, edit) -> list[tuple[str, str, bool]]:
    new = copy.deepcopy(base)
    edit(new)
    return [(c.column, c.kind, c.breaking) for c in diff_contracts(base, new)]


def test_the_same_contract_has_no_changes(base: dict) -> None:
    assert diff_contracts(base, copy.deepcopy(base)) == []


def test_a_removed_column_is_breaking(base: dict) -> None:
    def edit(c):
        c["schema"][0]["properties"] = [p for p in c["schema"][0]["properties"] if p["name"] != "website"]
    assert _changed(base, edit) == [("website", "column removed", True)]


def test_a_renamed_column_is_breaking(base: dict) -> None:
    def edit(c):
        prop = _props(c)["website"]
        prop["name"] = prop["physicalName"] = "web_address"
    assert _changed(base, edit) == [("website", "column renamed", True)]


def test_an_added_column_is_not_breaking(base: dict) -> None:
    def edit(c):
        c["schema"][0]["properties"].append({"name": "fax", "logicalType": "string", "description": "Fax."})
    assert _changed(base, edit) == [("fax", "column added", False)]


def test_a_narrowed_type_breaks_and_a_widened_one_does_not(base: dict) -> None:
    assert _changed(base, lambda c: _props(c)["province"].update(logicalType="integer")) == [
        ("province", "type narrowed", True)]
    assert _changed(base, lambda c: _props(c)["data_quality_score"].update(logicalType="string")) == [
        ("data_quality_score", "type widened", False)]


def test_made_required_is_breaking_and_no_longer_required_is_not(base: dict) -> None:
    assert _changed(base, lambda c: _props(c)["website"].update(required=True)) == [("website", "made required", True)]
    assert _changed(base, lambda c: _props(c)["country"].update(required=False)) == [
        ("country", "no longer required", False)]


def test_rules_tightened_loosened_added_removed(base: dict) -> None:
    column, rule = next((n, p["quality"][0]) for n, p in _props(base).items()
                        if p.get("quality") and "mustBeLessOrEqualTo" in p["quality"][0])
    limit = rule["mustBeLessOrEqualTo"]
    assert _changed(base, lambda c: _props(c)[column]["quality"][0].update(mustBeLessOrEqualTo=limit / 2)) == [
        (column, "rule tightened", True)]
    assert _changed(base, lambda c: _props(c)[column]["quality"][0].update(mustBeLessOrEqualTo=limit + 5)) == [
        (column, "rule loosened", False)]
    severity = "warning" if rule["severity"] == "blocking" else "blocking"
    assert _changed(base, lambda c: _props(c)[column]["quality"][0].update(severity=severity))[0][2] is (
        severity == "blocking")
    assert _changed(base, lambda c: _props(c)[column].update(quality=[])) == [(column, "rule removed", False)]
    new_rule = {"id": "new", "name": "n", "type": "library", "metric": "nullValues", "mustBe": 0,
                "severity": "blocking"}
    assert _changed(base, lambda c: _props(c)["website"].setdefault("quality", []).append(new_rule)) == [
        ("website", "rule added (blocking)", True)]


def test_fewer_valid_values_is_tightened(base: dict) -> None:
    column = next(n for n, p in _props(base).items() for r in p.get("quality", []) if "validValues" in r.get("arguments", {}))

    def edit(c):
        rule = next(r for r in _props(c)[column]["quality"] if "validValues" in r.get("arguments", {}))
        rule["arguments"]["validValues"] = rule["arguments"]["validValues"][:2]
    changes = _changed(base, edit)
    assert changes == [(column, "rule tightened", True)]


def test_version_and_words_are_not_breaking(base: dict) -> None:
    def edit(c):
        c["version"] = "1.1.0"
        _props(c)["notes"]["description"] = "Other words."
    changes = diff_contracts(base, (lambda n: (edit(n), n)[1])(copy.deepcopy(base)))
    assert breaking(changes) == [] and len(changes) == 2


def test_a_changed_range_query_is_a_breaking_rule_change(base: dict) -> None:
    def edit(c):
        [rule] = _props(c)["data_quality_score"]["quality"]
        rule["query"] = rule["query"].replace("> 1.0", "> 0.9")
    assert _changed(base, edit) == [("data_quality_score", "rule changed", True)]
