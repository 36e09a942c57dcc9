"""A sector the resolver was never tuned on: clinics, pharmacies and medical suppliers, spelled
the ways people type them across three workbooks. Scored by pairwise precision and recall over
input rows. `make_case` also feeds the benchmark (tests/bench/bench_resolve.py).
"""

from __future__ import annotations

import random
from collections import Counter

import pandas as pd
import pytest

from core.resolve import ResolutionSettings, resolve

SURNAMES = ["Naidoo", "Botha", "Mokoena", "van der Merwe", "Pillay", "Dlamini", "Smith", "Nkosi", "Pretorius",
            "Khumalo", "Jacobs", "Ndlovu", "Coetzee", "Mahlangu", "Fourie", "Govender", "Venter", "Sithole",
            "Louw", "Zulu", "Kruger", "Maseko", "Steyn", "Moodley", "Du Plessis", "Radebe", "Olivier", "Cele"]
PLACES = {"Gauteng": ["Sandton", "Midrand", "Soweto", "Benoni", "Pretoria", "Centurion", "Randburg"],
          "Western Cape": ["Bellville", "Stellenbosch", "Paarl", "George", "Claremont", "Somerset West"],
          "KwaZulu-Natal": ["Umhlanga", "Pinetown", "Pietermaritzburg", "Ballito", "Newcastle"],
          "Eastern Cape": ["Gqeberha", "East London", "Mthatha", "Makhanda"],
          "Free State": ["Bloemfontein", "Welkom", "Bethlehem"], "Limpopo": ["Polokwane", "Tzaneen"]}
SYLLABLES = ["ba", "ko", "ne", "ma", "tshe", "lo", "vu", "zi", "pe", "ra", "di", "mbo", "ku", "se", "thu", "wa",
             "ndo", "li", "fa", "go", "xo", "hle", "nya", "te", "bu", "mi", "so", "ya", "je", "qa"]
ADJECTIVES = ["Sunrise", "Greenleaf", "Bluewater", "Harmony", "Lifeline", "Unity", "Evergreen", "Silverlake",
              "Pinnacle", "Oasis", "Golden Acre", "Riverside", "Highveld", "Coastal", "Summit", "Amani"]
KINDS = ["Family Practice", "Medical Centre", "Pharmacy", "Dental Studio", "Veterinary Clinic", "Physiotherapy",
         "Medical Supplies", "Optometrists", "Wellness Clinic", "Health Care", "Radiology", "Day Hospital",
         "International Medical Supplies", "Surgical Company", "Eye Care Centre", "Pathology Laboratories"]
LEGAL = ["(Pty) Ltd", "PTY LTD", "(PTY) LTD.", "Proprietary Limited", "CC", "cc", "Inc", "Ltd", "Close Corporation"]
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "mweb.co.za", "telkomsa.net"]
DIRECTORY = "https://www.medpages.co.za/practice"
ABBREVIATE = {"International": "Intl", "Centre": "Ctr", "Company": "Co", "Medical": "Med", "&": "and"}


