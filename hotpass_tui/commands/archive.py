"""`hotpass archive verify ZIP`: check a refine archive against its SHA256SUMS."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotpass_tui.commands.base import CommandContext


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("archive", help="check archives that refine --archive wrote")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check every file of an archive against its SHA256SUMS",
                                description="Names each file that differs from SHA256SUMS, is missing, or was added. "
                                            "Exit 0 when all match; 4 when the archive is damaged, "
                                            "truncated or not a zip.")
    verify.add_argument("zip", type=Path, metavar="ZIP", help="dist/<case>/archive/refined-….zip")
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace, ctx: CommandContext) -> int:
    from core.archive import verify_archive
    from core.errors import UnreadableInput

    check = verify_archive(args.zip)
    out = ctx.console
    if check.ok:
        out.print(f"[green]ok[/]: {check.checked} files match SHA256SUMS")
        out.print(str(check.path), markup=False, highlight=False)
        return 0
    for label, names in (("differs", check.differing), ("missing", check.missing), ("added", check.added)):
        for name in names:
            out.print(f"{label}: {name}", markup=False, highlight=False)
    problems = len(check.differing) + len(check.missing) + len(check.added)
    raise UnreadableInput(f"{problems} {'file does' if problems == 1 else 'files do'} not match SHA256SUMS "
                          f"({len(check.differing)} differing, {len(check.missing)} missing, {len(check.added)} added)",
                          file=check.path, details=[*(f"differs: {n}" for n in check.differing),
                                                    *(f"missing: {n}" for n in check.missing),
                                                    *(f"added: {n}" for n in check.added)],
                          hint="use an untouched copy of the archive, or run refine --archive again")
