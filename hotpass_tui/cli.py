"""The `hotpass` command: argument parsing and dispatch.

Start-up stays light: this module imports argparse and the command modules' `register` functions
only. pandas, openpyxl and the Textual app load inside the handler that needs them. Every module in
hotpass_tui/commands/ with a `register(subparsers)` adds its commands. A command line that names its
command registers only that command's module (its handler is all it runs); help, the UI, --batch
and the gates that read every command (`qa cli`, `qa docs`) get the whole parser.
"""

from __future__ import annotations

import argparse
import importlib
import os
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

# Commands that live in a module of another name; every other command lives in the module named after it.
# A wrong or missing entry costs speed only: a command the module does not register falls back to the
# whole parser (tests/faces/cli/test_cli_parser.py holds this table to what the modules register).
COMMAND_MODULE = {"prepare": "refine", "run": "batch", "ledger": "ledger_cmd"}


def _module_names() -> set[str]:
    folder = Path(commands_package.__path__[0])
    return {entry.name[:-3] for entry in os.scandir(folder)
            if entry.name.endswith(".py") and not entry.name.startswith("_") and entry.name != "base.py"}


def command_modules() -> list[str]:
    """Command modules, the runbook's steps first in runbook order (the registry's), then the rest."""
    from core.runbook.registry import STEPS

    names = _module_names()
    in_order = [m for m in dict.fromkeys("refine" if s.command == "prepare" else s.command for s in STEPS) if m in names]
    return in_order + sorted(names - set(in_order))


def runbook_epilog() -> str:
    from core.runbook.registry import STEPS

    steps = "\n".join(f"  {s.key} {s.title:<14} hotpass {s.command}" + ("" if s.in_batch else "   (not in --batch)")
                      for s in STEPS)
    return f"the runbook, step by step:\n{steps}\n\n{EXIT_CODES_EPILOG}"


def _top_parser(epilog: str | None) -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    parser = argparse.ArgumentParser(
        prog="hotpass",
        description="Turn a folder of messy contact workbooks into one clean, validated, auditable dataset.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--ledger", type=Path, help="ledger file (default: $HOTPASS_LEDGER or .hotpass/ledger.db)")
    parser.add_argument("--batch", action="store_true", help="run the runbook headless: JSON lines on stdout, no UI")
    parser.add_argument("--no-mouse", action="store_true", help="UI: do not capture the mouse")
    parser.add_argument("--case", dest="case_id", help="case id (UI and --batch; default: sample)")
    from hotpass_tui.commands.batch import add_batch_options

    add_batch_options(parser)
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND")


def _register(sub: argparse._SubParsersAction, name: str) -> None:
    module = importlib.import_module(f"hotpass_tui.commands.{name}")
    if hasattr(module, "register"):
        module.register(sub)


def build_parser() -> argparse.ArgumentParser:
    """The whole parser: every command of every module (help, `qa cli`, `qa docs`)."""
    parser, sub = _top_parser(runbook_epilog())
    for name in command_modules():
        _register(sub, name)
    return parser


def command_named(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """The command word of a command line: the first argument that is neither a top-level option nor
    its value. None when there is none, or when an option is not spelled out (argparse's abbreviations)."""
    options = parser._option_string_actions
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return None
        if not token.startswith("-") or token == "-":
            return token
        name = token.split("=", 1)[0]
        action = options.get(name)
        if action is None or isinstance(action, argparse._HelpAction):
            return None
        if action.nargs != 0 and "=" not in token:
            next(tokens, None)
    return None


def parser_for(argv: list[str]) -> argparse.ArgumentParser:
    """A parser that knows the command `argv` names (only that one, when its module can be told), else all."""
    parser, sub = _top_parser(None)
    command = command_named(parser, argv)
    module = COMMAND_MODULE.get(command, command) if command else None
    if module is None or module not in _module_names():
        return build_parser()
    _register(sub, module)
    return parser if command in sub.choices else build_parser()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser_for(argv).parse_args(argv)
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

    return run_app(workspace, case_id=args.case_id or workspace.default_case, mouse=not args.no_mouse,
                   profile=getattr(args, "profile", None), input_dir=getattr(args, "input_dir", None))


def console_entry() -> None:  # pragma: no cover - thin wrapper for the console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
