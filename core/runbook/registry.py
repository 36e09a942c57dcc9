"""The runbook's steps, in order: one table that the UI's step list, keys, palette and help, the
CLI's commands and the batch order all read.

A step's code lives in `core.runbook.steps.<id>` and is imported only when the step runs, so that
reading this table costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from core.results import REFINE_STAGES


@dataclass(frozen=True)
class StepSpec:
    id: str
    key: str  # the UI key that opens its pane
    title: str
    summary: str
    stages: tuple[str, ...]  # progress is reported per stage, by these names only
    approvals: tuple[str, ...]  # approval kinds it may need (which ones, exactly, depends on the run)
    outputs: tuple[str, ...]  # what it leaves, as an operator reads it
    command: str | None  # the `hotpass` command that runs it on its own
    in_batch: bool  # part of `hotpass --batch`

    @property
    def module_name(self) -> str:
        return f"core.runbook.steps.{self.id}"

    def implementation(self) -> ModuleType:
        """The step's module: `run(ctx, options)`, and optionally `needed_approvals`, `planned_inputs`."""
        return importlib.import_module(self.module_name)


STEPS: tuple[StepSpec, ...] = (
    StepSpec("prepare", "1", "Prepare", "the case folder, the profile, how each sheet reads",
             ("discover", "read"), (), ("a preview; nothing is written",), "prepare", True),
    StepSpec("refine", "2", "Refine", "one clean row per organisation",
             tuple(REFINE_STAGES), (),
             ("dist/<case>/refined.xlsx", "dist/<case>/reports/", "dist/<case>/review-queue.json",
              "dist/contract-notices/<run-id>/"), "refine", True),
    StepSpec("enrich", "3", "Enrich", "fill empty cells from local lookups; network only after approval",
             ("read", "lookup", "derive", "research", "write"), ("enrichment",),
             ("dist/<case>/enriched.xlsx", "dist/<case>/reports/enrich-summary.md"), "enrich", True),
    StepSpec("contracts", "4", "Contracts", "emit, review and approve the data contract",
             ("emit",), (), ("dist/<case>/contracts/<profile>.yaml",), "contracts", True),
    StepSpec("telemetry", "5", "Telemetry", "tunnels to Prefect and Marquez, the dashboard",
             ("connect", "forward"), (), ("local ports on 127.0.0.1 forwarded to Prefect and Marquez",
                                          ".hotpass/tunnels/<label>.json"), "net", False),
    StepSpec("quality", "6", "Quality gates", "run every gate, file incidents",
             ("cli", "data-quality", "contracts", "enrichment", "ledger", "docs"), ("waiver",),
             ("a pass/fail table", "dist/<case>/reports/qa-report.json", "dist/incidents/<ticket-id>/"), "qa", True),
    StepSpec("handoff", "7", "Hand-off", "sign off, bundle the evidence, record next steps",
             ("collect", "manifest", "summary"), ("contract",),
             ("dist/<case>/handoff/", "MANIFEST.sha256", "SUMMARY.md"), "handoff", True),
)

BY_ID = {spec.id: spec for spec in STEPS}
BY_KEY = {spec.key: spec for spec in STEPS}


def step(step_id: str) -> StepSpec:
    try:
        return BY_ID[step_id]
    except KeyError:
        from core.errors import UsageError

        raise UsageError(f"there is no runbook step {step_id!r}", key=step_id,
                         hint="steps: " + ", ".join(BY_ID)) from None


def batch_steps() -> list[StepSpec]:
    return [spec for spec in STEPS if spec.in_batch]
