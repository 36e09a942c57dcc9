"""`check_workbook`: a Data sheet held to a contract, each failure with its column and rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.contracts.check import check_workbook
from core.contracts.emit import build_contract, render
from core.contracts.load import parse_contract
from core.errors import ExitCode, HotpassError
from core.profiles import load_profile
from tests.conftest import write_xlsx
from tests.core.contracts_helpers import refined_workbook


@pytest.fixture(scope="module")
def contract() -> dict:
    return build_contract(load_profile("generic"))


def test_a_workbook_shaped_as_refine_writes_it_passes(tmp_path: Path, contract: dict) -> None:
    report = check_workbook(contract, refined_workbook(tmp_path / "refined.xlsx"))
    assert report.ok, [f.line() for f in report.failures]
    assert report.rows == 4 and report.columns == len(contract["schema"][0]["properties"])


def test_an_enriched_workbook_may_add_its_provenance_columns(tmp_path: Path, contract: dict) -> None:
    report = check_workbook(contract, refined_workbook(tmp_path / "enriched.xlsx", provenance=True))
    assert report.ok and len(report.allowed_extra) == 5


def test_a_missing_required_column_is_named(tmp_path: Path, contract: dict) -> None:
    report = check_workbook(contract, refined_workbook(tmp_path / "r.xlsx", drop=("organization_slug",)))
    assert not report.ok
    missing = [f for f in report.failures if f.rule == "missing column"]
    assert [f.column for f in missing] == ["organization_slug"] and "required" in missing[0].message


def test_a_duplicate_slug_is_named_with_its_row(tmp_path: Path, contract: dict) -> None:
    def duplicate(columns, body):
        body[2][columns.index("organization_slug")] = body[0][columns.index("organization_slug")]

    report = check_workbook(contract, refined_workbook(tmp_path / "r.xlsx", edit=duplicate))
    unique = [f for f in report.failures if f.rule == "unique"]
    assert unique and unique[0].column == "organization_slug" and unique[0].rows == [4]


def test_empty_required_cells_wrong_types_and_extra_columns(tmp_path: Path, contract: dict) -> None:
    def damage(columns, body):
        body[1][columns.index("organization_name")] = None
        body[3][columns.index("data_quality_score")] = "high"

    report = check_workbook(contract, refined_workbook(tmp_path / "r.xlsx", extra=("fax",), edit=damage))
    found = {(f.column, f.rule): f for f in report.failures}
    assert found[("organization_name", "required")].rows == [3]
    assert found[("data_quality_score", "type")].rows == [5]
    assert ("fax", "extra column") in found


def test_a_blocking_quality_rule_fails_and_a_warning_one_warns(tmp_path: Path) -> None:
    contract = build_contract(load_profile("generic"))
    props = {p["name"]: p for p in contract["schema"][0]["properties"]}
    props["website"]["quality"] = [
        {"id": "web", "name": "https", "type": "library", "metric": "invalidValues", "unit": "rows", "mustBe": 0,
         "arguments": {"pattern": "^https://nowhere"}, "severity": "blocking"}]
    props["province"]["quality"] = [
        {"id": "prov", "name": "set", "type": "library", "metric": "invalidValues", "unit": "percent",
         "mustBeLessOrEqualTo": 10, "arguments": {"validValues": ["Limpopo"]}, "severity": "warning"}]
    report = check_workbook(contract, refined_workbook(tmp_path / "r.xlsx"))
    assert [(f.column, f.rule, f.rows) for f in report.failures] == [("website", "web", [2, 3, 4, 5])]
    assert [w.column for w in report.warnings] == ["province"]


def test_a_workbook_without_a_data_sheet_is_exit_4(tmp_path: Path, contract: dict) -> None:
    book = write_xlsx(tmp_path / "other.xlsx", {"Sheet1": [["a"], [1]]})
    with pytest.raises(HotpassError) as caught:
        check_workbook(contract, book)
    assert caught.value.exit_code == ExitCode.UNREADABLE_INPUT and caught.value.sheet == "Data"


@pytest.mark.parametrize("text, where", [
    ("apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: '1'\n", "$"),  # no status
    ("apiVersion: v9\nkind: DataContract\nid: x\nversion: '1'\nstatus: active\n", "$.apiVersion"),
    ("apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: '1'\nstatus: active\n"
     "schema:\n  - name: Data\n    properties:\n      - name: a\n        required: maybe\n",
     "$.schema[0].properties[0].required"),
])
def test_a_contract_that_is_not_odcs_names_the_file_and_the_path(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HotpassError) as caught:
        parse_contract(path)
    assert caught.value.exit_code == ExitCode.UNREADABLE_INPUT
    assert caught.value.key == where and str(path) in caught.value.one_line()


def test_a_file_that_is_not_yaml_or_json_is_exit_4(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("schema: [unclosed\n", encoding="utf-8")
    with pytest.raises(HotpassError) as caught:
        parse_contract(path)
    assert caught.value.exit_code == ExitCode.UNREADABLE_INPUT and "YAML or JSON" in caught.value.message


def test_an_emitted_contract_reads_back_as_it_was(tmp_path: Path, contract: dict) -> None:
    for fmt in ("yaml", "json"):
        path = tmp_path / f"c.{fmt}"
        path.write_bytes(render(contract, fmt))
        assert parse_contract(path) == contract


def test_the_emitted_score_range_is_an_sql_rule_that_check_still_holds_cells_to(tmp_path: Path) -> None:
    """ODCS has no library range metric, so emit writes the range as SQL; check holds the cells to it
    through the expectation the rule carries, so a score of 1.5 still fails, naming its row."""
    contract = build_contract(load_profile("generic"))
    [rule] = {p["name"]: p for p in contract["schema"][0]["properties"]}["data_quality_score"]["quality"]
    assert rule["type"] == "sql" and "{property} > 1.0" in rule["query"] and "arguments" not in rule

    def out_of_range(columns, body):
        body[2][columns.index("data_quality_score")] = 1.5

    report = check_workbook(contract, refined_workbook(tmp_path / "r.xlsx", edit=out_of_range))
    assert [(f.column, f.rule, f.rows) for f in report.failures] == [
        ("data_quality_score", "data-quality-score-be-between", [4])]
    assert check_workbook(contract, refined_workbook(tmp_path / "ok.xlsx")).ok
