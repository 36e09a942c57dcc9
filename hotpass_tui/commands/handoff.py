"""`hotpass handoff`: build the bundle; `sign`, `verify`, `push` and `deviate` around it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hotpass_tui.commands.base import CommandContext, add_profile_options


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("handoff", help="build dist/<case>/handoff/; sign, verify, push it",
                            description="The evidence bundle another team can verify: the refined and enriched "
                                        "workbooks, the approved contract, reports, notices, the ledger's logs, "
                                        "MANIFEST.sha256 and SUMMARY.md.")
    add_profile_options(parser)
    parser.add_argument("--case", dest="case_id", help="case id (default: sample)")
    parser.set_defaults(handler=run_build)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    sign = actions.add_parser("sign", help="record the manifest's hash and the ledger's head in the ledger")
    sign.add_argument("--case", dest="case_id", help="case id (default: sample)")
    sign.add_argument("-m", "--comment", default="", help="why you sign it off")
    sign.set_defaults(handler=run_sign)
    verify = actions.add_parser("verify", help="check a bundle: every file, nothing extra, the sign-off")
    verify.add_argument("folder", type=Path, metavar="DIR")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=run_verify)
    push = actions.add_parser("push", help="upload a verified bundle to the evidence store (resumes)")
    push.add_argument("folder", type=Path, metavar="DIR")
    push.add_argument("--to", required=True, metavar="s3://BUCKET/PREFIX|FOLDER", help="where the evidence goes")
    push.add_argument("--case", dest="case_id", help="case id recorded with the push (default: from the bundle)")
    push.set_defaults(handler=run_push)
    deviate = actions.add_parser("deviate", help="record why a piece of the bundle is missing or a step was skipped")
    deviate.add_argument("--case", dest="case_id", help="case id (default: sample)")
    deviate.add_argument("what", metavar="PIECE", help="refined | enriched | contract | reports, or any step")
    deviate.add_argument("--why", required=True)
    deviate.set_defaults(handler=run_deviate)


def run_build(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.runbook.runner import run_step

    result = run_step("handoff", ctx.step_context(args))
    return ctx.finish(result, _show_bundle)


def _show_bundle(ctx: CommandContext, result) -> None:
    bundle = result.payload
    out = ctx.console
    out.print(f"[green]Hand-off bundle[/] for case {bundle.case_id}: {len(bundle.files)} files", highlight=False)
    out.print(f"  {bundle.folder}", markup=False, highlight=False)
    out.print(f"  manifest sha256 {bundle.manifest_sha256}", markup=False, highlight=False, soft_wrap=True)
    for name in bundle.missing:
        out.print(f"  [yellow]without[/] {name} (a recorded deviation)", highlight=False)
    out.print(f"Sign it off: hotpass handoff sign --case {bundle.case_id} -m TEXT", markup=False, highlight=False)


def _case_of(ctx: CommandContext, args: argparse.Namespace):
    return ctx.workspace.case(args.case_id)


def run_sign(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.handoff.bundle import handoff_folder
    from core.handoff.signoff import sign_bundle

    case = _case_of(ctx, args)
    ledger = ctx.workspace.open_ledger()
    entry = sign_bundle(ledger, case.case_id, handoff_folder(case), args.comment)
    ctx.console.print(f"Signed off the hand-off of {case.case_id}: entry #{entry.seq}", markup=False)
    ctx.console.print(f"  manifest sha256 {entry.payload['manifest_sha256']}", markup=False, highlight=False,
                      soft_wrap=True)
    return 0


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.errors import ExitCode
    from core.handoff.signoff import verify_bundle

    verdict = verify_bundle(ctx.workspace.open_ledger(), args.folder)
    problems = verdict.check.problems()
    if verdict.check.ok and verdict.signoff is None:
        problems.append("the manifest's hash has no sign-off in this ledger (hotpass handoff sign)")
    if args.json or ctx.batch:
        print(json.dumps({"event": "result", "step": "handoff-verify", "ok": verdict.ok, "problems": problems,
                          "manifest_sha256": verdict.check.manifest_sha256,
                          "signoff_seq": verdict.signoff.seq if verdict.signoff else None}), flush=True)
    elif verdict.ok:
        ctx.console.print(f"[green]✓ bundle verifies[/]: {verdict.check.files} files and the manifest, as it says; "
                          f"signed off by {verdict.signoff.who} (entry #{verdict.signoff.seq})", highlight=False)
    else:
        ctx.errors.print(f"[bold red]bundle does not verify[/]: {args.folder}", highlight=False)
        for problem in problems:
            ctx.errors.print(f"  · {problem}", markup=False, highlight=False)
    return 0 if verdict.ok else int(ExitCode.EXPECTATION_FAILED)


def run_push(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.handoff.push import push_bundle

    case_id = args.case_id or args.folder.resolve().parent.name
    result = push_bundle(args.folder, args.to)
    ctx.workspace.open_ledger().record_handoff_push(case_id, args.to, result.manifest_sha256, result.objects)
    ctx.console.print(f"Pushed {len(result.uploaded)} objects to {args.to}; {len(result.already_there)} were "
                      "already there with the same SHA-256.", markup=False, highlight=False)
    return 0


def run_deviate(args: argparse.Namespace, ctx: CommandContext) -> int:
    case = _case_of(ctx, args)
    entry = ctx.workspace.open_ledger().record_deviation(case.case_id, args.what, args.why)
    ctx.console.print(f"Deviation recorded for {case.case_id} (entry #{entry.seq}): {args.what}", markup=False)
    return 0
