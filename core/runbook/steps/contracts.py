"""Step 4, Contracts: emit the data contract of the profile's refined dataset.

Review and approval are the operator's (the Contracts pane, or `hotpass ledger approve contract`);
this step writes the file whose bytes they approve. It reads only the profile, so it is fast and
needs no refine first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.runbook.context import StepContext


@dataclass
class ContractsOptions:
    format: str = "yaml"  # yaml | json | jsonschema
    output: Path | None = None  # default: dist/<case>/contracts/<profile>.yaml


@dataclass
class ContractsResult:
    path: Path
    format: str
    sha256: str
    bytes: int
    columns: int
    rules: int
    personal_columns: list[str] = field(default_factory=list)
    unchanged: bool = False  # the file already held exactly these bytes
    approved: bool = False  # these bytes are approved in the ledger
    profile: str = ""
    # The profile as loaded, as JSON: the run's settings key without loading it again (core/contracts/cache.py)
    profile_json: str = field(default="", repr=False)


def _target(ctx: StepContext, options: ContractsOptions) -> Path:
    from core.contracts.emit import contract_path

    if options.output is None:
        return contract_path(ctx.case, ctx.profile_name, options.format)
    return options.output if options.output.is_absolute() else ctx.workspace.root / options.output


def planned_inputs(ctx: StepContext, options: ContractsOptions | None) -> list[Path]:
    from core.profile_files import find_profile_file

    return [find_profile_file(ctx.profile_name, ctx.profile_search_path)]


def run(ctx: StepContext, options: ContractsOptions | None = None) -> ContractsResult:
    from core.contracts.cache import emitted
    from core.contracts.emit import FORMATS, sha256_bytes
    from core.errors import UsageError

    options = options or ContractsOptions()
    if options.format not in FORMATS:
        raise UsageError(f"unknown contract format {options.format!r}", key="--format",
                         hint="yaml, json or jsonschema")
    reporter = ctx.reporter("contracts", ("emit",))
    reporter.stage("emit", 1)
    ctx.inputs.extend(planned_inputs(ctx, options))
    # Unchanged profile files and code give the bytes of the last emit without loading pydantic
    contract = emitted(ctx.workspace.cache_dir, ctx.profile_name, ctx.profile_search_path, ctx.case.input_dir,
                       options.format, lambda: ctx.profile)
    if contract.overlay is not None and contract.overlay not in ctx.inputs:
        ctx.inputs.append(contract.overlay)
    data = contract.data
    target = _target(ctx, options)
    sha = sha256_bytes(data)
    unchanged = target.is_file() and target.read_bytes() == data
    with ctx.staging() as staging:
        staging.path_for(target).write_bytes(data)
        ctx.outputs.extend(staging.artefacts())
        staging.commit()
    reporter.advance(1, 1)
    approved = False
    if options.format != "jsonschema":
        from core.contracts.approval import latest_decision

        decision = latest_decision(ctx.open_ledger(), sha)
        approved = decision is not None and decision.payload.get("decision") == "approve"
    return ContractsResult(target, options.format, sha, len(data), contract.columns, contract.rules,
                           contract.personal_columns, unchanged, approved, ctx.profile_name, contract.profile_json)
