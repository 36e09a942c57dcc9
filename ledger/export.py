"""Exports: Next_Steps_Log.md, governance-log.md, ledger.jsonl and ledger-anchor.json.

Every export carries the ledger's anchor (entry count and head hash). Kept outside the ledger's
folder, it is the second line of defence against someone deleting the newest entries and the
anchor log with them: ``hotpass ledger verify --anchor <export file>`` checks against it.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputNotFound, OutputFailed, UsageError

from . import chain
from .values import entries_text
from .kinds import export_sections, when_text
from .models import Entry, NextStep, derive_next_steps

if TYPE_CHECKING:
    from .store import Ledger

NEXT_STEPS_FILE = "Next_Steps_Log.md"
GOVERNANCE_FILE = "governance-log.md"
JSONL_FILE = "ledger.jsonl"
ANCHOR_FILE = "ledger-anchor.json"
ANCHOR_MARK = "hotpass-ledger-anchor"


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>") or "—"


_when = when_text


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def _header(title: str, led: Ledger, anchor: dict[str, Any], verified: bool, problems: list[str]) -> list[str]:
    lines = [
        f"# {title}",
        "",
        f"Exported from the Hotpass ledger `{led.path}` on {_when(anchor['exported_at'])}.",
        "",
        f"Ledger anchor: **{entries_text(anchor['count'])}**, head hash `{anchor['head_hash']}` (ledger id `{anchor['ledger_id']}`).",
        "",
    ]
    if not verified:
        lines += ["> **WARNING: the ledger did not verify when this was exported.**", ">"]
        lines += [f"> * {_cell(p)}" for p in problems]
        lines += [""]
    return lines


def _footer(anchor: dict[str, Any]) -> list[str]:
    mark = {k: anchor[k] for k in ("ledger_id", "count", "head_hash", "exported_at", "verified")}
    return ["", f"<!-- {ANCHOR_MARK} {chain.canonical_json(mark)} -->", ""]


def next_steps_markdown(led: Ledger, steps: list[NextStep], anchor: dict, verified: bool, problems: list[str]) -> str:
    open_steps = [s for s in steps if s.status == "open"]
    done = [s for s in steps if s.status == "done"]
    lines = _header("Next steps", led, anchor, verified, problems)
    lines += [f"## Open ({len(open_steps)})", ""]
    if open_steps:
        lines += _table(
            ["ID", "Step", "Owner", "Due", "Case", "Opened", "By", "Entry"],
            [[s.id, s.text, s.owner, s.due, s.case_id, _when(s.opened_at), s.opened_by, f"#{s.opened_seq}"] for s in open_steps],
        )
    else:
        lines.append("_No open steps._")
    lines += ["", f"## Done ({len(done)})", ""]
    if done:
        lines += _table(
            ["ID", "Step", "Owner", "Case", "Opened", "Done", "By", "Comment", "Entry"],
            [[s.id, s.text, s.owner, s.case_id, _when(s.opened_at), _when(s.done_at), s.done_by, s.comment,
              f"#{s.done_seq}"] for s in done],
        )
    else:
        lines.append("_None yet._")
    return "\n".join(lines + _footer(anchor))


def governance_markdown(led: Ledger, entries: list[Entry], anchor: dict, verified: bool, problems: list[str]) -> str:
    """One section per entry kind that registered one (kinds.py), in the kinds' order."""
    by_kind: dict[str, list[Entry]] = {}
    for e in entries:
        by_kind.setdefault(e.kind, []).append(e)
    lines = _header("Governance log", led, anchor, verified, problems)
    for n, (kind, section) in enumerate(export_sections()):
        found = by_kind.get(kind, [])
        lines += ([] if n == 0 else [""]) + [f"## {section.title} ({len(found)})", ""]
        lines += _table(list(section.columns), [section.row(e) for e in found]) if found else [section.empty]
    return "\n".join(lines + _footer(anchor))


def _write(path: Path, text: str) -> None:
    from .values import write_json_atomic

    try:
        write_json_atomic(path, text, mode=0o644)
    except OSError as exc:
        raise OutputFailed(f"cannot write the export: {exc.strerror or exc}", file=str(path),
                           hint="choose another folder with --out") from exc


