"""The `hotpass` command: argument parsing and dispatch.

Start-up stays light: this module imports argparse, rich and the command modules' `register`
functions only. pandas, openpyxl and the Textual app load inside the handler that needs them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

COMMAND_MODULES = ["refine", "profiles", "review", "ledger_cmd", "batch"]

EXIT_CODES_EPILOG = """\
exit codes:
  0 ok · 1 internal error (see the log named) · 2 usage · 3 input not found
  4 unreadable input · 5 no organisation data · 6 bad profile · 7 output failed
  8 ledger unusable · 9 ledger tampered · 10 approval missing · 11 expectation failed
  12 network error · 130 cancelled

With no command, hotpass opens the terminal UI on the runbook.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotpass",
        description="Turn a folder of messy contact workbooks into one clean, validated, auditable dataset.",
        epilog=EXIT_CODES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--ledger", type=Path, help="ledger file (default: $HOTPASS_LEDGER or .hotpass/ledger.db)")
    parser.add_argument("--batch", action="store_true", help="run headless: JSON lines on stdout, no terminal UI")
    parser.add_argument("--no-mouse", action="store_true", help="UI: do not capture the mouse")
    parser.add_argument("--case", default="sample", help="UI: case id to open (default: sample)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"hotpass_tui.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        if args.batch:
            from hotpass_tui.commands.batch import run_batch_default

            handler = run_batch_default
        else:
            return _run_app(args)
    from hotpass_tui.runner import run_command

    return run_command(handler, args, argv)


def _run_app(args: argparse.Namespace) -> int:
    from hotpass_tui.app import run_app

    return run_app(case_id=args.case, ledger_path=args.ledger, mouse=not args.no_mouse)


def console_entry() -> None:  # pragma: no cover - thin wrapper for the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
