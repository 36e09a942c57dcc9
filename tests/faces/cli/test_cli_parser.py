"""The command line registers only the command it names: the same parsing and help, a shorter start."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hotpass_tui import cli
from tests.conftest import run_hotpass


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_command_is_found_in_the_module_the_table_names() -> None:
    """COMMAND_MODULE says where a command lives when its module has another name; a command a module
    moved or added under another name would otherwise fall back to the whole parser, silently slower."""
    for module in cli.command_modules():
        _, sub = cli._top_parser(None)
        cli._register(sub, module)
        for command in sub.choices:
            assert cli.COMMAND_MODULE.get(command, command) == module, (command, module)


@pytest.mark.parametrize("argv", [
    ["contracts", "emit", "--profile", "aviation"],
    ["--ledger", "other.db", "contracts", "emit"],
    ["--ledger=other.db", "--no-mouse", "contracts", "check", "--contract", "c.yaml", "w.xlsx"],
])
def test_a_named_command_registers_that_commands_module_only(argv: list[str]) -> None:
    parser = cli.parser_for(argv)
    assert list(_commands(parser)) == ["contracts"]
    args = parser.parse_args(argv)
    full = cli.build_parser().parse_args(argv)
    assert vars(args) == vars(full)


@pytest.mark.parametrize("argv", [["prepare", "--case", "x"], ["run", "--steps", "refine"], ["ledger", "log"]])
def test_commands_in_a_module_of_another_name_are_found(argv: list[str]) -> None:
    parser = cli.parser_for(argv)
    assert argv[0] in _commands(parser) and len(_commands(parser)) < len(_commands(cli.build_parser()))
    assert vars(parser.parse_args(argv)) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [[], ["--help"], ["--batch"], ["--case", "x"], ["--led", "x.db", "qa", "all"],
                                  ["nonsense"], ["-h", "contracts"]])
def test_no_command_a_help_flag_or_an_abbreviated_option_gets_the_whole_parser(argv: list[str]) -> None:
    assert list(_commands(cli.parser_for(argv))) == list(_commands(cli.build_parser()))


def test_a_commands_help_reads_the_same_as_from_the_whole_parser() -> None:
    lazy = _commands(cli.parser_for(["contracts", "emit", "--help"]))["contracts"]
    whole = _commands(cli.build_parser())["contracts"]
    assert lazy.format_help() == whole.format_help()
    assert _commands(lazy)["emit"].format_help() == _commands(whole)["emit"].format_help()


def test_contracts_emit_loads_no_other_commands_module_nor_rich_before_its_handler(tmp_path: Path) -> None:
    probe = ("import sys, json\nfrom hotpass_tui import cli\n"
             "args = cli.parser_for(['contracts', 'emit', '--profile', 'aviation']).parse_args("
             "['contracts', 'emit', '--profile', 'aviation'])\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('hotpass_tui.commands.', 'rich')))))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["hotpass_tui.commands.base", "hotpass_tui.commands.batch",
                                       "hotpass_tui.commands.contracts"]


def test_an_unknown_command_is_refused_naming_the_commands(tmp_path: Path) -> None:
    done = run_hotpass("contract", "emit", cwd=tmp_path)
    assert done.returncode == 2
    assert "invalid choice: 'contract'" in done.stderr and "'contracts'" in done.stderr