def make_case(n_orgs: int, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """Rows and, on the same index, each row's true organisation."""
    rng = random.Random(seed)
    orgs = _organisations(n_orgs, rng, _surnames(n_orgs, rng))
    rows: list[dict] = []
    truth: list[str] = []
    for org in orgs:
        for file_no in rng.sample(range(3), rng.choice([1, 1, 2, 2, 3])):
            _emit(org, file_no, rng, rows, truth)
    frame = pd.DataFrame(rows)
    return frame, pd.Series(truth, index=frame.index, name="truth")


def _surnames(n_orgs: int, rng: random.Random) -> list[str]:
    """The real surnames, plus made-up ones for big cases so that names stay about as varied."""
    made_up = {"".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 3]))).capitalize()
               for _ in range(n_orgs // 8)}
    return SURNAMES + sorted(made_up - set(SURNAMES))


def _organisations(n: int, rng: random.Random, surnames: list[str]) -> list[dict]:
    orgs, used = [], set()
    while len(orgs) < n:
        kind = rng.choice(KINDS)
        base = rng.choice([f"{rng.choice(surnames)} {kind}", f"{rng.choice(ADJECTIVES)} {kind}",
                           f"{rng.choice(surnames)} & {rng.choice(surnames)} {kind}",
                           f"{rng.choice(ADJECTIVES)} {rng.choice(surnames)} {kind}"])
        if base.lower() in used:
            continue
        used.add(base.lower())
        if rng.random() < 0.08:  # a chain: branches in different towns are different organisations
            towns = rng.sample([(p, t) for p, ts in PLACES.items() for t in ts], rng.choice([2, 3, 4]))
            site, phone = _site(base), _phone(rng)
            for province, town in towns:
                orgs.append(_org(f"{base} {town}", province, town, rng, site=site, phone=phone,
                                 email=f"info@{site.split('//')[1]}"))
        elif rng.random() < 0.04:  # namesakes: one name, two unrelated organisations far apart
            for province in rng.sample(sorted(PLACES), 2):
                orgs.append(_org(base, province, rng.choice(PLACES[province]), rng, namesake=True))
        else:
            province = rng.choice(sorted(PLACES))
            orgs.append(_org(base, province, rng.choice(PLACES[province]), rng))
    return orgs


def _org(name, province, town, rng, site=None, phone=None, email=None, namesake=False) -> dict:
    own_site = site or (_site(name, town if namesake else "") if rng.random() < 0.7 else None)
    return {"id": f"org{rng.getrandbits(48):x}", "name": name, "province": province, "town": town,
            "legal": rng.choice(LEGAL) if rng.random() < 0.6 else "", "site": own_site,
            "phone": phone or _phone(rng), "email": email, "namesake": namesake,
            "holding": f"{rng.choice(SURNAMES)} Holdings" if rng.random() < 0.05 else None}


def _emit(org: dict, file_no: int, rng: random.Random, rows: list[dict], truth: list[str]) -> None:
    record_id = f"file{file_no}.xlsx#Sheet1!{len(rows) + 2}"
    complete = org["namesake"]  # namesakes are only told apart by what their rows say
    site = org["site"] if org["site"] and (complete or rng.random() < 0.6) else None
    if not complete and rng.random() < 0.05:
        site = DIRECTORY
    domain = org["site"].split("//")[1] if org["site"] else None
    emails = []
    if org["email"] and rng.random() < 0.7:
        emails.append(org["email"])
    elif domain and rng.random() < 0.5:
        emails.append(f"{rng.choice(['info', 'admin', 'reception'])}@{domain}")
    elif rng.random() < 0.3:
        emails.append(f"{org['name'].split()[0].lower()}{rng.randint(1, 999)}@{rng.choice(FREE_MAIL)}")
    rows.append(_row(record_id, _variant(org, rng), site, tuple(emails),
                     (org["phone"],) if complete or rng.random() < 0.6 else (),
                     org["province"] if complete or rng.random() < 0.7 else pd.NA,
                     org["town"] if rng.random() < 0.4 else pd.NA, file_no))
    truth.append(org["id"])
    for _ in range(rng.choice([0, 0, 1, 2]) if file_no == 1 else 0):  # people, linked to their organisation row
        person = f"{rng.choice(['thandi', 'pieter', 'ayesha', 'john', 'lerato'])}{rng.randint(1, 99)}"
        rows.append(_row(f"file1.xlsx#People!{len(rows) + 2}", pd.NA if rng.random() < 0.5 else org["name"],
                         pd.NA, (f"{person}@{domain or rng.choice(FREE_MAIL)}",), (_phone(rng),), pd.NA, pd.NA, 1,
                         link=record_id))
        truth.append(org["id"])


def _variant(org: dict, rng: random.Random) -> str:
    """How one workbook happens to spell the organisation."""
    name = org["name"]
    if rng.random() < 0.3:
        name = " ".join(ABBREVIATE.get(word, word) for word in name.split())
    if rng.random() < 0.5 and org["legal"]:
        name = f"{name} {org['legal']}"
    if rng.random() < 0.1:
        name = f"The {name}"
    if rng.random() < 0.15:
        name = _typo(name, rng)
    if org["holding"] and rng.random() < 0.5:
        name = f"{org['holding']} (Pty) Ltd t/a {name}"
    case = rng.random()
    return name.upper() if case < 0.1 else name.lower() if case < 0.15 else name


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return name
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = rng.choice([w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j + 1:], w[:j] + w[j] + w[j:]])
    return " ".join(words)


def _row(record_id, name, website, emails, phones, province, area, file_no, link=pd.NA) -> dict:
    return {"record_id": record_id, "organization_name": name, "website": website, "emails": emails,
            "phones": phones, "province": province, "area": area, "address": pd.NA,
            "source_file": f"file{file_no}.xlsx", "source_priority": 3 - file_no, "link_record_id": link}


def _site(name: str, suffix: str = "") -> str:
    def slug(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum())
    return f"https://{slug(name)[:24]}{slug(suffix)}.co.za"


def _phone(rng: random.Random) -> str:
    return f"+27{rng.choice([11, 12, 21, 31, 41, 51, 82, 83, 72])}{rng.randint(1000000, 9999999)}"


def pairwise(truth: pd.Series, predicted: pd.Series) -> tuple[float, float]:
    """Pairwise precision and recall over input rows."""
    def pairs(counts) -> int:
        return sum(c * (c - 1) // 2 for c in counts)
    both = pairs(Counter(zip(truth, predicted)).values())
    return both / max(pairs(Counter(predicted).values()), 1), both / max(pairs(Counter(truth).values()), 1)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unseen_sector_precision_and_recall(seed):
    records, truth = make_case(400, seed)
    result = resolve(records, ResolutionSettings())
    precision, recall = pairwise(truth, result.cluster_ids)
    assert precision >= 0.99, precision
    assert recall >= 0.95, recall


def test_unseen_sector_review_queue_is_short():
    records, truth = make_case(400, 4)
    result = resolve(records, ResolutionSettings())
    assert len(result.review) < 0.1 * truth.nunique()
    assert all(pair.evidence.explanation for pair in result.review)
