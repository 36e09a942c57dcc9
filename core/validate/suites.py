"""Expectation suites as GX JSON, built from the profile and what the run read. No GX import here:
the worker process turns these dicts into GX suites (and counts them, since GX drops what it
cannot parse without a word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.profiles import Profile
from core.results import CasePreview, SheetReport
from core.validate.results import REFINED_SUITE
from core.validate.spec import ExpectationSpec

GX_SEVERITY = {True: "critical", False: "warning"}  # blocking -> GX "critical"


@dataclass
class SuitePlan:
    """One suite and the batch it runs on: a source sheet (file, sheet) or the refined Data."""

    name: str
    target: str
    file: str = ""
    sheet: str = ""
    columns: list[str] = field(default_factory=list)  # the frame's columns the suite reads
    expectations: list[dict] = field(default_factory=list)

    def gx_json(self) -> dict:
        return {"name": self.name, "expectations": self.expectations,
                "meta": {"hotpass_target": self.target, "file": self.file, "sheet": self.sheet},
                "suite_parameters": {}, "notes": None}


def _expectation(spec: ExpectationSpec, profile: Profile, why: str = "") -> dict:
    return {"type": spec.expect, "kwargs": spec.kwargs(profile.provinces.canonical),
            "meta": {"blocking": spec.blocking, "why": spec.why or why}, "severity": GX_SEVERITY[spec.blocking]}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "sheet"


def sheet_plans(profile: Profile, preview: CasePreview) -> list[SuitePlan]:
    """A suite per used source sheet: the profile's sheet expectations whose field the sheet maps,
    its primary keys not null, and its mapped fields present."""
    from core.ingest.sheets import source_info

    settings = profile.expectations
    plans = []
    for number, report in enumerate((s for s in preview.sheets if s.status == "used"), start=1):
        mapped = list(dict.fromkeys(report.mapping.values()))
        target = f"{report.file} › {report.sheet}" if report.sheet else report.file
        plan = SuitePlan(f"sheet-{number:02d}-{_slug(report.file)}-{_slug(report.sheet)}".rstrip("-"),
                         target, report.file, report.sheet, mapped)
        plan.expectations.append({"type": "expect_table_columns_to_match_set",
                                  "kwargs": {"column_set": mapped, "exact_match": False},
                                  "meta": {"blocking": True, "why": "the columns the profile mapped are there"},
                                  "severity": "critical"})
        for spec in settings.sheets:
            if spec.column in mapped:
                plan.expectations.append(_expectation(spec, profile))
        if settings.primary_keys_not_null != "off":
            blocking = settings.primary_keys_not_null == "blocking"
            for key in _primary_keys(profile, report, source_info(profile, report.file).spec):
                already = any(e["type"] == "expect_column_values_to_not_be_null" and e["kwargs"]["column"] == key
                              for e in plan.expectations)
                if key in mapped and not already:
                    plan.expectations.append({
                        "type": "expect_column_values_to_not_be_null", "kwargs": {"column": key},
                        "meta": {"blocking": blocking, "why": "a primary key of this sheet (sources[].primary_keys)"},
                        "severity": GX_SEVERITY[blocking]})
        plans.append(plan)
    return plans


def _primary_keys(profile: Profile, report: SheetReport, spec) -> list[str]:
    if spec is not None:
        return list(spec.primary_keys.get(report.sheet, []))
    return list(profile.default_primary_keys) if report.role == "organisation" else []


def refined_plan(profile: Profile) -> SuitePlan:
    specs = profile.expectations.refined
    columns = list(dict.fromkeys(spec.column for spec in specs))
    return SuitePlan(REFINED_SUITE, "refined Data", columns=columns,
                     expectations=[_expectation(spec, profile) for spec in specs])


def plan_suites(profile: Profile, preview: CasePreview) -> list[SuitePlan]:
    return [*sheet_plans(profile, preview), refined_plan(profile)]


def export_suites(plans: list[SuitePlan]) -> list[dict]:
    """The suites as GX JSON (ExpectationSuite.to_json_dict's shape), for the reports and for reading back."""
    return [plan.gx_json() for plan in plans]
