"""The files of the case and the layout of each sheet: title rows, columns, and two spellings of every header.

`known` headers are spellings the generic profile maps; `unknown` ones (mostly Afrikaans, as some
offices keep their lists) map to nothing, for teaching a workbook (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass

F1 = "SA Vet Practice List 2025.xlsx"
F2 = "coop_agri_members_export.csv"
F3 = "Reachout tracker 2025.xlsx"
F4 = "Vets KZN + EC (from Sandra).xlsx"
F5 = "Agri Co-operatives Register 2024.xlsx"
FILES = [F1, F2, F3, F4, F5]


@dataclass(frozen=True)
class Column:
    known: str
    unknown: str
    key: str


@dataclass(frozen=True)
class SheetSpec:
    key: str
    file: str
    sheet: str  # "" for the CSV
    role: str  # organisation, people, other
    titles: tuple[tuple, ...]
    columns: tuple[Column, ...]
    caps_rate: float = 0.06
    trading_rate: float = 0.1

    def headers(self, mode: str) -> list[str]:
        return [c.known if mode == "known" else c.unknown for c in self.columns]


def _cols(*triples: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*t) for t in triples)


PRACTICES = SheetSpec(
    "practices", F1, "Practices", "organisation",
    (("South African veterinary practices - regional list",),
     ("Compiled from member submissions. Not for distribution.",), ()),
    _cols(("Practice No", "Praktyk Kode", "practice_no"), ("Practice Name", "Praktyk", "name"),
          ("Physical Address", "Straat", "address"), ("Town", "Dorp", "town"), ("Province", "Streek", "province"),
          ("Tel", "Foon (w)", "landline"), ("Cell", "Selfoon", "mobile"), ("E-mail", "E-pos", "email"),
          ("Website", "Webwerf", "website"), ("Category", "Soort", "category")))
STAFF = SheetSpec(
    "staff", F1, "Staff", "people", (),
    _cols(("Practice No", "Praktyk Kode", "org_ref"), ("Title", "Aanspreek", "salutation"),
          ("First Name", "Voornaam", "first"), ("Surname", "Van", "last"), ("Position", "Pos", "role"),
          ("Cell", "Selfoon", "p_mobile"), ("Email", "E-pos", "p_email")))
LOOKUPS = SheetSpec("lookups", F1, "Lookups", "other", (("Lookup lists - do not edit",), ()),
                    _cols(("Code", "Kode", "code"), ("Province", "Naam", "province_name")))
MEMBERS = SheetSpec(
    "members", F2, "", "organisation", (),
    _cols(("MemberID", "LidNo", "member_id"), ("Name", "Naam", "name"), ("Type", "Soort", "type"),
          ("Address1", "Adres1", "address"), ("Town", "Dorp", "town"), ("Province", "Prov.", "province"),
          ("Phone", "Foon", "phone_any"), ("Fax", "Faks", "fax"), ("Email", "E-pos", "email_any"),
          ("Web", "Webwerf", "website"), ("LastUpdated", "Bygewerk", "updated")),
    caps_rate=0.45, trading_rate=0.05)
TRACKER = SheetSpec(
    "tracker", F3, "Tracker", "organisation",
    (("Reachout 2025 - do not sort without selecting all columns!",),),
    _cols(("Organisation", "Besigheid", "name"), ("Contact Person", "Kontak", "contact_name"),
          ("Contact Number", "Kontaknommer", "phone_any"), ("Email Address", "E-pos adres", "email_any"),
          ("Website URL", "Webwerf", "website"), ("Region", "Gebied", "province"),
          ("Last Contact", "Laaste kontak", "last_contact"), ("Status", "Stand", "status"),
          ("Notes", "Opmerkings", "notes")),
    caps_rate=0.04, trading_rate=0.06)
CONTACTS = SheetSpec(
    "contacts", F3, "Contacts", "people", (),
    _cols(("Organisation", "Besigheid", "org_name"), ("First Name", "Voornaam", "first"),
          ("Last Name", "Van", "last"), ("Role", "Rol", "role"), ("Mobile", "Sel", "p_mobile"),
          ("E-mail", "E-pos", "p_email")))
SUMMARY = SheetSpec("summary", F3, "Summary", "other", (), _cols(("Status", "Stand", "status_name"),
                                                                 ("Count", "Aantal", "count")))
_SANDRA = _cols(("Practice", "Praktyk", "name"), ("Town", "Dorp", "town"), ("Tel.", "Foon (w)", "landline_or_switch"),
                ("Cell", "Sel", "mobile"), ("E-mail", "E-pos", "email"), ("Web", "Webwerf", "website"),
                ("Comments", "Kommentaar", "notes"))
_SANDRA_TITLES = (("Updated by Sandra 14/03 - please add new ones at the bottom",), ())
SANDRA_KZN = SheetSpec("sandra_kzn", F4, "KZN", "organisation", _SANDRA_TITLES, _SANDRA, caps_rate=0.03)
SANDRA_EC = SheetSpec("sandra_ec", F4, "EC", "organisation", _SANDRA_TITLES, _SANDRA, caps_rate=0.03)
SANDRA_OTHER = SheetSpec("sandra_other", F4, "Other provinces", "organisation", _SANDRA_TITLES,
                         _SANDRA[:2] + _cols(("Province", "Streek", "province")) + _SANDRA[2:], caps_rate=0.03)
REGISTER = SheetSpec(
    "register", F5, "Register", "organisation",
    (("Register of Agricultural Co-operatives",), ("Source: provincial departments of agriculture",),
     ("Status as at 31 October 2024",), ()),
    _cols(("Reg No", "Reg. Nommer", "reg_no"), ("Name of Organisation", "Koöperasie", "name"),
          ("Physical Address", "Fisiese adres", "address"), ("Postal Address", "Posadres", "postal"),
          ("Province", "Streek", "province"), ("Tel", "Foon", "landline_or_switch"), ("Fax", "Faks", "fax"),
          ("E-mail", "E-pos", "email_any"), ("Website", "Webwerf", "website"), ("Status", "Stand", "reg_status"),
          ("Date Registered", "Geregistreer", "reg_date")),
    caps_rate=0.1, trading_rate=0.3)
BEARERS = SheetSpec(
    "bearers", F5, "Office Bearers", "people", (),
    _cols(("Reg No", "Reg. Nommer", "org_ref"), ("First Name", "Voornaam", "first"), ("Surname", "Van", "last"),
          ("Position", "Amp", "role"), ("Cell", "Sel", "p_mobile"), ("Email", "E-pos", "p_email")))
NOTES = SheetSpec("notes", F5, "Notes", "other", (), _cols(("Notes on this register", "Notas", "text")))

# Sheets in the order they are written, per file.
BOOKS = {F1: [PRACTICES, STAFF, LOOKUPS], F2: [MEMBERS], F3: [TRACKER, CONTACTS, SUMMARY],
         F4: [SANDRA_KZN, SANDRA_EC, SANDRA_OTHER], F5: [REGISTER, BEARERS, NOTES]}
ORG_SHEETS = [PRACTICES, MEMBERS, TRACKER, SANDRA_KZN, SANDRA_EC, SANDRA_OTHER, REGISTER]
# Where each kind of organisation is listed, and how often (weights).
ELIGIBLE = {
    "vet": [("practices", 3), ("tracker", 3), ("sandra", 2), ("members", 1)],
    "coop": [("register", 3), ("members", 3), ("tracker", 2)],
    "vet_branch": [("practices", 3), ("tracker", 2), ("sandra", 2)],
    "coop_branch": [("register", 2), ("members", 3), ("tracker", 2)],
}
