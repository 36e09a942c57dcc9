"""Decisions an operator takes on organisations rather than on queued pairs: split a row out of one,
force two together or apart.

Each is a review decision like the queue's (core.resolve.review): a must-link or cannot-link between two
rows, keyed by six characters of each row's content key, so it holds when sheets are re-sorted. The rows
come from the organisations index the last refine wrote (core.resolve.identity). These functions only
plan the decision; the faces record it where they record the queue's (ledger.record_review_decision),
`hotpass review` and the organisation card alike, and the next refine applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.case import Case
from core.errors import InputNotFound, UsageError

SPLIT, FORCE_TOGETHER, FORCE_APART = "split", "force_together", "force_apart"
OUT_OF = " out of "  # a split's summary: "<row> out of <slug>"; the card reads back which row left


class CaseDecisions(dict):
    """pair id -> the ledger's latest decision on it (an undo included), and `summaries`: its words."""

    def __init__(self, decisions: Mapping[str, str] | None = None, summaries: Mapping[str, str] | None = None):
        super().__init__(decisions or {})
        self.summaries = dict(summaries or {})


def ledger_decisions(ledger, case_id: str) -> CaseDecisions:
    """The case's review decisions as the next refine will read them, with the words each was recorded with."""
    summaries: dict[str, str] = {}
    for entry in reversed(ledger.entries(kind="review_decision", case_id=case_id, limit=None)):  # oldest first
        summaries[str(entry.payload.get("pair_id"))] = str(entry.payload.get("summary") or "")
    return CaseDecisions(ledger.review_decisions(case_id), summaries)


@dataclass(frozen=True)
class OrgDecision:
    case_id: str
    pair_id: str  # the content pair id the ledger keys the decision by
    decision: str  # split, force_together, force_apart (or a queue pair's approve, reject, unsure)
    summary: str  # what, in words: "crm.xlsx:Accounts:2 out of skyline-charters"
    slug: str  # the organisation it was taken on
    record_id: str | None = None  # the row split out
    before: str | None = None  # the pair's standing decision before this one: what undo gives back


def organisations(case: Case) -> dict[str, dict]:
    """slug and id -> the organisation as the last refine left it (its rows' content keys)."""
    from core.resolve.identity import index_path, load_index

    index = load_index(case.output_dir)
    if index is None:
        raise InputNotFound("no organisations index for this case yet", file=index_path(case.output_dir),
                            hint=f"run `hotpass refine --case {case.case_id}` first")
    return {key: org for org in index["organisations"] for key in (org["slug"], org["id"])}


def find_organisation(known: Mapping[str, dict], name: str, case_id: str) -> dict:
    if name not in known:
        raise UsageError(f"no organisation {name!r} in case {case_id}", key=name,
                         hint="use the organization_slug or organization_id of the Data sheet; nothing was recorded")
    return known[name]


def split_out(case: Case, organisation: str, row: str) -> OrgDecision:
    """Take `row` (FILE:SHEET:ROW as the Sources sheet names it, or a record id) out of `organisation`."""
    org = find_organisation(organisations(case), organisation, case.case_id)
    wanted = record_id(row)
    leaving = [m for m in org["members"] if m[1] == wanted]
    if not leaving:
        rows = ", ".join(place(m[1]) for m in sorted(org["members"], key=lambda m: m[1])[:6])
        raise UsageError(f"{row} is not a row of {org['slug']}", key=row,
                         hint=f"its rows include {rows}; nothing was recorded")
    pair = split_pair(org, wanted)
    if pair is None:
        raise UsageError(f"{org['slug']} has no other row to split {row} from", key=row,
                         hint="a one-row organisation is its own already; nothing was recorded")
    return OrgDecision(case.case_id, pair, SPLIT, f"{place(wanted)}{OUT_OF}{org['slug']}", org["slug"], wanted)


