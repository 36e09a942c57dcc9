"""What changed between two contracts, each change classed breaking or not for a downstream team.

Breaking: a column removed or renamed, a type narrowed, a column made required or unique, a quality
rule added as blocking or tightened (a lower allowance, a blocking severity, fewer valid values, a
new pattern). Everything else (a column added, a rule loosened or dropped, words changed) is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.contracts.load import contract_properties

# logicalType changes that accept every value the old type did (the rest narrow)
WIDENINGS = {("integer", "number"), ("date", "timestamp"), ("date", "string"), ("timestamp", "string"),
             ("number", "string"), ("integer", "string"), ("boolean", "string"), ("time", "string")}


@dataclass(frozen=True)
class Change:
    column: str  # "" for the contract as a whole
    kind: str  # column removed | column renamed | column added | type narrowed | type widened | …
    detail: str
    breaking: bool

    def public(self) -> dict[str, Any]:
        return {"column": self.column, "kind": self.kind, "detail": self.detail, "breaking": self.breaking}


def _by_name(contract: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(p.get("name")): p for p in contract_properties(contract)}


def _renames(removed: list[str], added: list[str], old: dict, new: dict) -> dict[str, str]:
    """old name -> new name, when an added column has a removed one's id, physical name or description."""
    out: dict[str, str] = {}
    for before in removed:
        for after in added:
            if after in out.values():
                continue
            a, b = old[before], new[after]
            if any(a.get(k) and a.get(k) == b.get(k) for k in ("id", "physicalName", "description")):
                out[before] = after
                break
    return out


def diff_contracts(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for key in ("id", "version", "status"):
        if old.get(key) != new.get(key):
            changes.append(Change("", f"{key} changed", f"{old.get(key)!r} → {new.get(key)!r}", key == "id"))
    before, after = _by_name(old), _by_name(new)
    removed = [n for n in before if n not in after]
    added = [n for n in after if n not in before]
    renamed = _renames(removed, added, before, after)
    for name in removed:
        if name in renamed:
            changes.append(Change(name, "column renamed", f"{name} → {renamed[name]}", True))
            _compare_column(changes, renamed[name], before[name], after[renamed[name]])
        else:
            changes.append(Change(name, "column removed", "no longer in the contract", True))
    for name in added:
        if name not in renamed.values():
            required = bool(after[name].get("required"))
            changes.append(Change(name, "column added", "required" if required else "optional", False))
    for name in before:
        if name in after:
            _compare_column(changes, name, before[name], after[name])
    return changes


def _compare_column(changes: list[Change], name: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    a, b = old.get("logicalType", "string"), new.get("logicalType", "string")
    if a != b:
        widened = (a, b) in WIDENINGS
        changes.append(Change(name, "type widened" if widened else "type narrowed", f"{a} → {b}", not widened))
    for flag in ("required", "unique"):
        was, now = bool(old.get(flag)), bool(new.get(flag))
        if was != now:
            changes.append(Change(name, f"made {flag}" if now else f"no longer {flag}", f"{flag}: {was} → {now}", now))
    if old.get("description") != new.get("description") and old.get("description") and new.get("description"):
        changes.append(Change(name, "description changed", "words only", False))
    _compare_rules(changes, name, old.get("quality") or [], new.get("quality") or [])


def _rule_key(rule: dict[str, Any], index: int) -> str:
    return str(rule.get("id") or f"{rule.get('metric') or rule.get('name')}#{index}")


def _blocking(rule: dict[str, Any]) -> bool:
    return rule.get("severity") in ("blocking", "error")


def _allowance(rule: dict[str, Any]) -> tuple[str, float] | None:
    if "mustBeLessOrEqualTo" in rule:
        return str(rule.get("unit", "rows")), float(rule["mustBeLessOrEqualTo"])
    if "mustBe" in rule:
        return str(rule.get("unit", "rows")), float(rule["mustBe"])
    return None


def _compare_rules(changes: list[Change], name: str, old: list[dict], new: list[dict]) -> None:
    before = {_rule_key(r, i): r for i, r in enumerate(old)}
    after = {_rule_key(r, i): r for i, r in enumerate(new)}
    for key, rule in before.items():
        if key not in after:
            changes.append(Change(name, "rule removed", key, False))
    for key, rule in after.items():
        if key not in before:
            blocking = _blocking(rule)
            changes.append(Change(name, "rule added" + (" (blocking)" if blocking else " (warning)"), key, blocking))
            continue
        was = before[key]
        if _blocking(rule) != _blocking(was):
            tightened = _blocking(rule)
            changes.append(Change(name, "rule tightened" if tightened else "rule loosened",
                                  f"{key}: severity {was.get('severity')} → {rule.get('severity')}", tightened))
        a, b = _allowance(was), _allowance(rule)
        if a != b and a is not None and b is not None:
            if a[0] == b[0]:
                tightened = b[1] < a[1]
                changes.append(Change(name, "rule tightened" if tightened else "rule loosened",
                                      f"{key}: allowance {a[1]:g} → {b[1]:g} {b[0]}", tightened))
            else:
                changes.append(Change(name, "rule changed", f"{key}: allowance {a} → {b}", True))
        _compare_arguments(changes, name, key, was.get("arguments") or {}, rule.get("arguments") or {})
        if was.get("query") != rule.get("query") and was.get("query") and rule.get("query"):
            changes.append(Change(name, "rule changed", f"{key}: its SQL query", True))


def _compare_arguments(changes: list[Change], name: str, key: str, old: dict, new: dict) -> None:
    if old == new:
        return
    if "validValues" in old and "validValues" in new:
        a, b = set(map(str, old["validValues"])), set(map(str, new["validValues"]))
        tightened = not b >= a
        changes.append(Change(name, "rule tightened" if tightened else "rule loosened",
                              f"{key}: valid values {len(a)} → {len(b)}", tightened))
        return
    changes.append(Change(name, "rule changed", f"{key}: arguments {sorted(old)} → {sorted(new)}", True))


def breaking(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.breaking]
