"""Each field comes from the best record; nothing a losing record held disappears."""

import json

import pandas as pd

from core.normalize.records import ORGANISATION_FIELDS
from core.profiles import load_profile
from core.survivorship import survive, unique_slugs


def _records(rows: list[dict]) -> pd.DataFrame:
    base = {f: pd.NA for f in ORGANISATION_FIELDS} | {
        "contact_name": pd.NA, "contact_role": pd.NA, "phones": (), "emails": (), "link_method": pd.NA,
        "source_sheet": "S", "source_label": "src", "source_priority": 1}
    frame = pd.DataFrame([base | r for r in rows])
    frame["record_id"] = frame["source_file"] + "!" + frame["source_row"].astype(str)
    frame["last_interaction_date"] = pd.to_datetime(frame["last_interaction_date"])
    return frame


def test_priority_then_completeness_then_recency() -> None:
    records = _records([
        {"source_file": "low.xlsx", "source_row": 2, "organization_name": "Acme Low", "website": "https://low.example",
         "address": "1 Road", "province": "Gauteng"},
        {"source_file": "high.xlsx", "source_row": 5, "organization_name": "Acme High", "source_priority": 3},
        {"source_file": "mid.xlsx", "source_row": 3, "organization_name": "Acme Old", "source_priority": 2,
         "last_interaction_date": "2024-01-01"},
        {"source_file": "mid.xlsx", "source_row": 4, "organization_name": "Acme New", "source_priority": 2,
         "last_interaction_date": "2025-01-01"},
    ])
    data, _ = survive(records, pd.Series([0, 0, 0, 0]), load_profile("generic"))
    row = data.iloc[0]
    assert row["organization_name"] == "Acme High"  # highest priority wins even though least complete
    assert row["website"] == "https://low.example"  # only the low-priority row has one: it is kept
    assert row["last_interaction_date"] == pd.Timestamp("2025-01-01")
    provenance = json.loads(row["selection_provenance"])
    assert provenance["organization_name"]["source_file"] == "high.xlsx"
    assert provenance["organization_name"]["source_row"] == 5
    losers = [alt["value"] for alt in provenance["organization_name"]["alternatives"]]
    assert losers == ["Acme New", "Acme Old", "Acme Low"]  # recency breaks the tie between the mid rows


def test_every_phone_and_email_is_kept() -> None:
    records = _records([
        {"source_file": "a.xlsx", "source_row": 2, "organization_name": "Acme", "contact_name": "Ann",
         "phones": ("+27821111111",), "emails": ("ann@acme.co.za",)},
        {"source_file": "a.xlsx", "source_row": 3, "organization_name": "Acme", "contact_name": "Bob",
         "phones": ("+27822222222", "+27821111111"), "emails": ("bob@acme.co.za",)},
    ])
    row = survive(records, pd.Series([0, 0]), load_profile("generic"))[0].iloc[0]
    assert row["contact_primary_name"] == "Ann"
    assert row["contact_primary_phone"] == "+27821111111"
    assert row["contact_secondary_phones"] == "+27822222222"
    assert (row["contact_primary_email"], row["contact_secondary_emails"]) == ("ann@acme.co.za", "bob@acme.co.za")


def test_quality_score_and_flags() -> None:
    records = _records([{"source_file": "a.xlsx", "source_row": 2, "organization_name": "Acme",
                         "website": "https://acme.example", "province": "Gauteng", "phones": ("+27821111111",)}])
    row = survive(records, pd.Series([0]), load_profile("generic"))[0].iloc[0]
    assert row["data_quality_score"] == 0.6
    assert row["data_quality_flags"] == "missing_email; missing_address"


def test_sources_list_every_record_with_its_slug() -> None:
    records = _records([{"source_file": "a.xlsx", "source_row": r, "organization_name": n}
                        for r, n in [(2, "Acme"), (3, "Beta"), (4, "Acme")]])
    data, sources = survive(records, pd.Series([0, 1, 0]), load_profile("generic"))
    assert sorted(sources["source_row"]) == [2, 3, 4]
    assert dict(zip(sources["source_row"], sources["organization_slug"])) == {2: "acme", 3: "beta", 4: "acme"}
    assert data["source_record_ids"].tolist() == ["a.xlsx!2; a.xlsx!4", "a.xlsx!3"]


def test_slugs_are_unique() -> None:
    slugs = unique_slugs(pd.Series(["Acme", "ACME", "acme-2", "Café Été", None]))
    # "acme-2" is a real organisation's slug, so the second Acme skips to -3
    assert slugs.tolist() == ["acme", "acme-3", "acme-2", "cafe-ete", "organisation"]
    assert slugs.is_unique


def test_a_website_many_organisations_list_is_nobodys_own() -> None:
    """A directory listing that five organisations give as their website: the one with its own site
    keeps that; the others get no website, and the listing stays in their provenance."""
    rows = [{"source_file": "dir.xlsx", "source_row": i + 2, "organization_name": f"Org {i}",
             "website": f"https://www.yellowpages.co.za/listing/{i}", "source_priority": 3} for i in range(5)]
    rows.append({"source_file": "own.xlsx", "source_row": 2, "organization_name": "Org 0",
                 "website": "https://org0.co.za"})
    data, _ = survive(_records(rows), pd.Series([0, 1, 2, 3, 4, 0]), load_profile("generic"))
    assert data["website"].tolist()[0] == "https://org0.co.za"  # its own, though the listing's row ranks higher
    assert data["website"].iloc[1:].isna().all()
    provenance = json.loads(data["selection_provenance"].iloc[1])
    assert provenance["website"]["value"] is None
    assert provenance["website"]["alternatives"][0]["value"] == "https://www.yellowpages.co.za/listing/1"
    assert provenance["website"]["alternatives"][0]["shared_by"] == 5


def test_a_shared_switchboard_is_not_the_primary_phone_while_the_organisation_has_its_own() -> None:
    rows = [{"source_file": "chain.xlsx", "source_row": i + 2, "organization_name": f"Branch {i}",
             "phones": ("+27860111222",), "source_priority": 3} for i in range(3)]
    rows.append({"source_file": "own.xlsx", "source_row": 2, "organization_name": "Branch 0",
                 "phones": ("+27115550101",)})
    data, _ = survive(_records(rows), pd.Series([0, 1, 2, 0]), load_profile("generic"))
    assert data["contact_primary_phone"].tolist() == ["+27115550101", "+27860111222", "+27860111222"]
    assert data["contact_secondary_phones"].iloc[0] == "+27860111222"  # kept, not lost
