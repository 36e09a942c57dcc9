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
    ]
    return "\n".join(lines)
