"""Step 1, Prepare: what refine would read, without writing anything. Broken files are listed, not fatal."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.results import CasePreview
from core.runbook.context import StepContext


@dataclass
class PrepareOptions:
    pass


def planned_inputs(ctx: StepContext, options: PrepareOptions | None) -> list[Path]:
    from core.ingest.discover import discover

    return discover(ctx.case.input_dir)[0] if ctx.case.input_dir.is_dir() else []


def run(ctx: StepContext, options: PrepareOptions | None = None) -> CasePreview:
    from core.errors import InputNotFound
    from core.refine import preview_case

    ctx.workspace.ensure_sample(ctx.case)
    if not ctx.case.input_dir.is_dir():
        raise InputNotFound("the case folder does not exist", file=ctx.case.input_dir,
                            hint="put the workbooks in data/<case>/ or name the folder with --input-dir")
    preview = preview_case(ctx.case.input_dir, ctx.profile, progress=ctx.progress, cancel=ctx.cancel)
    ctx.inputs.extend(ctx.case.input_dir / f.file for f in preview.files)
    for name, reason in preview.skipped_files:
        ctx.warn(f"{name} skipped: {reason}")
    return preview
