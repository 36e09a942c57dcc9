"""An organisation's card as plain lines, one fact each: `hotpass show` prints them, the UI's card shows the
same (its member rows and queued pairs in a list of their own, where the keys act on them)."""

from __future__ import annotations

from core.org_card import OrgCard, row_place
from core.org_decisions import place, record_id


def card_lines(card: OrgCard) -> list[str]:
    """The whole card, as `hotpass show` prints it."""
    return field_lines(card) + member_lines(card) + merge_lines(card) + review_lines(card)


def field_lines(card: OrgCard) -> list[str]:
    lines = [card.name, f"  slug {card.slug} · profile {card.profile} · {len(card.members)} member row{'' if len(card.members) == 1 else 's'}",
             "", "Fields"]
    for item in card.fields:
        shown = "—" if item.value is None else str(item.value)
        lines.append(f"  {item.field}: {shown}")
        if item.source_file is not None:
            lines.append(f"      from {item.place}")
        elif item.derived:
            lines.append(f"      ({item.derived})")
        for alt in item.alternatives:
            lines.append(f"      lost: {alt.value} ({row_place(alt.source_file, alt.source_sheet, alt.source_row)})")
            lines.append(f"        why: {alt.why}")
    return lines


def member_lines(card: OrgCard) -> list[str]:
    lines = ["", "Member rows"]
    pending = pending_splits(card)
    for member in card.members:
        split = " · split recorded" if member.record_id in pending else ""
        lines.append(f"  {member_text(member)}{split}")
    return lines


def member_text(member) -> str:
    linked = f", linked by {member.link_method}" if member.link_method else ""
    return f"{member.place} ({member.source_label}{linked})"


def merge_lines(card: OrgCard) -> list[str]:
    return ["", "Why these rows are one organisation",
            f"  {card.merge_explanation}" if card.merge_explanation else "  one row: nothing was merged"]


DECIDED = {"split": "split out", "reject": "rejected (apart)", "force_apart": "forced apart",
           "approve": "approved (merge)", "force_together": "forced together", "unsure": "unsure"}
WITH = {"split": "from", "reject": "from", "force_apart": "from"}


def pending_splits(card: OrgCard) -> set[str]:
    """Member record ids whose split is recorded and waits for the next refine."""
    if card.review is None:
        return set()
    return {record_id(line.row) for line in card.review.decisions if line.decision == "split" and not line.applied}


def decision_text(line) -> tuple[str, str]:
    """A standing decision in two lines: what was decided, and whether (and how) the last refine applied it."""
    other = f"{line.other_row} ({line.other_slug})" if line.other_row and line.other_slug else (
        line.other_row or "a row the last refine did not read")
    state = "applied by the last refine" if line.applied else "recorded; the next refine applies it"
    if line.decision == "split" and not line.leaving:  # this organisation kept its rows; the other row left
        what = f"split out of it: {line.other_row or 'a row the last refine did not read'}"
        if line.applied and line.other_slug:
            return what, f"{state}: the row is now {line.other_slug} ({line.other_id}); this one kept its id"
        return what, f"{state} (pair {line.pair_id})"
    what = f"{DECIDED.get(line.decision, line.decision)}: {line.row} {WITH.get(line.decision, 'with')} {other}"
    if line.decision == "unsure":
        return what, f"asked again after the others (pair {line.pair_id})"
    if line.decision == "split" and line.applied and line.other_slug:
        return what, f"{state}: a new id for this row; {line.other_slug} kept {line.other_id}, no id retired"
    return what, f"{state} (pair {line.pair_id})"


def pair_state(item) -> str:
    return DECIDED.get(item.decision, str(item.decision)) if item.decision else "waiting"


def review_lines(card: OrgCard, with_pairs: bool = True) -> list[str]:
    """The card's decisions: those on its rows, the queued pairs it is in, the ids merged into it."""
    review = card.review
    if review is None:
        return []
    lines = ["", "Decisions on its rows"]
    for line in review.decisions:
        what, state = decision_text(line)
        lines += [f"  {what}", f"      {state}"]
    if not review.decisions:
        lines.append("  none yet")
    if review.pairs and with_pairs:
        lines += ["", "Review pairs with other rows"]
        for pair in review.pairs:
            item = pair.item
            other = item.right if pair.row == _place_of(item.left) else item.left
            elsewhere = f" ({pair.other_slug})" if pair.other_slug else " (this organisation)"
            lines += [f"  pair {item.pair_id} · score {item.score:.2f} · {pair_state(item)}",
                      f"      {pair.row} ~ {other.get('organization_name') or '(no name)'}{elsewhere}",
                      f"      evidence: {item.explanation or '(none given)'}"]
    if review.absorbed:
        lines += ["", "Ids merged into it"]
        lines += [f"  {r['id']} ({r['slug']}), retired by run {r.get('run_id') or '?'}" for r in review.absorbed]
    return lines


def _place_of(side: dict) -> str:
    return place(str(side.get("record_id")))