def force(case: Case, first: str, second: str, decision: str) -> OrgDecision:
    """Two organisations are one (force_together) or different (force_apart), on every refine."""
    from core.resolve.review import content_pair_id

    known = organisations(case)
    one, other = (find_organisation(known, name, case.case_id) for name in (first, second))
    if one["id"] == other["id"]:
        raise UsageError("both names are the same organisation", key=second,
                         hint="to take a row out of it, use `hotpass review split-out ORG ROW`")
    pair = content_pair_id(_key_row(one)[0], _key_row(other)[0])
    return OrgDecision(case.case_id, pair, decision, f"{one['slug']} and {other['slug']}", one["slug"])


def split_pair(org: Mapping, leaving_id: str) -> str | None:
    """The pair id a split of row `leaving_id` out of `org` is keyed by; None when no other row can anchor it."""
    from core.resolve.review import content_pair_id

    leaving = next((m for m in org["members"] if m[1] == leaving_id), None)
    staying = _key_row(org, away_from=leaving) if leaving else None
    return content_pair_id(leaving[0], staying[0]) if leaving and staying else None


def _key_row(org: Mapping, away_from: list | None = None) -> list | None:
    """A row of the organisation to key a decision by; for a split, one from another file if there is one
    (rows of one workbook may be one linked group, which a split cannot cut)."""
    members = sorted(org["members"], key=lambda m: m[1])
    if away_from is None:
        return members[0]
    others = [m for m in members if m[0][:6] != away_from[0][:6]]
    other_file = [m for m in others if _file_of(m[1]) != _file_of(away_from[1])]
    return (other_file or others or [None])[0]


def _file_of(rid: str) -> str:
    return rid.split("#")[0].split("!")[0]


def record_id(text: str) -> str:
    """FILE:SHEET:ROW or FILE:ROW (as an operator reads the Sources sheet) as refine's record id."""
    if "!" in text:
        return text
    parts = text.rsplit(":", 2)
    if len(parts) == 3:
        return f"{parts[0]}#{parts[1]}!{parts[2]}" if parts[1] else f"{parts[0]}!{parts[2]}"
    if len(parts) == 2:
        return f"{parts[0]}!{parts[1]}"
    return text


def member_record_id(file: str, sheet: str, row: int) -> str:
    """The record id refine gives the row of a Sources line (core.ingest.sheets)."""
    return f"{file}#{sheet}!{row}" if sheet else f"{file}!{row}"


def place(rid: str) -> str:
    """A record id as the operator types it: FILE:SHEET:ROW, or FILE:ROW for a CSV."""
    where, _, row = rid.rpartition("!")
    file, _, sheet = where.partition("#")
    return f"{file}:{sheet}:{row}" if sheet else f"{file}:{row}"


def standing(decisions: Mapping[str, str] | None) -> dict[str, str]:
    """The ledger's latest decision per pair, without those withdrawn (an undo)."""
    return {pid: d for pid, d in (decisions or {}).items() if d != "undo"}


# -- what the organisation card shows of decisions -------------------------------------------------

@dataclass(frozen=True)
class DecisionLine:
    """A standing decision on one of the organisation's rows, and whether the last refine applied it."""

    pair_id: str
    decision: str
    row: str  # this organisation's row (FILE:SHEET:ROW)
    other_row: str | None  # the other row, when the last refine still had it
    other_slug: str | None  # the organisation that row is in now
    applied: bool
    other_id: str | None = None  # that organisation's id
    leaving: bool = True  # for a split: this organisation's row is the one taken out (else the other)


@dataclass(frozen=True)
class CardPair:
    """A queued pair between one of the organisation's rows and another row: the review keys apply to it."""

    item: object  # core.results.ReviewItem, its decision as the ledger has it now
    row: str  # this organisation's side (FILE:SHEET:ROW)
    other_slug: str | None  # the organisation the other side is in (None: this one)


