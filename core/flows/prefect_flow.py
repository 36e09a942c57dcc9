"""Prefect 3 flows over the runbook's steps, for when one machine is not enough.

    pip install 'hotpass[prefect]'
    python -m core.flows.prefect_flow serve --workspace /srv/hotpass      # a deployment for many cases
    prefect deployment run 'hotpass-case/hotpass-cases' -p case_id=acme   # one case, from anywhere

`case_flow` runs refine, enrich and the quality gates of one case as tasks, each through
`core.runbook.runner.run_step`: the same step functions, approvals, ledger records and staged outputs
as `hotpass refine` (the ledger records the face as "flow"). With `split_by_file=True` each file
of the case is read, mapped, linked and normalised by its own task (core.ingest.prepared), which
Prefect may run on any worker, and then one task resolves and writes the whole case from those
parts: the outputs are the direct run's, row for row.

Only this module imports Prefect, and nothing on Hotpass's normal path imports this module.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from prefect import flow, serve, task
from prefect.cache_policies import NO_CACHE

FLOW_NAME = "hotpass-case"
DEPLOYMENT_NAME = "hotpass-cases"
CASE_STEPS = ("refine", "enrich", "quality")


class StepFailed(RuntimeError):
    """A step ended with an error: Prefect marks the task failed with the step's own message."""


def _context(workspace: str, case_id: str, input_dir: str | None, profile: str, search_path: list[str],
             step_id: str, approve: list[str]):
    from core.runbook.context import Actor, StepContext
    from core.workspace import Workspace

    space = Workspace.from_env(Path(workspace))
    case = space.case(case_id, Path(input_dir) if input_dir else None)
    return StepContext(space, case, Actor("flow", ("prefect", FLOW_NAME, step_id, case.case_id)),
                       profile_name=profile, profile_search_path=[Path(p) for p in search_path],
                       granted=frozenset(approve))


def _summary(result) -> dict[str, Any]:
    """What a task hands back: small, and without personal data (paths, hashes, counts, status)."""
    if result.error is not None and result.status != "ok":
        raise StepFailed(f"{result.step} {result.status} (exit {result.exit_code}): {result.error.message}")
    return {"step": result.step, "status": result.status, "exit_code": result.exit_code, "run_id": result.run_id,
            "case_id": result.case_id, "outputs": [a.facts() for a in result.outputs],
            "warnings": list(result.warnings), "timings": dict(result.timings)}


@task(name="prepare-file", cache_policy=NO_CACHE, retries=1)
def prepare_file_task(path: str, profile: str, search_path: list[str]):
    """Read, map, link and normalise one file of the case; the result goes to the refine task."""
    from core.ingest.prepared import prepare_file
    from core.profiles import load_profile

    return prepare_file(Path(path), load_profile(profile, [Path(p) for p in search_path]))


@task(name="refine", cache_policy=NO_CACHE)
def refine_task(workspace: str, case_id: str, input_dir: str | None, profile: str, search_path: list[str],
                approve: list[str], validate: bool, prepared: list | None = None) -> dict[str, Any]:
    from core.ingest.prepared import using_prepared
    from core.runbook.runner import run_step
    from core.runbook.steps.refine import RefineOptions

    ctx = _context(workspace, case_id, input_dir, profile, search_path, "refine", approve)
    with using_prepared(list(prepared or [])):
        return _summary(run_step("refine", ctx, RefineOptions(validate=validate)))


@task(name="runbook-step", cache_policy=NO_CACHE)
def step_task(step_id: str, workspace: str, case_id: str, input_dir: str | None, profile: str,
              search_path: list[str], approve: list[str]) -> dict[str, Any]:
    """Any later step (enrich, quality) with its default options, as `hotpass --batch` runs it."""
    from core.runbook.runner import run_step

    return _summary(run_step(step_id, _context(workspace, case_id, input_dir, profile, search_path, step_id,
                                               approve)))


def available_steps(wanted: tuple[str, ...] | list[str]) -> list[str]:
    """The wanted steps that this version of Hotpass has built, in runbook order."""
    import importlib.util

    from core.runbook.registry import STEPS

    return [s.id for s in STEPS if s.id in wanted and importlib.util.find_spec(s.module_name) is not None]


@flow(name=FLOW_NAME, log_prints=False)
def case_flow(case_id: str, workspace: str = ".", input_dir: str | None = None, profile: str = "generic",
              profile_search_path: list[str] | None = None, steps: list[str] | None = None,
              split_by_file: bool = False, validation: bool = True, approve: list[str] | None = None) -> list[dict]:
    """One case through refine, enrich and the quality gates; each step a task on the runbook's path."""
    search_path, granted = list(profile_search_path or []), list(approve or [])
    chosen = available_steps(steps or CASE_STEPS)
    results: list[dict] = []
    for step_id in chosen:
        if step_id == "refine":
            prepared = None
            if split_by_file:
                prepared = [f.result() for f in prepare_file_task.map(
                    case_files(workspace, case_id, input_dir), _same(profile), _same(search_path))]
            results.append(refine_task(workspace, case_id, input_dir, profile, search_path, granted, validation,
                                       prepared))
        else:
            results.append(step_task(step_id, workspace, case_id, input_dir, profile, search_path, granted))
    return results


def _same(value):
    """A value every mapped task gets whole (Prefect's `unmapped`)."""
    from prefect import unmapped

    return unmapped(value)


def case_files(workspace: str, case_id: str, input_dir: str | None) -> list[str]:
    """The spreadsheets refine would read for this case, in its order."""
    from core.ingest.discover import discover
    from core.workspace import Workspace

    case = Workspace.from_env(Path(workspace)).case(case_id, Path(input_dir) if input_dir else None)
    return [str(p) for p in discover(case.input_dir)[0]]


def deployment(workspace: str, name: str = DEPLOYMENT_NAME, split_by_file: bool = True, **kwargs):
    """A deployment of `case_flow` that serves every case of one workspace: pass `case_id` per run."""
    return case_flow.to_deployment(name=name, parameters={"workspace": str(Path(workspace).resolve()),
                                                          "split_by_file": split_by_file},
                                   description="Hotpass: refine, enrich and quality gates of one case",
                                   tags=["hotpass"], **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.flows.prefect_flow", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve_cmd = sub.add_parser("serve", help="serve the case deployment from this process (a worker of its own)")
    serve_cmd.add_argument("--workspace", default=".", help="the workspace whose data/<case>/ folders it serves")
    serve_cmd.add_argument("--name", default=DEPLOYMENT_NAME)
    serve_cmd.add_argument("--limit", type=int, default=None, help="flow runs at once")
    run_cmd = sub.add_parser("run", help="run one case flow now, against PREFECT_API_URL")
    run_cmd.add_argument("case_id")
    run_cmd.add_argument("--workspace", default=".")
    run_cmd.add_argument("--input-dir", default=None)
    run_cmd.add_argument("--profile", default="generic")
    run_cmd.add_argument("--split-by-file", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(deployment(args.workspace, args.name), limit=args.limit)
        return 0
    results = case_flow(args.case_id, workspace=args.workspace, input_dir=args.input_dir, profile=args.profile,
                        split_by_file=args.split_by_file)
    for item in results:
        print(f"{item['step']}: {item['status']} (run {item['run_id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
