"""A canned validation report for the fake service's refine: one blocking pass, one warning that
fails with values, one failure without values (a table-level check)."""

from __future__ import annotations

from pathlib import Path

from core.validate.results import ExpectationOutcome, ValidationReport


def fake_validation(dist: Path) -> ValidationReport:
    outcomes = [
        ExpectationOutcome("refined", "refined Data", "", "", "expect_column_values_to_be_unique",
                           "organization_slug", True, True, "all 500 non-empty values pass", element_count=500),
        ExpectationOutcome("sheet-01-schools", "schools.xlsx › Schools", "schools.xlsx", "Schools",
                           "expect_column_values_to_match_regex", "contact_phone", False, False,
                           "2 of 40 non-empty values fail (5.0%)", why="some phones could not be read",
                           element_count=40, unexpected_count=2,
                           failing_values=[(7, "082 123"), (19, "call reception")]),
        ExpectationOutcome("sheet-01-schools", "schools.xlsx › Schools", "schools.xlsx", "Schools",
                           "expect_column_values_to_not_be_null", "organization_id", False, False,
                           "3 of 40 empty", element_count=40, unexpected_count=3),
    ]
    reports = dist / "reports"
    return ValidationReport(outcomes, results_path=reports / "validation-results.json",
                            suites_path=reports / "expectation-suites.json",
                            docs_path=reports / "data-docs" / "index.html")
