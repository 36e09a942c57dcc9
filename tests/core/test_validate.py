"""Validation, lineage and reports on the refine step, with real Great Expectations (in its own
process, as in production), a real loopback lineage receiver, and real workbooks.

One good run and one broken run are shared by the tests (module fixtures): each GX start costs
seconds.
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from core.errors import ProfileError
from core.runbook.context import Actor, StepContext
from core.runbook.runner import run_step
from core.runbook.steps.refine import RefineOptions
from core.workspace import Workspace
from tests.conftest import SHARED, write_xlsx
from tests.core.lineage_server import LineageReceiver, closed_port_url

HEADER = ["Organisation Name", "Email", "Phone", "Province", "Website"]
GOOD = [
    ["Alpha Aviation", "ops@alpha.co.za", "011 555 0101", "GP", "alpha.co.za"],
    ["Bravo Flight School", "info@bravo.co.za", "021 555 0102", "Western Cape", "https://bravo.co.za"],
    ["Charlie Air", "hello@charlie.co.za", "+27 31 555 0103", "KZN", "www.charlie.co.za"],
    ["Delta Helicopters", "delta@delta.co.za", "012 555 0104", "Gauteng", None],
    ["Echo Maintenance", None, "041 555 0105", "EC", None],
]
# An "Email" column that holds people's names: the column was mapped wrongly, which is blocking.
BROKEN = [[name, f"Contact person {i}", phone, province, site]
          for i, (name, _, phone, province, site) in enumerate(GOOD)]
CASE = "val"
SCHEMAS = SHARED / "schemas" / "openlineage"


def _context(root: Path, url: str | None = None) -> StepContext:
    environ = {"OPENLINEAGE_URL": url} if url else {}
    workspace = Workspace.from_env(root, root / ".hotpass" / "ledger.db", environ=environ)
    return StepContext(workspace, workspace.case(CASE), Actor("cli", ("refine", "--case", CASE)),
                       profile_name="generic")


@pytest.fixture(scope="module")
def receiver():
    with LineageReceiver() as server:
        yield server


@pytest.fixture(scope="module")
def good(tmp_path_factory, receiver):
    root = tmp_path_factory.mktemp("validate-good")
    write_xlsx(root / "data" / CASE / "orgs.xlsx", {"Organisations": [HEADER, *GOOD]})
    ctx = _context(root, receiver.url)
    result = run_step("refine", ctx, RefineOptions(archive=True))
    receiver.wait_for(2)
    return root, ctx, result


@pytest.fixture(scope="module")
def broken(good, receiver):
    root, _, _ = good
    before = (root / "dist" / CASE / "refined.xlsx").read_bytes()
    write_xlsx(root / "data" / CASE / "orgs.xlsx", {"Organisations": [HEADER, *BROKEN]})
    seen = len(receiver.events)
    result = run_step("refine", _context(root, receiver.url))
    receiver.wait_for(seen + 2)
    write_xlsx(root / "data" / CASE / "orgs.xlsx", {"Organisations": [HEADER, *GOOD]})
    return root, result, before, receiver.events[seen:]


def test_good_run_validates_and_writes_every_report(good) -> None:
    root, _, result = good
    assert result.exit_code == 0, result.error
    report = result.payload.validation
    assert not report.skipped and len(report.outcomes) >= 8
    assert report.blocking_failures == []
    reports = root / "dist" / CASE / "reports"
    for name in ("validation-results.json", "expectation-suites.json", "refine-summary.md", "data-docs/index.html"):
        assert (reports / name).is_file(), name
    kinds = {o.expectation for o in report.outcomes}
    assert {"expect_column_values_to_be_unique", "expect_column_values_to_match_regex",
            "expect_column_values_to_be_in_set", "expect_column_values_to_be_between"} <= kinds


def test_ledger_records_report_and_archive_hashes(good) -> None:
    root, ctx, result = good
    recorded = {Path(a.path).name: a.sha256 for a in result.outputs}
    assert recorded["validation-results.json"] and recorded["refine-summary.md"]
    archive = result.payload.archive_path
    assert archive is not None and archive.is_file()
    assert re.fullmatch(r"refined-\d{8}T\d{6}Z-[0-9a-f]{12}\.zip", archive.name)
    from core.staging import sha256_of

    assert recorded[archive.name] == sha256_of(archive)
    entry = ctx.open_ledger().entries(kind="run", case_id=CASE)[-1]
    assert any(o["path"] == str(archive) for o in entry.payload["outputs"])


def test_reports_hold_no_failing_values(good) -> None:
    """Counts and shares only: the values live in the operator's own CSV and screens."""
    root, _, result = good
    reports = root / "dist" / CASE / "reports"
    texts = [(reports / "validation-results.json").read_text(), (reports / "refine-report.json").read_text(),
             *(p.read_text() for p in (reports / "data-docs").rglob("*.html"))]
    for text in texts:
        assert "partial_unexpected_list" not in text and "unexpected_list" not in text


