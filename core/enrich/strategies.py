"""Values derived from the data itself, each a named strategy with a confidence, a column at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.enrich.proposals import Proposal, confidence_of
from core.enrich.towns import PlaceMatcher, province_names, za_towns

if TYPE_CHECKING:
    import pandas as pd

    from core.profiles import Profile

# South African geographic area codes that lie in one province only (+27 21 … is 021, Cape Town).
# Codes shared by two provinces (014, 027, 039, 053) are left out: they do not decide it.
AREA_CODE_PROVINCE = {
    "10": "Gauteng", "11": "Gauteng", "12": "Gauteng", "16": "Gauteng",
    "13": "Mpumalanga", "17": "Mpumalanga",
    "15": "Limpopo",
    "18": "North West",
    "21": "Western Cape", "22": "Western Cape", "23": "Western Cape", "28": "Western Cape", "44": "Western Cape",
    "31": "KwaZulu-Natal", "32": "KwaZulu-Natal", "33": "KwaZulu-Natal", "34": "KwaZulu-Natal",
    "35": "KwaZulu-Natal", "36": "KwaZulu-Natal",
    "40": "Eastern Cape", "41": "Eastern Cape", "42": "Eastern Cape", "43": "Eastern Cape", "45": "Eastern Cape",
    "46": "Eastern Cape", "47": "Eastern Cape", "48": "Eastern Cape", "49": "Eastern Cape",
    "51": "Free State", "56": "Free State", "57": "Free State", "58": "Free State",
    "54": "Northern Cape",
}
TEXT_COLUMNS = ("address_primary", "area")


def excluded_host(host: str, excluded: set[str]) -> bool:
    host = host.lower().removeprefix("www.")
    return host in excluded or any(host.endswith("." + d) for d in excluded)


def primary_from_secondary(data: "pd.DataFrame", profile: "Profile") -> list[Proposal]:
    """An empty primary email or phone takes the first secondary one the organisation has."""
    out = []
    for primary, secondary in (("contact_primary_email", "contact_secondary_emails"),
                               ("contact_primary_phone", "contact_secondary_phones")):
        if primary in data and secondary in data:
            first = _first_of(data[secondary])
            out.append(Proposal(primary, "primary-from-secondary", f"derived: {secondary}",
                                confidence_of("primary-from-secondary", profile.enrichment.confidence), first))
    return out


def website_from_email(data: "pd.DataFrame", profile: "Profile", excluded: set[str]) -> Proposal | None:
    """The domain of the organisation's own email, when it is nobody's free mail, no directory, and
    not shared by so many organisations that it is a chain's or a host's."""
    import pandas as pd

    if "website" not in data:
        return None
    emails = pd.Series("", index=data.index, dtype=object)
    for column in ("contact_primary_email", "contact_secondary_emails"):
        if column in data:
            emails = emails + ";" + data[column].fillna("").astype(str)
    emails = emails[data["website"].isna()]
    found = emails.str.lower().str.extractall(r"@([a-z0-9.-]+\.[a-z]{2,})")[0].str.removeprefix("www.")
    if found.empty:
        return Proposal("website", "website-from-email", "derived: email domain", 0.0, pd.Series(dtype=object))
    pairs = _once_per_row(found)
    counts = pd.concat([pairs, _all_domains(data)]).value_counts()
    shared = counts.index[counts >= profile.resolution.shared_value_min_orgs]
    allowed = pairs[~pairs.isin(shared) & ~_excluded(pairs, excluded)]
    values = "https://" + allowed.groupby(level=0).first()
    return Proposal("website", "website-from-email", "derived: email domain",
                    confidence_of("website-from-email", profile.enrichment.confidence), values)


def _all_domains(data: "pd.DataFrame") -> "pd.Series":
    """Email domains of the organisations that already have a website: they count towards 'shared' too."""
    import pandas as pd

    texts = [data.loc[data["website"].notna(), c].dropna().astype(str) for c in
             ("contact_primary_email", "contact_secondary_emails") if c in data]
    if not texts:
        return pd.Series(dtype=object)
    text = pd.concat(texts)
    found = text.str.lower().str.extractall(r"@([a-z0-9.-]+\.[a-z]{2,})")[0].str.removeprefix("www.")
    return _once_per_row(found)


def _once_per_row(found: "pd.Series") -> "pd.Series":
    """extractall's matches as row -> domain, each domain once per organisation, in order."""
    frame = found.reset_index(level=1, drop=True).rename("domain").rename_axis("row").reset_index()
    frame = frame.drop_duplicates()
    return frame.set_index("row")["domain"]


def _excluded(domains: "pd.Series", excluded: set[str]) -> "pd.Series":
    """The domain, or a domain it lies under (mail.yahoo.com under yahoo.com), is excluded."""
    hit = domains.isin(excluded)
    parent = domains
    for _ in range(4):
        parent = parent.str.partition(".")[2]
        hit |= parent.isin(excluded)
    return hit


def province_from_text(data: "pd.DataFrame", profile: "Profile") -> list[Proposal]:
    """A province the address or area names outright, then one a town in them lies in."""
    import pandas as pd

    if "province" not in data:
        return []
    columns = [c for c in TEXT_COLUMNS if c in data]
    if not columns:
        return []
    text = pd.Series("", index=data.index, dtype=object)
    for column in columns:
        text = text + " ; " + data[column].fillna("").astype(str)
    text = text[data["province"].isna()]
    overrides = profile.enrichment.confidence
    named = PlaceMatcher(province_names(profile.provinces.canonical, profile.provinces.aliases)).province_of(text)
    towns = PlaceMatcher(za_towns()).province_of(text) if profile.country == "ZA" else pd.Series(dtype=object)
    source = "derived: " + ", ".join(columns)
    return [Proposal("province", "province-from-address", source, confidence_of("province-from-address", overrides), named),
            Proposal("province", "province-from-town", source + " (towns table)",
                     confidence_of("province-from-town", overrides), towns)]


def province_from_area_code(data: "pd.DataFrame", profile: "Profile") -> Proposal | None:
    """A South African landline's area code, from the primary phone, else the first secondary one."""
    import pandas as pd

    if "province" not in data or profile.country != "ZA":
        return None
    phones = pd.Series(None, index=data.index, dtype=object)
    for column in ("contact_primary_phone", "contact_secondary_phones"):
        if column in data:
            phones = phones.fillna(_first_of(data[column]))
    phones = phones[data["province"].isna()].dropna().astype(str)
    codes = phones.str.extract(r"^\+27(\d{2})", expand=False)
    values = codes.map(AREA_CODE_PROVINCE).dropna()
    return Proposal("province", "province-from-area-code", "derived: phone area code",
                    confidence_of("province-from-area-code", profile.enrichment.confidence), values)


def _first_of(series: "pd.Series") -> "pd.Series":
    """The first value of a '; '-separated list cell."""
    text = series.dropna().astype(str)
    first = text.str.split(";", n=1).str[0].str.strip()
    return first[first != ""].reindex(series.index)
