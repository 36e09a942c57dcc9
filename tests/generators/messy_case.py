"""Messy cases for entity resolution and scale: real workbooks, and a truth file beside them.

    from tests.generators.messy_case import build_case, load_truth, pairwise
    truth_path = build_case(folder, rows=100_000, seed=7)      # writes the workbooks, returns the truth CSV
    truth = load_truth(truth_path)                              # (file, sheet, row) -> organisation id
    precision, recall, f1 = pairwise(actual_labels, predicted_labels)

`rows` input rows (organisation rows and people rows, all of which belong to an organisation) are
spread over several workbooks and a CSV, never more than Excel's row limit on one sheet:
  * `register-N.xlsx`  a register (title rows above the header, a sheet per region, an ID per row);
  * `crm-N.xlsx`       `Organisations` and `People`; people link to their organisation by `Org ID`,
                       or by the company's name where the ID is missing;
  * `leads-N.xlsx`     sales leads, phones stored as numbers, a sheet per year;
  * `members.csv`      an association's member list.
The truth CSV (`<folder>/../<folder name>-truth.csv`, outside the case so refine never reads it) has
`file, sheet, row, organisation, variants`: `row` is the row as Excel shows it (the CSV line for
CSV, sheet empty) and `variants` names the spelling variants that row carries, for diagnosis.

Every variant class of issue 14 appears: abbreviations by truncation and consonant skeleton, with or
without a dot; adjacent letters swapped (first letters too); `X Holdings t/a Y`, `X (Pty) Ltd trading
as Y`, `Y, a division of X`; a kind word added, dropped (down to its first word) or swapped, for a
synonym or a generic word; legal forms at the end or inside the name; `&`/`and`; `Centre`/`Center`;
a leading `The`; trailing punctuation; case; extra spaces; hyphens; an accent; the town as a
qualifier; provinces as `W. Cape`, `KZN`, `E.Cape`… Several variants often meet in one spelling.
Hard negatives too: chain branches in other towns that share a domain, an info@ address and a
switchboard; namesakes (one name, two provinces, nothing shared); place twins (one name, two towns
of one province, the town in the name, nothing shared); siblings that differ only in their kind
word (half of them with phone and province on only some rows); directory listing URLs and
free-mail addresses that many share.

Deterministic: the same (rows, seed) gives byte-identical truth and the same cell values. The sector
vocabulary is drawn from the seed, so different seeds give different sectors.
"""

from __future__ import annotations

import csv
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 3  # bump when the output changes, so cached cases are made again
SHEET_LIMIT = 1_000_000  # rows per sheet, below Excel's 1,048,576

SECTORS = {
    "veterinary": [["Animal Clinic", "Vet Clinic", "Veterinary Clinic"], ["Animal Hospital", "Veterinary Hospital"],
                   ["Pet Care Centre", "Pet Centre"], ["Equine Practice", "Horse Vets"]],
    "engineering": [["Engineering Services", "Engineering"], ["Aircraft Maintenance", "Maintenance Services"],
                    ["Technical Services", "Technical Solutions"], ["Precision Engineering", "Machining"]],
    "health": [["Medical Centre", "Medical Clinic", "Medical Practice"], ["Day Hospital", "Hospital"],
               ["Dental Studio", "Dental Practice", "Dentists"], ["Physiotherapy", "Physio Practice"]],
    "education": [["Training Centre", "Training Academy", "Academy"], ["Flight School", "Flight Training Centre"],
                  ["Preparatory School", "Prep School"], ["Learning Centre", "Tutoring Centre"]],
    "hospitality": [["Guest House", "Guesthouse", "Guest Lodge"], ["Game Lodge", "Safari Lodge"],
                    ["Country Hotel", "Hotel"], ["Conference Centre", "Conference Venue"]],
    "trade": [["International Traders", "International Trading"], ["Management Consultants", "Management Services"],
              ["Logistics", "Freight Services"], ["Medical Supplies", "Surgical Supplies"]],
}
GENERIC_KIND_WORDS = ["Services", "Group", "Solutions", "Centre", "Company"]
SYLLABLES = ["ba", "ko", "ne", "ma", "tshe", "lo", "vu", "zi", "pe", "ra", "di", "mbo", "ku", "se", "thu", "wa",
             "ndo", "li", "fa", "go", "xo", "hle", "nya", "te", "bu", "mi", "so", "ya", "je", "qa", "ri", "lwe"]
