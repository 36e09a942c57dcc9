"""The cli and docs gates: every command's help works, and every `hotpass …` line the README and the
runbook text show names a command and flags that exist.

Both walk the real argument parser, in this process (dozens of subprocesses would cost seconds).
The parser belongs to the face, so it is handed in (`parser_factory`), never imported from here.
"""

from __future__ import annotations

import argparse
import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
README = PROJECT / "README.md"
PANES = PROJECT / "hotpass_tui" / "panes"
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_COMMAND = re.compile(r"(?:^|(?<=[\s/]))hotpass((?:[ \t]+[^\s`#()]+)*)")
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class DocumentedCommand:
    source: str  # README.md:12, runbook step refine, pane contracts.py
    text: str  # hotpass refine --profile aviation …


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    sub = _subparsers(parser)
    if sub is not None:
        seen: set[int] = set()
        for name, child in sub.choices.items():
            if id(child) not in seen:  # aliases share a parser
                seen.add(id(child))
                yield from walk(child, (*path, name))


def help_failures(parser: argparse.ArgumentParser) -> tuple[int, list[str]]:
    """(commands whose help was formatted, failures). `--help` prints format_help() and exits 0, so a
    help that formats is a help that works."""
    count, failures = 0, []
    for path, child in walk(parser):
        count += 1
        try:
            if not child.format_help().strip():
                failures.append(f"hotpass {' '.join(path)} --help prints nothing")
        except Exception as exc:  # noqa: BLE001 - a broken help string is exactly what this gate looks for
            failures.append(f"hotpass {' '.join(path)} --help fails: {type(exc).__name__}: {str(exc)[:80]}")
    return count, failures


def readme_commands(readme: Path = README) -> list[DocumentedCommand]:
    out: list[DocumentedCommand] = []
    in_block = False
    for number, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        pieces = [line] if in_block else _CODE_SPAN.findall(line)
        for piece in pieces:
            for match in _COMMAND.finditer(piece.split("  #")[0]):
                if match.group(1).strip():
                    out.append(DocumentedCommand(f"README.md:{number}", "hotpass" + match.group(1)))
    return out


def runbook_commands(extra_text: list[tuple[str, str]] | None = None) -> list[DocumentedCommand]:
    """`hotpass …` lines of the runbook text: the registry's steps, the panes' command lines."""
    from core.runbook.registry import STEPS

    texts = [(f"runbook step {s.id}", t) for s in STEPS for t in (s.summary, *s.outputs)]
    if PANES.is_dir():
        for pane in sorted(PANES.glob("*.py")):
            for node in ast.walk(ast.parse(pane.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and "hotpass " in node.value:
                    texts.append((f"pane {pane.name}", node.value))
    texts += extra_text or []
    out = []
    for source, text in texts:
        for line in text.splitlines():
            line = line.removeprefix("$ ").split("   (")[0]
            for match in _COMMAND.finditer(line):
                if match.group(1).strip():
                    out.append(DocumentedCommand(source, "hotpass" + match.group(1)))
    return out


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {flag for action in parser._actions for flag in action.option_strings}


def command_problem(root: argparse.ArgumentParser, text: str) -> str | None:
    """Why `text` is not a command line the parser takes, or None when it is."""
    tokens = [t.strip("[]").rstrip(".…,") for t in text.split()[1:]]
    parsers = [root]
    descended = False
    for token in tokens:
        if not token or token in ("…", "...") or token.startswith("{") or token.startswith("<"):
            continue
        if token.startswith("--"):
            flag = token.split("=")[0]
            if not any(flag in _options(p) for p in (*parsers, root)):
                return f"{flag} is not a flag of hotpass {' '.join(_path_of(root, parsers[0]))}".rstrip()
            continue
        if token.startswith("-"):
            continue
        sub = _subparsers(parsers[0])
        words = token.split("|")
        if sub is not None and not descended and all(_WORD.match(w) for w in words):
            missing = [w for w in words if w not in sub.choices]
            if missing:
                where = " ".join(_path_of(root, parsers[0]))
                return f"hotpass {where} has no command {missing[0]}".replace("  ", " ")
            parsers = [sub.choices[w] for w in words]
            descended = _subparsers(parsers[0]) is None
            continue
        descended = True  # a value or a placeholder: no command names after it at this level
    return None


def _path_of(root: argparse.ArgumentParser, target: argparse.ArgumentParser) -> tuple[str, ...]:
    for path, parser in walk(root):
        if parser is target:
            return path
    return ()


def docs_failures(root: argparse.ArgumentParser, commands: list[DocumentedCommand]) -> list[str]:
    failures = []
    for command in commands:
        problem = command_problem(root, command.text)
        if problem:
            failures.append(f"{command.source}: {problem}")
    return failures


ParserFactory = Callable[[], argparse.ArgumentParser]
