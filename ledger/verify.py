"""Walking the hash chain and naming what changed.

Inside the file: every entry's hash must match its content and the hash of the entry before it,
and sequence numbers must run 1, 2, 3… without gaps. Outside the file: the anchor log (a line
with every append; a writer killed before writing its line is allowed for, see anchorlog.py) and
every export's anchor must still match, which is what catches the removal of the newest entries
and a chain rewritten from some point on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import chain
from .values import entries_text
from .models import VerifyReport

RENUMBER_SEARCH = 64  # how far from its current number a moved entry is looked for


def _span(a: int, b: int) -> str:
    return f"entry #{a}" if a == b else f"entries #{a}–#{b}"


def _short(h: Any) -> str:
    return f"{str(h)[:12]}…" if h else "?"


def _content_hash(row: dict[str, Any], prev_hash: str, seq: int | None = None) -> tuple[str | None, str]:
    """(hash of the row as stored, or None if the payload is unreadable; why it cannot be hashed)."""
    try:
        payload = json.loads(row["payload"])
    except (TypeError, ValueError):
        return None, "its payload is no longer valid JSON"
    if chain.canonical_json(payload) != row["payload"]:
        return None, "its payload text was rewritten"
    r = dict(row)
    if seq is not None:
        r["seq"] = seq
    return chain.entry_hash(str(prev_hash), chain.record_of(r, payload)), ""


def _describe(row: dict[str, Any]) -> str:
    return f"entry #{row['seq']} ({row.get('kind')}, {row.get('at')}, by {row.get('who')})"


def _diff(row: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    """Field names (payload.x for payload keys) that differ between a stored row and an exported one."""
    changed = []
    for col in ("kind", "at", "who", "host", "case_id", "subject"):
        if col in ref and row.get(col) != ref.get(col):
            changed.append(f"{col} ({ref.get(col)!r} → {row.get(col)!r})")
    for col in ("prev_hash", "hash"):
        if col in ref and row.get(col) != ref.get(col):
            changed.append(f"{col} ({_short(ref.get(col))} → {_short(row.get(col))})")
    try:
        now = json.loads(row["payload"])
    except (TypeError, ValueError):
        now = None
    before = ref.get("payload")
    if isinstance(now, dict) and isinstance(before, dict):
        for key in sorted(set(now) | set(before)):
            if now.get(key) != before.get(key):
                changed.append(f"payload.{key} ({before.get(key)!r} → {now.get(key)!r})")
    elif now != before and "payload" in ref:
        changed.append("payload")
    return changed


def _anchor_list(anchor: Any) -> list[tuple[int, str]]:
    if anchor is None:
        return []
    if isinstance(anchor, dict):
        return [(int(anchor["count"]), str(anchor["head_hash"]))]
    if isinstance(anchor, tuple) and len(anchor) == 2 and not isinstance(anchor[0], (tuple, dict, list)):
        return [(int(anchor[0]), str(anchor[1]))]
    out: list[tuple[int, str]] = []
    for a in anchor:
        out.extend(_anchor_list(a))
    return out


def _with_committed_pending(sidecar: dict[str, Any], hashes: dict[int, str]) -> dict[str, Any]:
    """The anchor log as if its writer had lived: a pending record the file holds counts as an anchor.

    A writer killed between its COMMIT and its anchor leaves exactly one such entry, right after
    the last anchor. A pending record the file does not hold is an entry that never committed.
    """
    pending = sidecar.get("pending")
    anchors = sidecar.get("anchors") or []
    if not isinstance(pending, dict):
        return sidecar
    count, last = pending.get("count"), (anchors[-1].get("count") if anchors else 0)
    if isinstance(count, int) and isinstance(last, int) and count == last + 1 \
            and hashes.get(count) == pending.get("head_hash"):
        return {**sidecar, "anchors": [*anchors, {**pending, "type": "anchor"}]}
    return sidecar


def verify_snapshot(
    snap: dict[str, Any],
    *,
    path: Path,
    ledger_id: str,
    anchor: Any = None,
    anchor_file: Path | None = None,
    exports_file: Path | None = None,
    reference: list[dict[str, Any]] | None = None,
) -> VerifyReport:
    from .schema import APP_ID, TRIGGERS

    problems: list[str] = []
    structural: list[str] = []  # reported after the entries: they say how, the entries say what
    rows: list[dict[str, Any]] = snap["rows"]
    checked: list[str] = ["hash chain"]

    if snap.get("quick_check") not in (["ok"], None):
        structural.append("the SQLite file is damaged: " + "; ".join(map(str, snap["quick_check"][:3])))
    missing = [t for t in TRIGGERS if t not in snap.get("triggers", [])]
    if missing:
        structural.append("append-only protection removed: trigger " + ", ".join(missing) + " was dropped")
    meta = snap.get("meta", {})
    if meta.get("app") != APP_ID or (ledger_id and meta.get("ledger_id") != ledger_id):
        structural.append(f"the ledger's identity in hotpass_meta changed (app={meta.get('app')!r})")

    # which stored rows does an earlier export remember?  (used to name the fields that changed)
    refs = {int(r["seq"]): r for r in (reference or []) if isinstance(r, dict) and "seq" in r}

    sidecar = snap.get("sidecar")  # AnchorLog.read_all(), None if missing
    if sidecar and "_unreadable" not in sidecar:
        sidecar = _with_committed_pending(sidecar, {r["seq"]: r["hash"] for r in rows})
    last_anchor = (sidecar or {}).get("anchors", [{}])[-1:] or [{}]
    last_anchor = last_anchor[0]
    anchored = None  # entries beyond the anchor log's count were not appended by Hotpass
    if anchor_file is not None and isinstance(last_anchor.get("count"), int):
        anchored = last_anchor["count"]
    named: set[int] = set()  # entries already reported, so an anchor does not report them twice

    by_hash = {r["hash"]: r["seq"] for r in rows}
    by_seq = {r["seq"]: r for r in rows}
    prev: dict[str, Any] | None = None
    prev_ok = True
    renumbered: list[tuple[int, int]] = []  # (now, was)
    offset_hint = 0
    for r in rows:
        seq = r["seq"]
        expected_seq = prev["seq"] + 1 if prev else 1
        gap = seq != expected_seq
        if gap:
            if prev is None and seq < 1:
                problems.append(f"entry #{seq} has an impossible number (the chain starts at #1)")
            else:
                problems.append(
                    f"{_span(expected_seq, seq - 1)} missing: deleted"
                    + (f" (entry #{seq} no longer follows #{expected_seq - 1})" if prev else " (the chain no longer starts at #1)")
                )
        expected_prev = prev["hash"] if prev else chain.GENESIS_HASH
        link_ok = r["prev_hash"] == expected_prev
        got, why = _content_hash(r, r["prev_hash"])
        content_ok = got == r["hash"]
        if not content_ok:
            was = None
            if got is not None:
                tries = [seq - offset_hint] if offset_hint else []
                tries += [seq + d for k in range(1, RENUMBER_SEARCH + 1) for d in (-k, k)]
                for cand in tries:
                    if cand >= 1 and cand != seq and _content_hash(r, r["prev_hash"], cand)[0] == r["hash"]:
                        was = cand
                        break
            if was is not None:
                renumbered.append((seq, was))
                offset_hint = seq - was
            elif not link_ok and got is not None and _content_hash(r, expected_prev)[0] == r["hash"]:
                problems.append(f"{_describe(r)} was edited: its link to the previous entry (prev_hash) was changed")
                link_ok = True  # reported
            elif anchored is not None and seq > anchored and seq not in refs:
                problems.append(f"{_describe(r)} was inserted outside Hotpass: "
                                + (why or "its hash does not match its content"))
            else:
                text = f"{_describe(r)} was edited: " + (why or "its content no longer matches its hash")
                if seq in refs:
                    changed = _diff(r, refs[seq])
                    if changed:
                        text += "; changed since the last export: " + ", ".join(changed)
                problems.append(text)
        if not link_ok and not gap and prev_ok:
            j = by_hash.get(r["prev_hash"])
            if prev is None:
                problems.append(f"entry #{seq} does not start the chain (its previous hash is not the genesis hash)")
            elif j is not None and j < prev["seq"]:
                problems.append(f"{_span(j + 1, prev['seq'])} inserted: entry #{seq} still links to #{j}")
            else:
                text = (
                    f"{_describe(prev)} was replaced or edited and re-hashed: "
                    f"entry #{seq} links to a different entry #{prev['seq']}"
                )
                if prev["seq"] in refs:
                    changed = _diff(prev, refs[prev["seq"]])
                    if changed:
                        text += "; changed since the last export: " + ", ".join(changed)
                problems.append(text)
        prev, prev_ok = r, content_ok

    # renumbered runs, reported once per run of equal offset
    i = 0
    while i < len(renumbered):
        j = i
        off = renumbered[i][0] - renumbered[i][1]
        while j + 1 < len(renumbered) and renumbered[j + 1][0] == renumbered[j][0] + 1 and \
                renumbered[j + 1][0] - renumbered[j + 1][1] == off:
            j += 1
        a, b = renumbered[i][0], renumbered[j][0]
        what = "inserted before them" if off > 0 else "deleted before them"
        problems.append(
            f"{_span(a, b)} renumbered (each was #{renumbered[i][1]}{'' if a == b else '…'} before, "
            f"moved by {off:+d}): an entry was {what}"
        )
        i = j + 1

    max_seq = rows[-1]["seq"] if rows else 0
    head_hash = rows[-1]["hash"] if rows else chain.GENESIS_HASH
    newest_deleted: dict[int, list[str]] = {}

    def check(name: str, count: Any, head: Any, strict: bool, their_id: Any = None) -> None:
        if their_id and ledger_id and their_id != ledger_id:
            problems.append(f"{name} belongs to another ledger (id {their_id}, this one is {ledger_id})")
            return
        try:
            count = int(count)
        except (TypeError, ValueError):
            problems.append(f"{name} is unreadable (count {count!r})")
            return
        if count > max_seq:
            newest_deleted.setdefault(count, []).append(f"{name} records {entries_text(count)}, head {_short(head)}")
        elif count > 0:
            row = by_seq.get(count)
            if row is not None and row["hash"] != head:
                problems.append(
                    f"entry #{count} does not match {name} (hash {_short(row['hash'])}, anchor {_short(head)}): "
                    f"the chain up to #{count} was rewritten"
                )
        if strict and count < max_seq:
            problems.append(
                f"{_span(count + 1, max_seq)} not covered by {name}: added outside Hotpass (or the anchor was replaced)"
            )

    for p in problems:
        if p.startswith("entry #"):
            named.add(int(p[7:].split()[0]))

    if anchor_file is not None:
        name = f"the anchor log {anchor_file.name}"
        checked.append(name)
        if sidecar is None:
            if rows:
                problems.append(f"{name} is missing (it grows with every entry): the newest entries may have been "
                                "deleted — check against the last export with --anchor")
        elif "_unreadable" in sidecar:
            problems.append(f"{name} is unreadable: {sidecar['_unreadable']}")
        else:
            header = sidecar.get("header") or {}
            if sidecar.get("bad_lines"):
                problems.append(f"{name} was edited: line(s) {', '.join(map(str, sidecar['bad_lines'][:5]))} "
                                "are not anchors")
            if not sidecar.get("anchors"):
                if rows:
                    problems.append(f"{name} holds no anchor: the newest entries may have been deleted")
            else:
                check(name, last_anchor.get("count"), last_anchor.get("head_hash"), True, header.get("ledger_id"))
                # every earlier anchor is a point the chain passed through: the first that disagrees names
                # where a rewrite starts (entries already named above are not named twice)
                bad = [a for a in sidecar["anchors"][:-1]
                       if isinstance(a.get("count"), int) and 0 < a["count"] <= max_seq
                       and a["count"] in by_seq and by_seq[a["count"]]["hash"] != a.get("head_hash")]
                fresh = [a for a in bad if a["count"] not in named]
                if fresh:
                    k = fresh[0]["count"]
                    more = f" ({len(bad) - 1} later anchors disagree too)" if len(bad) > 1 else ""
                    problems.append(
                        f"entry #{k} does not match {name} (hash {_short(by_seq[k]['hash'])}, anchor "
                        f"{_short(fresh[0].get('head_hash'))}): the chain from #{k} on was rewritten{more}"
                    )
            for m in sidecar.get("mismatches", []):
                if m.get("anchor") == "missing":
                    before = f"{name} was missing"
                else:
                    before = f"{name} recorded {entries_text(m.get('anchor_count'))} (head {_short(m.get('anchor_head'))})"
                problems.append(
                    f"when entry #{m.get('before_seq')} was appended ({m.get('found_at')}), {before} but the file "
                    f"held {m.get('file_count')}: entries were deleted or added outside Hotpass before then"
                )

    for n, ex in enumerate(snap.get("exports") or [], 1):
        name = f"the export of {ex.get('exported_at', '?')} ({ex.get('out_dir', '?')})"
        if "_unreadable" in ex:
            problems.append(f"{exports_file.name if exports_file else 'the export anchors'}: {ex['_unreadable']}")
            continue
        checked.append(name)
        check(name, ex.get("count"), ex.get("head_hash"), False, ex.get("ledger_id"))

    for count, head in _anchor_list(anchor):
        name = f"the given anchor ({entries_text(count)})"
        checked.append(name)
        check(name, count, head, False)

    if newest_deleted:
        top = max(newest_deleted)
        sources = "; ".join(s for c in sorted(newest_deleted, reverse=True) for s in newest_deleted[c])
        problems.append(f"{_span(max_seq + 1, top)} missing: the newest entries were deleted ({sources})")

    problems += structural
    return VerifyReport(
        ok=not problems,
        problems=problems,
        count=len(rows),
        head_hash=head_hash,
        path=str(path),
        anchors_checked=checked,
    )