@dataclass(frozen=True)
class CardReview:
    organisation_id: str | None
    splits: dict[str, str]  # member record id -> the pair id a split of it is keyed by
    decisions: list[DecisionLine]
    pairs: list[CardPair]
    absorbed: list[dict]  # retired ids the last refines merged into it: {id, slug, run_id}


def card_review(case: Case, slug: str, decisions: Mapping[str, str] | None) -> CardReview:
    """The decisions an organisation card shows and offers; empty parts when refine left no index or queue."""
    from core.resolve.identity import load_index
    from core.resolve.review import MUST_LINK, UNSURE

    index = load_index(case.output_dir) or {"organisations": [], "retired": []}
    org = next((o for o in index["organisations"] if o["slug"] == slug), None)
    if org is None:
        return CardReview(None, {}, [], [], [])
    said = standing(decisions)
    slug_of_row = {m[1]: o["slug"] for o in index["organisations"] for m in o["members"]}
    rows_by_half: dict[str, list[str]] = {}
    for o in index["organisations"]:
        for key, rid in o["members"]:
            rows_by_half.setdefault(key[:6], []).append(rid)
    mine = {m[1]: m[0][:6] for m in org["members"]}
    splits = {rid: pair for rid in mine if (pair := split_pair(org, rid)) is not None}
    # The row a split named (its summary says) is the one shown as leaving; two rows of a file may key
    # their splits by one pair, and after the refine the row named is in another organisation.
    named: dict[str, str] = {pid: words.split(OUT_OF)[0] for pid, words in getattr(decisions, "summaries", {}).items()
                             if OUT_OF in words}
    first_leaving = {}
    for rid, pair in sorted(splits.items(), reverse=True):
        first_leaving[pair] = rid
    id_of = {o["slug"]: o["id"] for o in index["organisations"]}

    lines = []
    for pid, decision in sorted(said.items()):
        if len(pid) != 12:
            continue
        by_name = next((rid for rid in mine if place(rid) == named.get(pid)), None)
        own = by_name or first_leaving.get(pid) or next(
            (rid for rid, half in sorted(mine.items()) if half in (pid[:6], pid[6:])), None)
        if own is None:
            continue
        other_half = pid[6:] if mine[own] == pid[:6] else pid[:6]
        other_rows = sorted(rid for rid in rows_by_half.get(other_half, []) if rid != own)
        other_row = other_rows[0] if other_rows else None
        other_slug = slug_of_row.get(other_row) if other_row else None
        together = other_slug == slug
        applied = together if decision in MUST_LINK else decision == UNSURE or (other_row is not None and not together)
        leaving = pid not in named or named[pid] == place(own)
        lines.append(DecisionLine(pid, decision, place(own), place(other_row) if other_row else None,
                                  other_slug, applied, id_of.get(other_slug or ""), leaving))
    absorbed = [r for r in index.get("retired", []) if r.get("into") == org["id"]]
    return CardReview(org["id"], splits, lines, _queue_pairs(case, mine, slug_of_row, slug, decisions or {}), absorbed)


def _queue_pairs(case: Case, mine: Mapping[str, str], slug_of_row: Mapping[str, str], slug: str,
                 decisions: Mapping[str, str]) -> list[CardPair]:
    from core.errors import HotpassError
    from core.review_queue import load_queue

    try:
        _, items = load_queue(case.review_queue_path)
    except HotpassError:  # no queue, or one edited by hand: the card without pairs
        return []
    pairs = []
    for item in items:
        sides = [side for side in (item.left, item.right) if side.get("record_id") in mine]
        if not sides:
            continue
        other = item.right if sides[0] is item.left else item.left
        said = decisions.get(item.pair_id, item.decision)
        item.decision = None if said == "undo" else said
        other_slug = slug_of_row.get(str(other.get("record_id")))
        pairs.append(CardPair(item, place(str(sides[0]["record_id"])), None if other_slug == slug else other_slug))
    return pairs