def test_summary_lists_every_expectation_completeness_and_scores(good) -> None:
    root, _, result = good
    text = (root / "dist" / CASE / "reports" / "refine-summary.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("| pass |") or line.startswith("| FAIL |")]
    assert len(table) == len(result.payload.validation.outcomes)
    assert any("| blocking |" in line for line in table) and any("| warning |" in line for line in table)
    assert "## Field completeness" in text and "| organization_slug | 100.0% |" in text
    assert "## Quality score distribution" in text and "| 0.8–1.0 |" in text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self.text: list[str] = []
        self.styles = 0

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if tag == "style":
            self.styles += 1
        for name in ("src", "href"):
            link = values.get(name) or ""
            if tag in ("script", "link", "img") and link:
                self.remote.append(link)  # any fetched resource, remote or local, is one offline may miss

    def handle_data(self, data) -> None:
        if data.strip():
            self.text.append(data.strip())


def test_data_docs_open_offline_and_list_the_expectations(good) -> None:
    root, _, result = good
    docs = root / "dist" / CASE / "reports" / "data-docs"
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) >= 3  # the index, a suite page, a validation page
    for page in pages:
        parser = _Page()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.remote == [], f"{page.name} loads {parser.remote[:3]}"
        assert parser.styles >= 1, f"{page.name} has no inline style"
    refined = next(p for p in pages if "validations" in p.parts and "refined" in p.name)
    parser = _Page()
    parser.feed(refined.read_text(encoding="utf-8"))
    words = " ".join(parser.text)
    assert "organization_slug" in words and "data_quality_score" in words
    assert "values must be unique" in words or "unique" in words


def test_suites_export_as_gx_json_and_read_back_whole(good) -> None:
    root, _, _ = good
    suites = json.loads((root / "dist" / CASE / "reports" / "expectation-suites.json").read_text())
    from core.validate.worker import load_suite

    for suite_json in suites:
        suite = load_suite(suite_json)  # raises when GX drops one
        assert len(suite.expectations) == len(suite_json["expectations"]) > 0
    with pytest.raises(ValueError, match="GX read 1 of 2"):
        load_suite({"name": "x", "expectations": [suites[-1]["expectations"][0],
                                                  {"type": "expect_nothing_at_all", "kwargs": {}}]})


def test_blocking_failure_stops_the_run_and_keeps_the_earlier_output(broken) -> None:
    root, result, before, _ = broken
    assert result.exit_code == 11
    error = result.error
    assert error.file == "orgs.xlsx" and error.sheet == "Organisations" and error.key == "contact_email"
    assert "expect_column_values_to_match_regex" in error.message
    assert "Contact person" not in error.message  # values only in details, and only a few
    shown = [d for d in error.details if d.startswith("row ")]
    assert 1 <= len(shown) <= 5 and "Contact person" in shown[0]
    assert (root / "dist" / CASE / "refined.xlsx").read_bytes() == before
    recorded = result.header()
    assert "Contact person" not in json.dumps(recorded)


