"""The `hotpass` command: argument parsing and dispatch.

Start-up stays light: this module imports argparse, rich and the command modules' `register`
functions only. pandas, openpyxl and the Textual app load inside the handler that needs them.
Every module in hotpass_tui/commands/ with a `register(subparsers)` adds its commands.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

import hotpass_tui.commands as commands_package

EXIT_CODES_EPILOG = """\
exit codes:
  0 ok · 1 internal error (see the log named) · 2 usage · 3 input not found
  4 unreadable input · 5 no organisation data · 6 bad profile · 7 output failed
  8 ledger unusable · 9 ledger tampered · 10 approval missing · 11 expectation failed
  12 network error · 130 cancelled

With no command, hotpass opens the terminal UI on the runbook; with --batch, it runs the runbook
headless (JSON lines on stdout, human text on stderr).
"""


def command_modules() -> list[str]:
    """Command modules, the runbook's steps first in runbook order (the registry's), then the rest."""
    from core.runbook.registry import STEPS

    names = {info.name for info in pkgutil.iter_modules(commands_package.__path__)
             if not info.name.startswith("_") and info.name != "base"}
    in_order = [m for m in dict.fromkeys("refine" if s.command == "prepare" else s.command for s in STEPS) if m in names]
    return in_order + sorted(names - set(in_order))


def runbook_epilog() -> str:
    from core.runbook.registry import STEPS

    steps = "\n".join(f"  {s.key} {s.title:<14} hotpass {s.command}" + ("" if s.in_batch else "   (not in --batch)")
                      for s in STEPS)
    return f"the runbook, step by step:\n{steps}\n\n{EXIT_CODES_EPILOG}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotpass",
        description="Turn a folder of messy contact workbooks into one clean, validated, auditable dataset.",
        epilog=runbook_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--ledger", type=Path, help="ledger file (default: $HOTPASS_LEDGER or .hotpass/ledger.db)")
    parser.add_argument("--batch", action="store_true", help="run the runbook headless: JSON lines on stdout, no UI")
    parser.add_argument("--no-mouse", action="store_true", help="UI: do not capture the mouse")
    parser.add_argument("--case", dest="case_id", help="case id (UI and --batch; default: sample)")
    from hotpass_tui.commands.batch import add_batch_options

    add_batch_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(f"hotpass_tui.commands.{name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    from core.workspace import Workspace

    workspace = Workspace.from_env(ledger=args.ledger)
    handler = getattr(args, "handler", None)
    if handler is None:
        if not args.batch:
            return _run_app(args, workspace)
        from hotpass_tui.commands.batch import run_batch_command

        handler = run_batch_command
    from hotpass_tui.command_wrapper import run_command

    return run_command(handler, args, argv, workspace)


def _run_app(args: argparse.Namespace, workspace) -> int:
    from hotpass_tui.app import run_app

    return run_app(workspace, case_id=args.case_id or workspace.default_case, mouse=not args.no_mouse)


def console_entry() -> None:  # pragma: no cover - thin wrapper for the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
