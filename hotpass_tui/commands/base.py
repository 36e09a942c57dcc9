"""What every command handler receives, and how a handler that runs a runbook step reports it.

A command module exposes `register(subparsers)`; each parser it adds sets
`handler=<function(args, ctx) -> int>`. Handlers import heavy libraries inside the function,
never at module level: `hotpass --help` must not wait for pandas.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `hotpass --help` and the command line's parsing never wait for rich
    from rich.console import Console

    from core.workspace import Workspace
    from core.runbook.context import StepContext
    from core.runbook.result import StepResult


@dataclass
class CommandContext:
    console: Console
    workspace: Workspace
    batch: bool = False
    argv: tuple[str, ...] = ()
    errors: Console = field(default_factory=lambda: _console(stderr=True, highlight=False))

    @property
    def ledger_path(self) -> Path:
        return self.workspace.ledger_path

    def step_context(self, args: argparse.Namespace, **overrides: Any) -> "StepContext":
        """The StepContext for the case, profile and approvals the flags name."""
        from core.runbook.context import Actor, StepContext

        case = self.workspace.case(getattr(args, "case_id", None), getattr(args, "input_dir", None),
                                   getattr(args, "output_path", None))
        args.case_id = case.case_id
        granted = frozenset(getattr(args, "approve", None) or ())
        return StepContext(self.workspace, case, Actor("batch" if self.batch else "cli", self.argv),
                           profile_name=getattr(args, "profile", None) or "generic",
                           profile_search_path=list(getattr(args, "profile_search_path", None) or []),
                           granted=granted, **overrides)

    def finish(self, result: "StepResult", show: Callable[["CommandContext", Any], None] | None = None) -> int:
        """Print a step's outcome: its payload (or its error), then its warnings; return its exit code."""
        from hotpass_tui.command_wrapper import report_error

        if result.error is not None:
            if result.status == "cancelled" and not self.batch:
                self.errors.print("[yellow]cancelled[/]: nothing was written")
            else:
                report_error(result.error, self.errors, self.batch)
        elif show is not None:
            show(self, result)
        for warning in result.warnings:
            self.errors.print("[yellow]warning[/]: ", end="")
            self.errors.print(warning, markup=False, soft_wrap=True)
        return int(result.exit_code)


def _console(**options: Any) -> "Console":
    from rich.console import Console

    return Console(**options)


def add_profile_options(parser: argparse.ArgumentParser, default: str = "generic") -> None:
    parser.add_argument("--profile", default=default, help=f"profile name (default: {default})")
    parser.add_argument("--profile-search-path", type=Path, action="append", default=[], metavar="DIR",
                        help="folder searched for profiles before the bundled ones (repeatable)")


def add_case_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--case", dest="case_id", help="case id: reads data/<case>/, writes dist/<case>/ "
                        "(default: the input folder's name, else sample)")
    parser.add_argument("--input-dir", type=Path, help="folder of workbooks (default: data/<case>/)")