def test_lineage_start_and_complete_share_a_run_and_fail_carries_the_error(good, broken) -> None:
    root, _, _ = good
    _, result, _, failed_events = broken
    events = [json.loads(line) for line in (root / "dist" / CASE / "lineage" / "events.jsonl").read_text().splitlines()]
    kinds = [e["eventType"] for e in events]
    assert kinds[:4] == ["START", "COMPLETE", "START", "FAIL"]
    assert events[0]["run"]["runId"] == events[1]["run"]["runId"] != events[2]["run"]["runId"]
    assert events[0]["job"] == events[1]["job"] and events[1]["job"]["name"] == "hotpass.refine.generic"
    assert events[1]["job"]["namespace"] == "hotpass"
    complete = events[1]
    assert complete["inputs"][0]["name"].endswith("orgs.xlsx")
    fields = [f["name"] for f in complete["inputs"][0]["facets"]["schema"]["fields"]]
    assert "contact_email" in fields and "organization_name" in fields
    output = complete["outputs"][0]
    assert output["name"].endswith("refined.xlsx") and "dataQualityAssertions" in output["facets"]
    assert any(a["assertion"] == "expect_column_values_to_be_unique" for a in output["facets"]["dataQualityAssertions"]["assertions"])
    assert events[3]["run"]["facets"]["errorMessage"]["message"] == result.error.message
    assert [e["eventType"] for e in failed_events] == ["START", "FAIL"]