SURNAMES = ["Naidoo", "Botha", "Mokoena", "Pillay", "Dlamini", "Smith", "Nkosi", "Pretorius", "Khumalo", "Jacobs",
            "Ndlovu", "Coetzee", "Mahlangu", "Fourie", "Govender", "Venter", "Sithole", "Louw", "Kruger", "Maseko",
            "Steyn", "Moodley", "Radebe", "Olivier", "Cele", "Van Wyk", "Du Toit", "Erasmus", "Mthembu", "Adams"]
PLACE_WORDS = ["Lowveld", "Highveld", "Wonderboom", "Lanseria", "Bushveld", "Karoo", "Waterberg", "Magalies",
               "Cederberg", "Outeniqua", "Drakensberg", "Zambezi", "Tugela", "Amatola", "Baobab", "Marula",
               "Protea", "Jacaranda", "Acacia", "Kalahari", "Sunbird", "Kingfisher", "Springbok", "Fynbos"]
PROVINCES = {  # name: (spellings people type, towns, area code)
    "Gauteng": (["Gauteng", "GP", "Gauteng Province", "GAUTENG"], ["Sandton", "Midrand", "Pretoria", "Benoni",
                                                                    "Centurion", "Randburg", "Soweto"], "011"),
    "Western Cape": (["Western Cape", "WC", "W. Cape", "W Cape", "Wes-Kaap"], ["Bellville", "Stellenbosch", "Paarl",
                                                                             "George", "Claremont"], "021"),
    "KwaZulu-Natal": (["KwaZulu-Natal", "KZN", "Kwa-Zulu Natal", "Natal"], ["Umhlanga", "Pinetown", "Ballito",
                                                                           "Pietermaritzburg", "Newcastle"], "031"),
    "Eastern Cape": (["Eastern Cape", "EC", "E.Cape", "E. Cape"], ["Gqeberha", "East London", "Mthatha"], "041"),
    "Northern Cape": (["Northern Cape", "NC", "N. Cape", "N Cape"], ["Kimberley", "Upington", "Springbok"], "053"),
    "Free State": (["Free State", "FS", "Freestate"], ["Bloemfontein", "Welkom", "Bethlehem"], "051"),
    "Limpopo": (["Limpopo", "LP", "Limpopo Province"], ["Polokwane", "Tzaneen", "Thohoyandou"], "015"),
    "Mpumalanga": (["Mpumalanga", "MP"], ["Nelspruit", "Witbank", "Secunda"], "013"),
    "North West": (["North West", "NW", "North-West"], ["Rustenburg", "Mahikeng", "Potchefstroom"], "018"),
}
LEGAL = ["(Pty) Ltd", "PTY LTD", "(PTY) LTD.", "Pty. Ltd.", "Proprietary Limited", "CC", "cc", "Inc", "Ltd",
         "Close Corporation", "(Pty)Ltd"]
FREE_MAIL = ["gmail.com", "yahoo.com", "outlook.com", "mweb.co.za", "telkomsa.net", "webmail.co.za"]
DIRECTORIES = ["https://www.yellowpages.co.za/listing", "https://www.brabys.com/business",
               "https://www.cylex.co.za/company"]
FIRST = ["Naledi", "Pieter", "Aisha", "Johan", "Zanele", "Ruan", "Fatima", "Sibusiso", "Elna", "Tebogo", "Lerato"]
LAST = ["Khumalo", "Botha", "Patel", "Nel", "Mthembu", "Smit", "Adams", "Zulu", "Venter", "Mokoena", "Naidoo"]
ROLES = ["Manager", "Owner", "Director", "Reception", "Buyer", "Accounts", "-"]
VOWELS = set("aeiou")


