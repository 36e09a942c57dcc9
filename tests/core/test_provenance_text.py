"""selection_provenance is written as text in bulk; it must be exactly what json.dumps writes.

The oracle below is the per-organisation dict + json.dumps(ensure_ascii=False, sort_keys=True) that
survivorship used before (a JSON parser accepts both; the Data sheet must not change by a byte).
"""

import json
import random

import pandas as pd

import core.survivorship as survivorship
from core.normalize.records import ORGANISATION_FIELDS
from core.profiles import load_profile
from core.survivorship import SINGLE_FIELDS, _host, _ordered_rows, _plain, survive


def _oracle(frame, index, full=None, shared_sites=None, shared_phones=None) -> pd.Series:
    per_cluster: dict = {c: {} for c in index}
    for field in SINGLE_FIELDS + ["last_interaction_date"]:
        present = frame.loc[frame[field].notna(), ["cluster", field, "source_file", "source_sheet", "source_row"]]
        if field == "last_interaction_date":
            present = present.sort_values(["cluster", field], ascending=[True, False], kind="stable")
        present = present.drop_duplicates(["cluster", field])
        for cluster, value, file, sheet, row in zip(*(present[c].tolist() for c in present.columns)):
            entry = {"value": _plain(value), "source_file": file, "source_sheet": sheet, "source_row": int(row)}
            chosen = per_cluster[cluster].get(field)
            if chosen is None:
                per_cluster[cluster][field] = {**entry, "alternatives": []}
            else:
                chosen["alternatives"].append(entry)
    for column, field in (("emails", "contact_primary_email"), ("phones", "contact_primary_phone")):
        rows = _ordered_rows(frame[["cluster", column, "source_file", "source_sheet", "source_row"]], column,
                             shared_phones if column == "phones" else None)
        for cluster, value, file, sheet, row in zip(*(rows[c].tolist() for c in rows.columns)):
            entry = {"value": value, "source_file": file, "source_sheet": sheet, "source_row": int(row)}
            held = per_cluster[cluster]
            if field in held:
                held[field]["alternatives"].append(entry)
            else:
                held[field] = {**entry, "alternatives": []}
    if full is not None and shared_sites:
        demoted = full.loc[full["website"].notna() & frame["website"].isna(),
                           ["cluster", "website", "source_file", "source_sheet", "source_row"]]
        demoted = demoted.drop_duplicates(["cluster", "website"])
        for cluster, value, file, sheet, row in zip(*(demoted[c].tolist() for c in demoted.columns)):
            entry = per_cluster[cluster].setdefault("website", {"value": None, "alternatives": []})
            entry["alternatives"].append({"value": value, "source_file": file, "source_sheet": sheet,
                                          "source_row": int(row), "shared_by": shared_sites.get(_host(value), 0)})
    return pd.Series({c: json.dumps(p, ensure_ascii=False, sort_keys=True) for c, p in per_cluster.items()})


TRICKY = ['Acme "Best" Aviation', "Back\\slash Ltd", "Tab\there", "Line\nbreak", "Ctrl\x01char", "Café Été",
          "飞行学校", "emoji 🛩", "", " ", "plain"]


def _records(seed: int, count: int) -> tuple[pd.DataFrame, pd.Series]:
    rng = random.Random(seed)
    rows = []
    for row in range(count):
        record = {f: pd.NA for f in ORGANISATION_FIELDS}
        for field in ("organization_name", "province", "area", "address", "category", "status", "notes",
                      "priority", "description"):
            if rng.random() < 0.7:
                record[field] = rng.choice(TRICKY + [f"{field} {rng.randint(0, 5)}"])
        if rng.random() < 0.8:  # a directory site that many organisations list, or their own
            record["website"] = rng.choice(["https://www.directory.example/list", f"https://own{rng.randint(0, 40)}.example"])
        if rng.random() < 0.6:
            record["last_interaction_date"] = f"202{rng.randint(0, 4)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        record |= {
            "contact_name": rng.choice([pd.NA, "Ann", "Bob"]), "contact_role": pd.NA,
            "phones": tuple(rng.sample(["+27821111111", "+27110000000", "+27822222222"], rng.randint(0, 2))),
            "emails": tuple(rng.sample(["a@x.example", "b@y.example", 'q"uote@z.example'], rng.randint(0, 2))),
            "link_method": pd.NA, "source_file": rng.choice(["a.xlsx", "b \"q\".xlsx", "c.csv"]),
            "source_sheet": rng.choice(["", "Sheet1", "Ünïcode"]), "source_row": row + 2,
            "source_label": "src", "source_priority": rng.randint(1, 3),
        }
        rows.append(record)
    frame = pd.DataFrame(rows)
    frame["record_id"] = frame["source_file"] + "!" + frame["source_row"].astype(str)
    frame["last_interaction_date"] = pd.to_datetime(frame["last_interaction_date"])
    return frame, pd.Series([rng.randint(0, count // 3) for _ in range(count)])


def test_provenance_text_is_what_json_dumps_writes(monkeypatch) -> None:
    calls = []
    real = survivorship._provenance

    def spy(*args, **options):
        calls.append((args, real(*args, **options)))
        return calls[-1][1]

    monkeypatch.setattr(survivorship, "_provenance", spy)
    monkeypatch.setattr(survivorship, "PROVENANCE_ROWS", 37)  # several parts, cut between organisations
    profile = load_profile("generic")
    for seed in range(6):
        records, clusters = _records(seed, 240)
        data, _ = survive(records, clusters, profile)
        args, text = calls[-1]
        expected = _oracle(*args)
        assert text.index.tolist() == expected.index.tolist()
        assert text.tolist() == expected.tolist()
        assert json.loads(data["selection_provenance"].iloc[0])  # a JSON object a reader can parse
    # The cases the text must get right were all met: a shared site demoted, an organisation with
    # only shared sites (no pick: "value": null), and one with nothing at all.
    joined = "".join(t for _, text in calls for t in text)
    assert '"shared_by": ' in joined and '"value": null' in joined and '\\"' in joined and "\\u0001" in joined


def test_an_organisation_with_no_values_has_an_empty_provenance() -> None:
    records, _ = _records(1, 3)
    for field in SINGLE_FIELDS + ["last_interaction_date"]:
        records[field] = pd.NA
    records["phones"] = [()] * 3
    records["emails"] = [()] * 3
    data, _ = survive(records, pd.Series([0, 1, 1]), load_profile("generic"))
    assert data["selection_provenance"].tolist() == ["{}", "{}"]