def test_receiver_got_what_the_file_has(good, receiver) -> None:
    root, _, _ = good
    first_two = receiver.events[:2]
    assert [e["eventType"] for e in first_two] == ["START", "COMPLETE"]
    assert first_two[0]["run"]["runId"] == first_two[1]["run"]["runId"]
    assert all(path == "/api/v1/lineage" for path in receiver.paths)


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason=f"OpenLineage schemas not found at {SCHEMAS} (../shared is absent)")
def test_events_validate_against_the_openlineage_schema(good, broken) -> None:
    import jsonschema
    from referencing import Registry, Resource

    documents = [json.loads(p.read_text()) for p in [SCHEMAS / "OpenLineage.json", *sorted((SCHEMAS / "facets").glob("*.json"))]]
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in documents)
    root, _, _ = good
    events = [json.loads(line) for line in (root / "dist" / CASE / "lineage" / "events.jsonl").read_text().splitlines()]
    run_event = {"$ref": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"}
    for event in events:
        jsonschema.Draft202012Validator(run_event, registry=registry,
                                        format_checker=jsonschema.FormatChecker()).validate(event)
        for found in _facets(event):
            jsonschema.Draft202012Validator({"$ref": found["_schemaURL"]}, registry=registry).validate(found)


def _facets(event: dict) -> list[dict]:
    out = list(event["run"]["facets"].values()) + list(event["job"]["facets"].values())
    for dataset in event["inputs"] + event["outputs"]:
        out += list(dataset.get("facets", {}).values()) + list(dataset.get("outputFacets", {}).values())
    return out


def test_lineage_server_down_or_slow_is_a_warning_and_costs_under_a_second(tmp_path: Path) -> None:
    from core.lineage import Lineage

    with LineageReceiver(delay_s=5.0) as slow:
        for url in (closed_port_url(), slow.url):
            lineage = Lineage(tmp_path / "events.jsonl", "hotpass", "hotpass.refine.generic", "run-1", url)
            began = time.perf_counter()
            lineage.start()
            lineage.complete([], [])
            problems = lineage.finish()
            assert time.perf_counter() - began < 1.0
            assert problems and url in problems[0]
    assert len((tmp_path / "events.jsonl").read_text().splitlines()) == 4  # the file always has them


def test_no_validate_is_a_deviation_and_said_in_the_report(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "data" / CASE / "orgs.xlsx", {"Organisations": [HEADER, *BROKEN]})
    result = run_step("refine", _context(tmp_path), RefineOptions(validate=False))
    assert result.exit_code == 0
    assert any("--no-validate" in d for d in result.deviations)
    summary = (tmp_path / "dist" / CASE / "reports" / "refine-summary.md").read_text()
    assert "Validation was **skipped**" in summary
    assert not (tmp_path / "dist" / CASE / "reports" / "validation-results.json").exists()


PROFILE_HEAD = "name: {name}\nextends: generic\ndescription: test\n"


@pytest.mark.parametrize("section, key, says", [
    ("expectations:\n  sheets:\n    - expect: expect_column_values_to_not_be_null\n      column: contact_emial\n",
     "expectations.sheets.0.column", "not a field of this profile"),
    ("expectations:\n  refined:\n    - expect: expect_column_values_to_not_be_null\n      column: slug\n",
     "expectations.refined.0.column", "not a column of the refined Data"),
    ("expectations:\n  refined:\n    - expect: expect_column_values_to_be_pretty\n      column: organization_slug\n",
     "expectations.refined.0.expect", "unknown expectation type"),
])
def test_profile_expectation_with_unknown_name_fails_with_file_and_key(tmp_path: Path, section: str, key: str,
                                                                        says: str) -> None:
    from core.profiles import lint_profiles, load_profile

    path = tmp_path / "broken.yaml"
    path.write_text(PROFILE_HEAD.format(name="broken") + section, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile("broken", [tmp_path])
    assert caught.value.key == key and says in caught.value.message and Path(caught.value.file) == path
    assert [p.key for p in lint_profiles([tmp_path]) if Path(p.file) == path] == [key]


def test_nothing_is_written_outside_the_case_folder_but_the_log(good) -> None:
    root, _, _ = good
    written = {p.relative_to(root).parts[0] for p in root.rglob("*") if p.is_file()}
    assert written <= {"data", "dist", ".hotpass"}
    dist = {p.relative_to(root / "dist").parts[0] for p in (root / "dist").rglob("*") if p.is_file()}
    assert dist <= {CASE, "contract-notices"}
    logs = list((root / ".hotpass" / "logs").glob("validate-*.log"))
    assert logs and not any("Traceback" in p.read_text() for p in logs)


@pytest.mark.parametrize("stage", ["resolve", "validate"])
def test_cancel_while_gx_validates_leaves_nothing_and_no_thread(tmp_path: Path, stage: str) -> None:
    """Cancelled while resolving (the source sheets are with GX, the refined Data not yet) or as the
    validate stage begins (the workbook thread is writing, GX still importing)."""
    import threading

    from core.errors import ExitCode

    write_xlsx(tmp_path / "data" / CASE / "orgs.xlsx", {"Organisations": [HEADER, *GOOD]})
    ctx = _context(tmp_path)

    def cancel_at(event) -> None:
        if event.stage == stage:
            ctx.cancel.set()

    ctx.progress = cancel_at
    result = run_step("refine", ctx)
    assert result.exit_code == ExitCode.CANCELLED, result.error
    output = tmp_path / "dist" / CASE
    assert not (output / "refined.xlsx").exists() and not (output / "reports").exists()
    assert not (output / ".runs").exists() or not any((output / ".runs").iterdir())
    log = next((tmp_path / ".hotpass" / "logs").glob("validate-*.log"))
    assert "Traceback" not in log.read_text()
    deadline = time.monotonic() + 5
    while any(t.name.startswith(("hotpass-validate", "hotpass-write")) for t in threading.enumerate()):
        assert time.monotonic() < deadline, [t.name for t in threading.enumerate()]
        time.sleep(0.05)


def test_a_damaged_template_cache_still_gives_the_same_data_docs(good) -> None:
    """Runs last: it refines the shared case again. Compiled Data Docs templates are kept in the
    workspace's cache between runs; garbage there is compiled again, never shown."""
    root, _, _ = good
    docs = root / "dist" / CASE / "reports" / "data-docs"
    before = sorted(p.relative_to(docs).parts[0] for p in docs.rglob("*.html"))
    cached = list((root / ".hotpass" / "cache" / "data-docs-templates").glob("*.jinja"))
    assert cached, "the first run kept no compiled templates"
    for entry in cached:
        entry.write_bytes(b"not a compiled template")
    result = run_step("refine", _context(root))
    assert result.exit_code == 0, result.error
    assert sorted(p.relative_to(docs).parts[0] for p in docs.rglob("*.html")) == before
    page = (docs / "index.html").read_text()
    assert "Validation results" in page and "Expectation suites" in page
    assert all(entry.read_bytes() != b"not a compiled template" for entry in cached)  # compiled again
