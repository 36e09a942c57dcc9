"""The fake service's organisation card: a phone from one workbook row, the other kept as secondary, two
member rows a split can part, and a queued pair with another organisation; decisions as the fake recorded them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.org_card import Alternative, FieldLine, MemberRow, OrgCard
from core.org_decisions import CardPair, CardReview, DecisionLine, OrgDecision, place, record_id
from core.results import ReviewItem

MEMBERS = [MemberRow("crm.xlsx", "Accounts", 7, "CRM", None), MemberRow("directory.xlsx", "Operators", 12, "directory", "name")]
QUEUED = "c0ffee123456"  # the queued pair between crm.xlsx › Accounts › row 7 and another organisation's row


def split_pair(rid: str) -> str:
    """What the real planner keys a split by: a pair of the leaving row and one that stays (here, per row)."""
    return {"crm.xlsx#Accounts!7": "5a1170000007", "directory.xlsx#Operators!12": "5a1170000012"}[rid]


def fake_org_card(slug: str, decisions: Mapping[str, str] | None = None) -> OrgCard:
    slug = "skyline-charters" if "!" in slug else slug  # a row's record id: the organisation it is in
    said = {pid: d for pid, d in (decisions or {}).items() if d != "undo"}
    phone = FieldLine("contact_primary_phone", "+27115550100", "crm.xlsx", "Accounts", 7, alternatives=[
        Alternative("+27115550199", "directory.xlsx", "Operators", 12,
                    "kept in secondary phones; lower source priority (1 < 3)")])
    name = FieldLine("organization_name", "Skyline Charters", "crm.xlsx", "Accounts", 7, alternatives=[
        Alternative("Skyline Charters (Pty) Ltd", "directory.xlsx", "Operators", 12, "lower source priority (1 < 3)")])
    splits = {member.record_id: split_pair(member.record_id) for member in MEMBERS}
    others = {"crm.xlsx#Accounts!7": "directory.xlsx#Operators!12", "directory.xlsx#Operators!12": "crm.xlsx#Accounts!7"}
    lines = [DecisionLine(pid, said[pid], place(rid), place(others[rid]), slug, False)
             for rid, pid in splits.items() if pid in said]
    queued = ReviewItem(QUEUED, {"organization_name": "Skyline Charters", "record_id": "crm.xlsx#Accounts!7"},
                        {"organization_name": "Skyline Air Charters", "record_id": "bookings.xlsx#Sheet1!3"}, 0.82,
                        "one name adds 'air'; same email domain (skyline.co.za)", said.get(QUEUED))
    review = CardReview("org-5d0a62ba35", splits, lines, [CardPair(queued, "crm.xlsx:Accounts:7", "skyline-air-charters")], [])
    return OrgCard(slug, "Skyline Charters", "generic", [
        name, FieldLine("province", "Gauteng", "crm.xlsx", "Accounts", 7), phone,
        FieldLine("country", "South Africa", derived="from the profile")],
        list(MEMBERS), "same phone number; names equal after removing '(Pty) Ltd'", review)


def fake_split_out(service: Any, case_id: str, slug: str, row: str, comment: str) -> OrgDecision:
    from core.errors import UsageError

    rid = record_id(row)
    if rid not in {member.record_id for member in MEMBERS}:
        raise UsageError(f"{row} is not a row of {slug}", key=row, hint="nothing was recorded")
    pid = split_pair(rid)
    before = {p: d for p, d in service.decisions.items() if d != "undo"}.get(pid)
    planned = OrgDecision(case_id, pid, "split", f"{place(rid)} out of {slug}", slug, rid, before)
    service.decide(case_id, pid, "split", planned.summary, comment)
    return planned


def fake_force(service: Any, case_id: str, slug: str, other: str, decision: str, comment: str) -> OrgDecision:
    """As core.org_decisions.force: the two organisations' first rows key it; an unknown or the same one is refused."""
    import hashlib

    from core.errors import UsageError

    if other == slug or not other.startswith(("organisation-", "skyline-")):
        raise UsageError(f"no organisation {other!r} in case {case_id}" if other != slug else
                         "both names are the same organisation", key=other, hint="nothing was recorded")
    pid = "".join(sorted(hashlib.sha1(name.encode()).hexdigest()[:6] for name in (slug, other)))
    before = {p: d for p, d in service.decisions.items() if d != "undo"}.get(pid)
    planned = OrgDecision(case_id, pid, decision, f"{slug} and {other}", slug, None, before)
    service.decide(case_id, pid, decision, planned.summary, comment)
    return planned