def export_ledger(led: Ledger, out_dir: Path, *, allow_tampered: bool = False,
                  lands_in: Path | None = None) -> list[Path]:
    from .values import row_to_entry
    from .verify import verify_snapshot

    snap = led.snapshot()
    report = verify_snapshot(snap, path=led.path, ledger_id=led.ledger_id, anchor_file=led.anchor_path,
                             exports_file=led.export_anchors_path)
    if not report.ok and not allow_tampered:
        report.raise_if_bad()
    entries = [row_to_entry(r) for r in snap["rows"]]
    max_seq = entries[-1].seq if entries else 0
    anchor = {
        "ledger_id": led.ledger_id,
        "count": max_seq,
        "head_hash": entries[-1].hash if entries else chain.GENESIS_HASH,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "ledger": str(led.path),
        "verified": report.ok,
    }
    out_dir = Path(os.path.abspath(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFailed(f"cannot create the export folder: {exc.strerror or exc}", file=str(out_dir)) from exc

    steps = derive_next_steps(entries)
    files = [out_dir / NEXT_STEPS_FILE, out_dir / GOVERNANCE_FILE, out_dir / JSONL_FILE, out_dir / ANCHOR_FILE]
    _write(files[0], next_steps_markdown(led, steps, anchor, report.ok, report.problems))
    _write(files[1], governance_markdown(led, entries, anchor, report.ok, report.problems))
    jsonl = [json.dumps({"anchor": anchor}, sort_keys=True, ensure_ascii=False)]
    jsonl += [json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False) for e in entries]
    _write(files[2], "\n".join(jsonl) + "\n")
    _write(files[3], json.dumps(anchor, indent=2, sort_keys=True) + "\n")

    if report.ok:  # remember the anchor beside the ledger too (a tampered state is never remembered)
        where = Path(os.path.abspath(lands_in)) if lands_in is not None else out_dir
        line = chain.canonical_json({**anchor, "out_dir": str(where)}) + "\n"
        try:
            fd = os.open(led.export_anchors_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(line)
        except OSError:
            pass  # the exports themselves carry the anchor; the history beside the ledger is a convenience
    return files


def _find_anchor(obj: Any) -> dict[str, Any] | None:
    if isinstance(obj, dict):
        if "count" in obj and "head_hash" in obj:
            return obj
        if "ledger_count" in obj and ("ledger_head_hash" in obj or "ledger_head" in obj):
            return {"count": obj["ledger_count"], "head_hash": obj.get("ledger_head_hash", obj.get("ledger_head")),
                    "ledger_id": obj.get("ledger_id")}
        for v in obj.values():
            found = _find_anchor(v)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = _find_anchor(v)
            if found:
                return found
    return None


def load_anchor_file(path: Path | str) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """Read the anchor (count, head hash) an export or hand-off manifest carries.

    Returns (anchor, exported entries) — the entries only for ledger.jsonl, where they let verify
    name the fields that changed.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputNotFound("anchor file not found", file=str(p)) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the anchor file: {exc}", file=str(p)) from exc
    reference = None
    anchor = None
    lines = text.splitlines()
    if lines and lines[0].startswith("{") and '"anchor"' in lines[0]:
        try:
            anchor = json.loads(lines[0])["anchor"]
            reference = [json.loads(x) for x in lines[1:] if x.strip()]
        except (ValueError, KeyError, TypeError):
            anchor, reference = None, None
    if anchor is None:
        try:
            anchor = _find_anchor(json.loads(text))
        except ValueError:
            m = re.search(ANCHOR_MARK + r"\s+(\{.*?\})\s*-->", text)
            if m:
                try:
                    anchor = json.loads(m.group(1))
                except ValueError:
                    anchor = None
    if not anchor or not chain.is_sha256(str(anchor.get("head_hash", ""))):
        raise UsageError("no ledger anchor (count and head hash) found in this file", file=str(p),
                         hint="use an export (ledger-anchor.json, ledger.jsonl, Next_Steps_Log.md) or a hand-off manifest")
    return anchor, reference


def parse_anchor_arg(value: str) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """`COUNT:HEAD_HASH` or the path of a file that carries an anchor."""
    m = re.fullmatch(r"(\d+):([0-9a-fA-F]{64})", value.strip())
    if m:
        return {"count": int(m.group(1)), "head_hash": m.group(2).lower()}, None
    return load_anchor_file(value)