@dataclass
class Org:
    id: str
    brand: str  # the distinctive words: "Lowveld", "Nkosi & Dube"
    kind: list[str]  # synonyms of its kind: the first is how it calls itself
    province: str
    town: str
    phone: str  # E.164
    site: str | None  # host
    legal: str
    holding: str | None = None
    branch_of: str | None = None  # a chain's brand: the town is part of the name
    email: str | None = None  # a chain's info@
    complete: bool = False  # hard negatives carry their province and phone on every row
    qualified: bool = False  # the town in brackets or after a dash on every row: "Marula Clinic (Tzaneen)"

    @property
    def name(self) -> str:
        base = f"{self.brand} {self.kind[0]}".strip()
        return f"{base} {self.town}" if self.branch_of else base


@dataclass
class _Sheet:
    header: list[str]
    title: list[list[str]] = field(default_factory=list)
    rows: int = 0


class _Writer:
    """xlsxwriter workbooks in constant-memory mode, one row at a time per sheet, and the truth."""

    def __init__(self, folder: Path, truth) -> None:
        self.folder, self.truth = folder, truth
        self.books: dict[str, object] = {}
        self.sheets: dict[tuple[str, str], tuple[object, _Sheet]] = {}
        self.csvs: dict[str, list] = {}  # file -> [handle, csv writer, rows written]: one handle per CSV file

    def add(self, file: str, sheet: str, spec: _Sheet, values: list, org: str, variants: list[str]) -> None:
        if file.endswith(".csv"):
            if file not in self.csvs:
                handle = (self.folder / file).open("w", newline="", encoding="utf-8")
                self.csvs[file] = [handle, csv.writer(handle), 1]
                self.csvs[file][1].writerow(spec.header)
            entry = self.csvs[file]
            entry[1].writerow(["" if v is None else v for v in values])
            entry[2] += 1
            self.truth.writerow([file, "", entry[2], org, ";".join(variants)])
            return
        key = (file, sheet)
        if key not in self.sheets:
            if file not in self.books:
                import xlsxwriter

                self.books[file] = xlsxwriter.Workbook(str(self.folder / file), {
                    "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                    "strings_to_urls": False})
            ws = self.books[file].add_worksheet(sheet)
            state = _Sheet(spec.header, spec.title)
            for line in [*spec.title, spec.header]:
                self._write(ws, state, line)
            self.sheets[key] = (ws, state)
        ws, state = self.sheets[key]
        self._write(ws, state, values)
        self.truth.writerow([file, sheet, state.rows, org, ";".join(variants)])

    @staticmethod
    def _write(ws, state: _Sheet, values: list) -> None:
        for c, value in enumerate(values):
            if value is not None and value != "":
                ws.write(state.rows, c, value)
        state.rows += 1

    def close(self) -> None:
        for book in self.books.values():
            book.close()
        for handle, _, _ in self.csvs.values():
            handle.close()


def build_case(folder: Path, rows: int, seed: int = 0) -> Path:
    """Write a case of about `rows` input rows into `folder` (created); return the truth CSV's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    truth_path = folder.with_name(folder.name + "-truth.csv")
    rng = random.Random(seed)
    sectors = rng.sample(sorted(SECTORS), 2)
    kinds = [k for s in sectors for k in SECTORS[s]]
    parts = max(1, math.ceil(rows / 250_000))  # workbooks per family: keeps every sheet under the limit
    with truth_path.open("w", newline="", encoding="utf-8") as handle:
        truth = csv.writer(handle)
        truth.writerow(["file", "sheet", "row", "organisation", "variants"])
        writer = _Writer(folder, truth)
        made = 0
        for org in _organisations(rng, kinds):
            made += _emit(org, rng, writer, parts)
            if made >= rows:
                break
        writer.close()
    return truth_path


def _brand_words(rng: random.Random) -> str:
    roll = rng.random()
    made_up = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 3, 3, 4]))).capitalize()
    if roll < 0.35:
        return made_up
    if roll < 0.55:
        return f"{rng.choice(SURNAMES)} & {rng.choice(SURNAMES)}"
    if roll < 0.75:
        return f"{rng.choice(PLACE_WORDS)} {made_up}" if rng.random() < 0.5 else rng.choice(PLACE_WORDS)
    if roll < 0.9:
        return f"{rng.choice(SURNAMES)} {made_up}"
    return f"{made_up} {rng.choice(['Brothers', 'Family', 'United', 'Premier', 'First'])}"


def _organisations(rng: random.Random, kinds: list[list[str]]):
    used: set[str] = set()
    n = 0

    def new(brand, kind, province, town, **extra) -> Org:
        nonlocal n
        n += 1
        site = extra.pop("site", _host(brand, kind) if rng.random() < 0.7 else None)
        return Org(f"o{n:07d}", brand, kind, province, town, extra.pop("phone", _phone(rng, province)), site,
                   rng.choice(LEGAL) if rng.random() < 0.55 else "", **extra)

    while True:
        kind = rng.choice(kinds)
        brand = _brand_words(rng)
        province = rng.choice(sorted(PROVINCES))
        town = rng.choice(PROVINCES[province][1])
        if f"{brand} {kind[0]}".lower() in used:
            continue
        used.add(f"{brand} {kind[0]}".lower())
        roll = rng.random()
        if roll < 0.06:  # a chain: branches in other towns share the website, info@ and the switchboard
            places = rng.sample([(p, t) for p, (_, ts, _) in PROVINCES.items() for t in ts], rng.choice([2, 3, 4, 6]))
            site, phone = _host(brand, kind), _phone(rng, places[0][0])
            for p, t in places:
                yield new(brand, kind, p, t, site=site, phone=phone if rng.random() < 0.8 else _phone(rng, p),
                          branch_of=brand, email=f"info@{site}", complete=True)
        elif roll < 0.09:  # namesakes: one name, two organisations in two provinces, nothing shared
            for p in rng.sample(sorted(PROVINCES), 2):
                t = rng.choice(PROVINCES[p][1])
                yield new(brand, kind, p, t, site=_host(f"{brand} {t}", kind) if rng.random() < 0.7 else None,
                          complete=True)
        elif roll < 0.11:  # siblings: one brand, two kinds of business, each with its own contacts
            other = rng.choice([k for k in kinds if k is not kind])
            used.add(f"{brand} {other[0]}".lower())
            complete = rng.random() < 0.5  # half of them write their phone and province only now and then
            yield new(brand, kind, province, town, complete=complete)
            yield new(brand, other, province, town, complete=complete)
        elif roll < 0.12:  # place twins: one name in two towns of one province, each with its own contacts
            for t in rng.sample(PROVINCES[province][1], 2):
                yield new(brand, kind, province, t, site=_host(f"{brand} {t}", kind) if rng.random() < 0.7 else None,
                          qualified=True, complete=True)
        else:
            holding = f"{rng.choice(SURNAMES)} Holdings" if rng.random() < 0.05 else None
            yield new(brand, kind, province, town, holding=holding)


def _host(brand: str, kind: list[str]) -> str:
    slug = "".join(c for c in f"{brand}{kind[0].split()[0]}".lower() if c.isalnum())
    return f"{slug[:28]}.co.za"


def _phone(rng: random.Random, province: str) -> str:
    return f"+27{PROVINCES[province][2][1:]}{rng.randint(1000000, 9999999)}"


def _mobile(rng: random.Random) -> str:
    return f"+27{rng.choice([82, 83, 72, 73, 84, 61])}{rng.randint(1000000, 9999999)}"


# ---------------------------------------------------------------------------------------------
# one organisation's rows


REGISTER = _Sheet(["Name of Organisation", "Reg No", "Province", "Town", "Telephone", "Email Address", "Website"],
                  [["Register of organisations"], ["Compiled by the regional office; not for distribution"]])
CRM_ORGS = _Sheet(["Org ID", "Company", "Phone", "E-mail", "URL", "Region", "City"], [["CRM export"], []])
CRM_PEOPLE = _Sheet(["Org ID", "Company", "First Name", "Last Name", "Role", "Mobile", "E-mail"])
LEADS = _Sheet(["Business name", "Contact person", "Cell", "Email", "Web", "Region", "Notes"])
MEMBERS = _Sheet(["Business Name", "Contact person", "Cell", "Email", "Web", "Province"])


def _emit(org: Org, rng: random.Random, writer: _Writer, parts: int) -> int:
    """Write the organisation's rows (1-4 places it appears in, people in the CRM); return how many."""
    written = 0
    for family in rng.sample(["register", "crm", "leads", "members"], rng.choice([1, 1, 2, 2, 2, 3, 4])):
        part = rng.randrange(parts) + 1
        variants: list[str] = []
        name = _spelling(org, rng, variants)
        province = _province(org, rng) if org.complete or rng.random() < 0.75 else None
        phone = org.phone if org.complete or rng.random() < 0.65 else None
        site = _site(org, rng, variants)
        email = _email(org, rng, variants)
        if family == "register":
            sheet = "Coastal" if org.province in ("Western Cape", "KwaZulu-Natal", "Eastern Cape") else "Inland"
            cells = [name, f"R{part}{writer_rows(writer, f'register-{part}.xlsx', sheet):08d}", province,
                     org.town if rng.random() < 0.5 else None, _phone_text(phone, rng), email, site]
            writer.add(f"register-{part}.xlsx", sheet, REGISTER, cells, org.id, variants)
            written += 1
        elif family == "crm":
            file = f"crm-{part}.xlsx"
            org_id = f"C{part}{writer_rows(writer, file, 'Organisations'):08d}"
            cells = [org_id, name, _phone_number(phone, False), email, site, province,
                     org.town if rng.random() < 0.6 else None]
            writer.add(file, "Organisations", CRM_ORGS, cells, org.id, variants)
            written += 1
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                by_name = rng.random() < 0.2
                person_mail = (f"{rng.choice(FIRST).lower()}@{org.site}" if org.site and rng.random() < 0.6
                               else f"{rng.choice(FIRST).lower()}{rng.randint(1, 999)}@{rng.choice(FREE_MAIL)}")
                writer.add(file, "People", CRM_PEOPLE,
                           [None if by_name else org_id, name if by_name else None, rng.choice(FIRST),
                            rng.choice(LAST), rng.choice(ROLES), _phone_number(_mobile(rng), True), person_mail],
                           org.id, ["person by name" if by_name else "person by id"])
                written += 1
        elif family == "leads":
            year = "Leads 2024" if rng.random() < 0.5 else "Leads 2025"
            cells = [name, f"{rng.choice(FIRST)} {rng.choice(LAST)}", _phone_number(phone, True), email, site,
                     province, rng.choice([None, None, "follow up", "=1+1", "@call"])]
            writer.add(f"leads-{part}.xlsx", year, LEADS, cells, org.id, variants)
            written += 1
        else:
            cells = [name, f"{rng.choice(FIRST)} {rng.choice(LAST)}", _phone_text(phone, rng), email, site, province]
            writer.add("members.csv" if part == 1 else f"members-{part}.csv", "", MEMBERS, cells, org.id, variants)
            written += 1
    return written


def writer_rows(writer: _Writer, file: str, sheet: str) -> int:
    state = writer.sheets.get((file, sheet))
    return state[1].rows if state else 0


def _spelling(org: Org, rng: random.Random, variants: list[str]) -> str:
    """How one workbook happens to write the organisation's name."""
    kind = list(org.kind[0].split())
    roll = rng.random()
    if roll < 0.08 and len(org.kind) > 1:
        kind = org.kind[rng.randrange(1, len(org.kind))].split()
        variants.append("kind swapped")
    elif roll < 0.14 and len(kind) > 1:
        kind = kind[:-1]
        variants.append("kind dropped")
    elif roll < 0.17:
        kind = kind + [rng.choice(GENERIC_KIND_WORDS)]
        variants.append("kind added")
    roll = rng.random()
    if roll < 0.03:  # the sector's word for it swapped for a generic one: "Flight Services"
        kind = kind[:-1] + [rng.choice(GENERIC_KIND_WORDS)]
        variants.append("kind generic")
    elif roll < 0.05 and len(kind) > 1:  # only the first word of the kind: "Lanseria Flight"
        kind = kind[:1]
        variants.append("kind dropped")
    words = org.brand.split() + kind + (org.town.split() if org.branch_of else [])
    if rng.random() < 0.25:  # mostly the sector's words; a brand word now and then
        brand_words = len(org.brand.split())
        i = rng.randrange(brand_words) if rng.random() < 0.15 else rng.randrange(brand_words, len(words))
        short = _abbreviate(words[i], rng)
        if short != words[i]:
            words[i] = short
            variants.append("abbreviation")
    if rng.random() < 0.12:
        words, done = _transpose(words, rng)
        if done:
            variants.append("transposition")
    elif rng.random() < 0.06:
        words = _typo(words, rng)
        variants.append("typo")
    if "&" in words and rng.random() < 0.5:
        words = ["and" if w == "&" else w for w in words]
        variants.append("and")
    if any(w in ("Centre", "Center") for w in words) and rng.random() < 0.4:
        words = ["Center" if w == "Centre" else w for w in words]
        variants.append("center")
    if rng.random() < 0.03:  # an accent a clerk's keyboard added or dropped
        i = rng.randrange(len(words))
        accented = words[i].replace("e", "\u00eb", 1) if "e" in words[i] else words[i].replace("o", "\u00f6", 1)
        if accented != words[i]:
            words[i] = accented
            variants.append("diaeresis")
    name = " ".join(words)
    if len(words) > 1 and rng.random() < 0.04:  # "Du-Toit", "Day-Hospital"
        i = rng.randrange(len(words) - 1)
        name = " ".join([*words[:i], f"{words[i]}-{words[i + 1]}", *words[i + 2:]])
        variants.append("hyphen")
    if org.qualified or (not org.branch_of and rng.random() < 0.03):
        name += rng.choice([f" ({org.town})", f" - {org.town}", f" {org.town}"]) if org.qualified else f" ({org.town})"
        variants.append("place qualifier")
    if org.legal and rng.random() < 0.6:
        if rng.random() < 0.15 and len(words) > 1:  # inside the name: "Acme (Pty) Ltd Engineering"
            name = " ".join([*words[:-1], org.legal, words[-1]])
            variants.append("legal form inside")
        else:
            name = f"{name}{',' if rng.random() < 0.1 else ''} {org.legal}"
            variants.append("legal form")
    if org.holding and rng.random() < 0.7:
        form = rng.randrange(3)
        name = (f"{org.holding} t/a {name}", f"{org.holding} (Pty) Ltd trading as {name}",
                f"{name}, a division of {org.holding}")[form]
        variants.append(("holding t/a", "trading as", "division of")[form])
    if rng.random() < 0.06:
        name = f"The {name}"
        variants.append("the")
    if rng.random() < 0.06:
        name += rng.choice([".", ",", " -", " *", "."])
        variants.append("trailing punctuation")
    if rng.random() < 0.04:
        name = name.replace(" ", "  ", 1)
    roll = rng.random()
    if roll < 0.1:
        name = name.upper()
        variants.append("upper")
    elif roll < 0.14:
        name = name.lower()
        variants.append("lower")
    return name


def _abbreviate(word: str, rng: random.Random) -> str:
    """`Hospital` -> `Hosp.`/`Hosp`, `Management` -> `Mgmt`, `Services` -> `Svcs`: by truncation or skeleton."""
    if len(word) < 6 or not word.isalpha():
        return word
    if rng.random() < 0.6:
        short = word[: rng.choice([3, 4, 5])]
    else:
        skeleton = word[0] + "".join(c for c in word[1:] if c.lower() not in VOWELS)
        short = skeleton[: rng.choice([3, 4, len(skeleton)])]
        if word.endswith("s") and rng.random() < 0.5:
            short = short.rstrip("s") + "s"
    return short + ("." if rng.random() < 0.4 else "")


def _transpose(words: list[str], rng: random.Random) -> tuple[list[str], bool]:
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not candidates:
        return words, False
    i = rng.choice(candidates)
    w = words[i]
    j = 0 if rng.random() < 0.2 else rng.randrange(1, len(w) - 1)
    if w[j] == w[j + 1]:
        return words, False
    swapped = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return [*words[:i], swapped, *words[i + 1:]], True


def _typo(words: list[str], rng: random.Random) -> list[str]:
    candidates = [i for i, w in enumerate(words) if len(w) >= 7 and w.isalpha()]
    if not candidates:
        return words
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    return [*words[:i], rng.choice([w[:j] + w[j + 1:], w[:j] + w[j] + w[j:]]), *words[i + 1:]]


def _province(org: Org, rng: random.Random) -> str:
    spellings = PROVINCES[org.province][0]
    return spellings[0] if rng.random() < 0.5 else rng.choice(spellings)


def _site(org: Org, rng: random.Random, variants: list[str]) -> str | None:
    if not org.complete and rng.random() < 0.06:
        variants.append("directory url")
        return f"{rng.choice(DIRECTORIES)}/{rng.randint(10000, 99999)}"
    if org.site and (org.complete or rng.random() < 0.6):
        return rng.choice([f"https://www.{org.site}", f"www.{org.site}", f"http://{org.site}/", org.site])
    return None


def _email(org: Org, rng: random.Random, variants: list[str]) -> str | None:
    if org.email and rng.random() < 0.7:
        return org.email
    if org.site and rng.random() < 0.45:
        return f"{rng.choice(['info', 'admin', 'reception', 'office'])}@{org.site}"
    if rng.random() < 0.25:
        variants.append("free mail")
        return f"{org.brand.split()[0].lower()}{rng.randint(1, 999)}@{rng.choice(FREE_MAIL)}"
    return None


def _phone_text(phone: str | None, rng: random.Random) -> str | None:
    if phone is None:
        return None
    national = "0" + phone[3:]
    return rng.choice([f"{national[:3]} {national[3:6]} {national[6:]}", national, f"+27 {national[1:3]} "
                       f"{national[3:6]} {national[6:]}", f"({national[:3]}) {national[3:6]}-{national[6:]}"])


def _phone_number(phone: str | None, with_country: bool) -> int | None:
    """As a spreadsheet stores a typed number: the leading 0 (or +) is gone."""
    if phone is None:
        return None
    return int(phone[1:]) if with_country else int(phone[3:])


# ---------------------------------------------------------------------------------------------
# scoring against the truth


def load_truth(path: Path) -> dict[tuple[str, str, int], str]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {(r["file"], r["sheet"], int(r["row"])): r["organisation"] for r in csv.DictReader(handle)}


def load_variants(path: Path) -> dict[tuple[str, str, int], str]:
    with Path(path).open(newline="", encoding="utf-8") as handle:
        return {(r["file"], r["sheet"], int(r["row"])): r["variants"] for r in csv.DictReader(handle)}


def pairwise(actual, predicted) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 over rows: two label sequences of the same rows."""
    def pairs(counts) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    actual, predicted = list(actual), list(predicted)
    both = pairs(Counter(zip(actual, predicted)).values())
    precision = both / max(pairs(Counter(predicted).values()), 1)
    recall = both / max(pairs(Counter(actual).values()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def resolvable_records(folder: Path, rows: int, seed: int, profile_name: str = "generic"):
    """A generated case built in `folder`, read, normalised and without its notices: the records
    resolve() gets in a refine."""
    from core.ingest.case_reader import ingest_case
    from core.normalize.records import normalise_records
    from core.notices import find_notices
    from core.profiles import load_profile
    from core.progress import Reporter

    build_case(folder, rows, seed=seed)
    profile = load_profile(profile_name)
    ingested = ingest_case(folder, profile, Reporter(["discover", "read"]))
    records, _ = normalise_records(ingested.records(), profile)
    return records.drop(index=find_notices(records, profile).index).reset_index(drop=True)
