"""What every command handler receives, and how it reports what it read and wrote.

A command module exposes `register(subparsers)`; each parser it adds sets
`handler=<function(args, ctx) -> int>`. Handlers import heavy libraries inside the function,
never at module level: `hotpass --help` must not wait for pandas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console


@dataclass
class CommandContext:
    console: Console
    ledger_path: Path
    batch: bool = False
    inputs: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    record_run: bool = True
