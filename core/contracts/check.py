"""Hold a refined or enriched workbook's Data sheet to a contract: columns, types, required and unique
cells, and the contract's quality rules. Each failure names its column and a few rows (never values:
they may be personal data)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from core.contracts.load import contract_properties
from core.contracts.workbook import DataSheet, excel_row, is_empty, read_data_sheet

ROWS_SHOWN = 5


@dataclass
class CheckFailure:
    column: str
    rule: str  # missing column | extra column | type | required | unique | <quality rule id>
    message: str
    rows: list[int] = field(default_factory=list)  # as Excel shows them, the first few
    count: int = 0  # every failing row

    def line(self) -> str:
        where = f" (rows {', '.join(map(str, self.rows))}{' …' if self.count > len(self.rows) else ''})" \
            if self.rows else ""
        return f"{self.column}: {self.message}{where}"

    def public(self) -> dict[str, Any]:
        return {"column": self.column, "rule": self.rule, "message": self.message, "rows": self.rows,
                "count": self.count}


@dataclass
class CheckReport:
    contract_id: str
    contract_version: str
    workbook: Path
    rows: int
    columns: int
    rules: int
    failures: list[CheckFailure] = field(default_factory=list)
    warnings: list[CheckFailure] = field(default_factory=list)  # warning-severity rules that fail
    allowed_extra: list[str] = field(default_factory=list)  # provenance_* of an enriched workbook

    @property
    def ok(self) -> bool:
        return not self.failures

    def checked(self) -> str:
        return f"{self.rows:,} rows × {self.columns} columns, {self.rules} quality rules"

    def public(self) -> dict[str, Any]:
        return {"contract": self.contract_id, "version": self.contract_version, "workbook": str(self.workbook),
                "ok": self.ok, "rows": self.rows, "columns": self.columns, "rules": self.rules,
                "failures": [f.public() for f in self.failures], "warnings": [f.public() for f in self.warnings],
                "allowed_extra": self.allowed_extra}


def _failing(indexes: list[int]) -> tuple[list[int], int]:
    return [excel_row(i) for i in indexes[:ROWS_SHOWN]], len(indexes)


def _type_ok(logical: str, value: Any) -> bool:
    if logical == "string":
        return isinstance(value, str)
    if logical == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if logical == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if logical == "boolean":
        return isinstance(value, bool)
    if logical in ("date", "timestamp"):
        if isinstance(value, (date, datetime)):
            return True
        return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", value) is not None
    return True  # object, array, time: not held to a cell type


def check_workbook(contract: dict[str, Any], workbook: Path) -> CheckReport:
    from core.enrich.writer import PROVENANCE_COLUMNS

    sheet = read_data_sheet(workbook)
    properties = contract_properties(contract)
    rules = sum(len(p.get("quality") or []) for p in properties)
    report = CheckReport(str(contract.get("id", "")), str(contract.get("version", "")), Path(workbook),
                         len(sheet.rows), len(properties), rules)
    names = [str(p.get("name")) for p in properties]
    for name, prop in zip(names, properties):
        if name not in sheet.header:
            required = " (a required column)" if prop.get("required") else ""
            report.failures.append(CheckFailure(name, "missing column", f"column missing from the Data sheet{required}"))
    for column in sheet.header:
        if column in names:
            continue
        if column in PROVENANCE_COLUMNS:
            report.allowed_extra.append(column)
        else:
            report.failures.append(CheckFailure(column or "(blank header)", "extra column",
                                                "column not in the contract"))
    for name, prop in zip(names, properties):
        if name in sheet.header:
            _check_column(report, prop, name, sheet.column(name))
    return report


def _check_column(report: CheckReport, prop: dict[str, Any], name: str, cells: list[Any]) -> None:
    filled = [i for i, v in enumerate(cells) if not is_empty(v)]
    logical = str(prop.get("logicalType", "string"))
    wrong = [i for i in filled if not _type_ok(logical, cells[i])]
    if wrong:
        rows, count = _failing(wrong)
        report.failures.append(CheckFailure(name, "type", f"{count:,} cells are not {logical}", rows, count))
    if prop.get("required"):
        empty = [i for i, v in enumerate(cells) if is_empty(v)]
        if empty:
            rows, count = _failing(empty)
            report.failures.append(CheckFailure(name, "required", f"{count:,} rows are empty in a required column",
                                                rows, count))
    if prop.get("unique"):
        duplicates = _duplicates(cells, filled)
        if duplicates:
            rows, count = _failing(duplicates)
            report.failures.append(CheckFailure(name, "unique", f"{count:,} rows repeat a value of a unique column",
                                                rows, count))
    for rule in prop.get("quality") or []:
        failure = _check_rule(rule, name, cells, filled)
        if failure is not None:
            (report.failures if rule.get("severity") in ("blocking", "error") else report.warnings).append(failure)


def _duplicates(cells: list[Any], filled: list[int]) -> list[int]:
    seen: set[Any] = set()
    out = []
    for i in filled:
        key = cells[i].strip().lower() if isinstance(cells[i], str) else cells[i]
        if key in seen:
            out.append(i)
        seen.add(key)
    return out


def _invalid(rule: dict[str, Any], cells: list[Any], filled: list[int]) -> list[int]:
    args = rule.get("arguments") or {}
    if "pattern" in args:
        pattern = re.compile(str(args["pattern"]))
        return [i for i in filled if not pattern.search(str(cells[i]))]
    if "validValues" in args:
        valid = {str(v) for v in args["validValues"]}
        return [i for i in filled if str(cells[i]) not in valid]
    low, high = args.get("minValue"), args.get("maxValue")
    out = []
    for i in filled:
        try:
            number = float(cells[i])
        except (TypeError, ValueError):
            out.append(i)
            continue
        if (low is not None and number < low) or (high is not None and number > high):
            out.append(i)
    return out


def _as_library(rule: dict[str, Any]) -> dict[str, Any]:
    """A range rule is SQL in ODCS; emit carries the expectation it came from, which this checker holds
    the cells to as it does a library rule (the bounds as arguments). Other rules are left as they are."""
    expectation = next((p.get("value") for p in rule.get("customProperties") or []
                        if isinstance(p, dict) and p.get("property") == "greatExpectations"), None)
    if rule.get("type") != "sql" or not isinstance(expectation, dict) or \
            expectation.get("type") != "expect_column_values_to_be_between":
        return rule
    kwargs = expectation.get("kwargs") or {}
    bounds = {"minValue": kwargs.get("min_value"), "maxValue": kwargs.get("max_value")}
    return {**rule, "type": "library", "metric": "invalidValues", "arguments": bounds}


def _check_rule(rule: dict[str, Any], name: str, cells: list[Any], filled: list[int]) -> CheckFailure | None:
    rule = _as_library(rule)
    metric = rule.get("metric")
    if rule.get("type", "library") != "library" or metric is None:
        return None  # text, other sql and custom rules are for people and other engines
    if metric in ("nullValues", "missingValues"):
        bad, base = [i for i, v in enumerate(cells) if is_empty(v)], len(cells)
        what = "empty"
    elif metric == "duplicateValues":
        bad, base, what = _duplicates(cells, filled), len(filled), "repeated"
    elif metric == "invalidValues":
        bad, base, what = _invalid(rule, cells, filled), len(filled), "invalid"
    else:
        return None
    share = 100 * len(bad) / base if base else 0.0
    if "mustBeLessOrEqualTo" in rule:
        limit = float(rule["mustBeLessOrEqualTo"])
        passed = (share if rule.get("unit") == "percent" else len(bad)) <= limit
        bound = f"at most {limit:g}{'%' if rule.get('unit') == 'percent' else ' rows'}"
    else:
        limit = float(rule.get("mustBe", 0))
        passed = len(bad) == limit
        bound = f"exactly {limit:g} rows"
    if passed:
        return None
    rows, count = _failing(bad)
    return CheckFailure(name, str(rule.get("id") or rule.get("name") or metric),
                        f"{count:,} of {base:,} values {what} ({share:.1f}%), contract allows {bound} "
                        f"[{rule.get('severity', 'warning')}: {rule.get('name', metric)}]", rows, count)


def check_against_profile(profile, workbook: Path) -> CheckReport:
    """For a case whose contract was never emitted: the profile's contract, built in memory."""
    from core.contracts.emit import build_contract

    return check_workbook(build_contract(profile), workbook)


def header_of(workbook: Path) -> DataSheet:
    return read_data_sheet(workbook, header_only=True)
