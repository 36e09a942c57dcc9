"""Primary-key notices: a row is dropped only when it repeats every field of its sheet's key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.notices import REASON_DUPLICATE, REASON_UNLINKED, find_notices
from core.profiles import load_profile


def _profile(tmp_path: Path, keys: str):
    (tmp_path / "keyed.yaml").write_text(
        "name: keyed\nextends: generic\nsources:\n  - label: Register\n    pattern: 'register*'\n"
        f"    priority: 2\n    primary_keys:\n      Practices: {keys}\n", encoding="utf-8")
    return load_profile("keyed", [tmp_path])


def _records(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["organization_name", "organization_id", "province", "source_row"])
    return frame.assign(source_file="register.xlsx", source_sheet="Practices", sheet_role="organisation",
                        link_record_id=pd.NA)


def test_two_field_key_drops_only_rows_that_repeat_both_fields(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "[organization_id, province]")
    records = _records([
        ("Acme", "0012", "Gauteng", 4),
        ("Acme again", "0012", "Limpopo", 5),   # same number, other province: another key, kept
        ("ACME (dup)", "00-12", "gauteng", 6),  # the same key as row 4 once spelling is ignored: dropped
        ("Beta", "0013", pd.NA, 7),             # an incomplete key is never a repeat
        ("Beta again", "0013", pd.NA, 8),
    ])
    notices = find_notices(records, profile)
    assert notices.index.tolist() == [2]
    row = notices.loc[2]
    assert row["reason"] == REASON_DUPLICATE and row["kept_row"] == 4
    assert row["key"] == "organization_id, province = 00-12 / gauteng"


def test_one_field_key_and_unlinked_rows(tmp_path: Path) -> None:
    profile = _profile(tmp_path, "[organization_id]")
    records = _records([("Acme", "0012", "Gauteng", 4), ("Acme 2", "0012", "Limpopo", 5),
                        (pd.NA, pd.NA, pd.NA, 6)])
    notices = find_notices(records, profile)
    assert notices["reason"].to_dict() == {1: REASON_DUPLICATE, 2: REASON_UNLINKED}
    assert notices.loc[1, "kept_row"] == 4
