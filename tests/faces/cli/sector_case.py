"""A case from a sector the profiles were never told about (veterinary practices), with the truth.

Written as real workbooks and a CSV: title rows, people linked by ID and by name, phones stored as
numbers, legal-form and spelling variants across files, chain branches that share a website and a
switchboard, free-mail addresses. `truth` maps (file, sheet, row) to the organisation it describes.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import write_xlsx

PREFIXES = ["Acacia", "Baobab", "Marula", "Protea", "Fynbos", "Karoo", "Highveld", "Lowveld", "Drakensberg",
            "Kalahari", "Zambezi", "Limpopo", "Tugela", "Umgeni", "Hartbeespoort", "Magalies", "Cederberg",
            "Outeniqua", "Tsitsikamma", "Amatola", "Waterberg", "Soutpansberg", "Pilanesberg", "Kruger",
            "Mopani", "Jacaranda", "Bushveld", "Sunbird", "Kingfisher", "Fish Eagle", "Blue Crane", "Springbok"]
KINDS = ["Animal Hospital", "Vet Clinic", "Veterinary Practice", "Pet Care Centre", "Equine Vets"]
PROVINCES = [("Gauteng", "GP", "011"), ("Western Cape", "WC", "021"), ("KwaZulu-Natal", "KZN", "031"),
             ("Eastern Cape", "EC", "041"), ("Limpopo", "LP", "015"), ("Mpumalanga", "MP", "013")]
FIRST = ["Naledi", "Pieter", "Aisha", "Johan", "Zanele", "Ruan", "Fatima", "Sibusiso", "Elna", "Tebogo"]
LAST = ["Khumalo", "Botha", "Patel", "Nel", "Mthembu", "Smit", "Adams", "Zulu", "Venter", "Mokoena"]


@dataclass
class Org:
    key: str
    name: str
    domain: str
    province: tuple[str, str, str]
    phone: str  # national format 0XX 555 NNNN
    mobile: str


@dataclass
class SectorCase:
    folder: Path
    truth: dict[tuple[str, str, int], str] = field(default_factory=dict)


def _orgs(rng: random.Random) -> list[Org]:
    orgs, names = [], set()
    while len(orgs) < 60:
        name = f"{rng.choice(PREFIXES)} {rng.choice(KINDS)}"
        if name in names:
            continue
        names.add(name)
        province = rng.choice(PROVINCES)
        n = len(orgs)
        domain = name.lower().replace(" ", "") + ".co.za"
        orgs.append(Org(f"org{n}", name, domain, province, f"{province[2]} 555 {1000 + n:04d}",
                        f"082 555 {2000 + n:04d}"))
    # Two branches of one chain: same website and switchboard, different towns and provinces.
    chain = [Org("chain-dbn", "Paws & Claws Vet Clinic Durban", "pawsandclaws.co.za", PROVINCES[2], "086 555 7000", "082 555 7001"),
             Org("chain-cpt", "Paws & Claws Vet Clinic Cape Town", "pawsandclaws.co.za", PROVINCES[1], "086 555 7000", "082 555 7002")]
    return orgs + chain


def _variant(org: Org, rng: random.Random) -> str:
    forms = [org.name, f"{org.name} (Pty) Ltd", f"{org.name.upper()}", f"The {org.name}", f"{org.name} CC",
             org.name.replace("Centre", "Center").replace(" & ", " and "), f"{org.name}, Inc."]
    return rng.choice(forms)


def build_sector_case(folder: Path, seed: int = 7) -> SectorCase:
    rng = random.Random(seed)
    case = SectorCase(folder)
    orgs = _orgs(rng)
    _practices_workbook(case, orgs, rng)
    _members_csv(case, orgs, rng)
    _leads_workbook(case, orgs, rng)
    return case


def _practices_workbook(case: SectorCase, orgs: list[Org], rng: random.Random) -> None:
    name = "practice-register.xlsx"
    practices = [["Veterinary practice register"], ["Compiled by the regional office"],
                 ["Practice Name", "Practice No", "Province", "Telephone", "Email Address", "Website"]]
    vets = [["Practice No", "Practice", "First Name", "Last Name", "Role", "Mobile", "E-mail"]]
    for number, org in enumerate(orgs[:45], start=100):
        practices.append([org.name, str(number), org.province[1], org.phone, f"info@{org.domain}", f"www.{org.domain}"])
        case.truth[(name, "Practices", len(practices))] = org.key
        for person in range(rng.randint(0, 2)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            by_id = rng.random() < 0.6
            vets.append([str(number) if by_id else None, None if by_id else org.name, first, last, "Vet",
                         int("27" + org.mobile.replace(" ", "")[1:]) + person, f"{first.lower()}@{org.domain}"])
            case.truth[(name, "Vets", len(vets))] = org.key
    write_xlsx(case.folder / name, {"Practices": practices, "Vets": vets, "Lists": [["GP"], ["WC"], ["KZN"]]})


def _members_csv(case: SectorCase, orgs: list[Org], rng: random.Random) -> None:
    name = "association-members.csv"
    rows = [["Business name", "Contact person", "Cell", "Email", "Web", "Region"]]
    for org in orgs[30:]:
        email = f"{rng.choice(FIRST).lower()}{rng.randint(1, 99)}@gmail.com" if rng.random() < 0.3 else f"admin@{org.domain}"
        rows.append([_variant(org, rng), f"{rng.choice(FIRST)} {rng.choice(LAST)}", org.mobile, email,
                     f"https://{org.domain}/", org.province[0]])
        case.truth[(name, "", len(rows))] = org.key
    with (case.folder / name).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _leads_workbook(case: SectorCase, orgs: list[Org], rng: random.Random) -> None:
    name = "sales-leads.xlsx"
    rows = [["Company", "Contact", "Phone", "Email", "URL", "Province"]]
    for org in rng.sample(orgs, 30):
        phone = int("27" + org.phone.replace(" ", "")[1:])  # stored as a number, leading 0 gone
        rows.append([_variant(org, rng), None, phone, f"sales@{org.domain}", org.domain, org.province[0]])
        case.truth[(name, "Leads", len(rows))] = org.key
    write_xlsx(case.folder / name, {"Leads": rows, "Empty": []})
