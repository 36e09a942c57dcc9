"""The human summary of one refine run (`reports/refine-summary.md`).

It says what the run read, skipped, dropped and decided, with every merge and every review pair in
the same plain words the review queue and `hotpass review list` use. It names files, sheets and
organisations, never a person's phone number or email address (the explanations leave those out).
"""

from __future__ import annotations

from core.results import RefineResult


def _pairs_section(result: RefineResult) -> list[str]:
    if not result.review:
        return ["No pairs wait for review."]
    lines = ["| pair | score | left | right | evidence | decision |", "|---|---|---|---|---|---|"]
    for item in result.review:
        left = item.left.get("organization_name") or "?"
        right = item.right.get("organization_name") or "?"
        lines.append(f"| {item.pair_id} | {item.score:.2f} | {_cell(left)} | {_cell(right)} | "
                     f"{_cell(item.explanation)} | {item.decision or 'waiting'} |")
    return lines


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(result: RefineResult) -> str:
    links = result.links
    used = [s for s in result.preview.sheets if s.status == "used"]
    skipped = [s for s in result.preview.sheets if s.status != "used"]
    lines = [
        f"# Refine of case {result.case_id}",
        "",
        f"Run `{result.run_id}` with profile `{result.profile}`.",
        "",
        f"* Rows in: {result.rows_in:,}; organisations out: {result.organisations_out:,}",
        f"* Merges: {result.merges:,} ({result.pairs_compared:,} pairs compared)",
        f"* Contacts linked by ID {links.by_id}, by name {links.by_name}, kept under their own name "
        f"{links.own_name}, unlinked (in the notices) {links.unlinked}",
        f"* Rows dropped into contract notices: {sum(n.rows for n in result.notices):,}",
        f"* Values that could not be normalised: {len(result.invalid_values):,}",
        "",
        "## Sheets used",
        "",
        *[f"* {s.file} › {s.sheet or '(csv)'}: header row {s.header_row}, {s.data_rows:,} rows" for s in used],
        "",
        "## Sheets and files skipped",
        "",
        *[f"* {s.file} › {s.sheet or '(csv)'}: {s.reason}" for s in skipped],
        *[f"* {name}: {why}" for name, why in result.preview.skipped_files],
        "",
        "## Contract notices",
        "",
        *[f"* {n.source}: {n.rows:,} rows ({', '.join(f'{c} {why}' for why, c in n.reasons.items())}) → "
          f"`{n.path.name}`" for n in result.notices],
        "",
        "## Review queue",
        "",
        *_pairs_section(result),
        "",
        "## Why organisations were merged",
        "",
        *[f"* {line}" for line in result.merge_explanations],
        "",
        *_validation_section(result),
        *_completeness_section(result),
        *_score_section(result),
    ]
    return "\n".join(lines)


def _validation_section(result: RefineResult) -> list[str]:
    report = result.validation
    lines = ["## Validation (Great Expectations)", ""]
    if report is None or report.skipped:
        return lines + ["Validation was **skipped** (`--no-validate`): no expectation was checked. "
                        "The ledger records this run's deviation.", ""]
    totals = report.totals()
    lines += [f"{totals['expectations']} expectations: {totals['passed']} passed, "
              f"{totals['failed_blocking']} blocking failed, {totals['failed_warning']} "
              f"{'warning' if totals['failed_warning'] == 1 else 'warnings'}.", ""]
    if report.docs_path:
        lines += [f"Data Docs: `{_shown(report.docs_path, result.output_path.parent)}` (opens in a browser, "
                  "offline); results as JSON: `reports/validation-results.json`.", ""]
    lines += ["| result | severity | checked on | expectation | column | observed |", "|---|---|---|---|---|---|"]
    for o in report.outcomes:  # observed values are counts and shares, never the failing values
        lines.append(f"| {o.status} | {o.severity} | {_cell(o.target)} | {o.expectation} | {_cell(o.column or '(table)')} | "
                     f"{_cell(o.observed)} |")
    return lines + [""]


def _shown(path, folder) -> str:
    """Paths under the case's output folder as seen from it; others in full."""
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return str(path)


def _completeness_section(result: RefineResult) -> list[str]:
    data = result.organisations
    if data is None or not len(data):
        return []
    lines = ["## Field completeness", "", "| column | filled |", "|---|---|"]
    lines += [f"| {column} | {data[column].notna().mean():.1%} |" for column in data.columns]
    return lines + [""]


SCORE_BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.0))


def _score_section(result: RefineResult) -> list[str]:
    data = result.organisations
    if data is None or not len(data) or "data_quality_score" not in data:
        return []
    scores = data["data_quality_score"].dropna()
    lines = ["## Quality score distribution", "",
             f"Mean {scores.mean():.3f}, median {scores.median():.3f} over {len(scores):,} organisations.", "",
             "| score | organisations |", "|---|---|"]
    for low, high in SCORE_BANDS:
        inside = (scores >= low) & ((scores < high) if high < 1.0 else (scores <= high))
        label = f"{low:.1f}–{high:.1f}" if high < 1.0 else f"{low:.1f}–1.0"
        lines.append(f"| {label} | {int(inside.sum()):,} |")
    return lines + [""]
