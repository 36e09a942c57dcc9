"""The bundled sample case: synthetic workbooks, messy in the ways real ones are.

Written on first use to `data/sample/` so a newcomer's first command works with nothing
prepared. Every person and number here is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

SAMPLE_CASE_ID = "sample"

# (practice name, reg no, province, phone, email, website, address, last contact)
PRACTICES = [
    ("Sunrise Medical Centre (Pty) Ltd", "0012", "GP", 27115550101, "info@sunrisemed.co.za", "www.sunrisemed.co.za/", "12 Jan Smuts Ave, Rosebank", dt.date(2025, 9, 1)),
    ("Harbour View Clinic CC", "0013", "WC", "021 555 0102", "reception@harbourview.co.za", "http://harbourview.co.za", "3 Dock Rd, Cape Town", dt.date(2025, 8, 14)),
    ("Umhlanga Family Practice", "0014", "KZN", "+27 31 555 0103", "mailto:Admin@UmhlangaFP.co.za", "umhlangafp.co.za", "88 Lighthouse Rd, Umhlanga", None),
    ("Karoo Health Hub", "0015", "Northern Cape", "053 555 0104 / 082 555 0105", "karoohealth@gmail.com", "-", "Main Rd, Kimberley", dt.date(2025, 3, 2)),
    ("Polokwane Wellness (Pty) Ltd", "0016", "LP", 155550106, "hello@pkwellness.co.za", "https://www.pkwellness.co.za", "n/a", dt.date(2025, 7, 19)),
    ("Bay Physio Group - Gqeberha", "0017", "EC", "041 555 0107", "gqeberha@bayphysio.co.za", "https://bayphysio.co.za", "5 Marine Dr, Gqeberha", None),
    ("Bay Physio Group - East London", "0018", "EC", "043 555 0108", "eastlondon@bayphysio.co.za", "https://bayphysio.co.za", "9 Oxford St, East London", None),
    ("Mpumalanga Eye Care", "0019", "MP", "not known", "eyes@mpeyecare", "mpeyecare.co.za", "Nelspruit", dt.date(2025, 5, 5)),
    ("The Kloof Dental Studio", "0020", "KwaZulu Natal", "031 555 0110", "smile@kloofdental.co.za", "kloofdental.co.za", "1 Village Rd, Kloof", None),
    ("Sunrise Medical Centre (Pty) Ltd", "0012", "GP", 27115550101, "info@sunrisemed.co.za", "sunrisemed.co.za", "duplicate row", None),
    ("Free State Rural Clinic", "0021", "FS", "051 555 0111", "=HYPERLINK(\"http://example.invalid\")", "", "Bloemfontein", None),
]

# (reg no, practice as typed on the contacts sheet, first name, surname, role, cell, email)
CONTACTS = [
    ("0012", "Sunrise Medical", "Thandi", "Mokoena", "Practice Manager", 825550201, "thandi@sunrisemed.co.za"),
    ("0013", "Harbour View Clinic", "Pieter", "van Wyk", "Owner", "083 555 0202", "pieter@harbourview.co.za"),
    ("", "Umhlanga Family Practice", "Ayesha", "Naidoo", "Doctor", "+27 84 555 0203", "ayesha@umhlangafp.co.za"),
    ("", "Karoo Health Hub", "Johan", "Botha", "Nurse", "072 555 0204", "JOHAN@karoohealth.co.za"),
    ("0", "Kloof Dental Studio", "Lindiwe", "Dlamini", "Dentist", "079 555 0205", "lindiwe@kloofdental.co.za"),
    ("", "", "Sipho", "Ndlovu", "-", "060 555 0206", "sipho.n@example.com"),
    ("0019", "Mpumalanga Eye Care", "-", "-", "Reception", "013 555 0207", ""),
]

# Another team's export: same organisations spelled their way, plus new ones.
SUPPLIER_ROWS = [
    ["Company", "Contact Person", "Phone", "E-mail", "Web", "Region", "Notes"],
    ["SUNRISE MEDICAL CENTRE", "Thandi Mokoena", "+27115550101", "info@sunrisemed.co.za", "https://sunrisemed.co.za", "Gauteng", "Met at expo"],
    ["Harbour View Clinic (Pty) Ltd", "Reception", "0215550102", "reception@harbourview.co.za", "harbourview.co.za", "Western Cape", ""],
    ["Polokwane Wellness", "", "015 555 0106", "", "pkwellness.co.za", "Limpopo", "=1+1"],
    ["Garden Route Pharmacy t/a GR Pharm", "Mia Jacobs", "044 555 0301", "mia@grpharm.co.za", "grpharm.co.za", "WC", ""],
    ["Highveld Occupational Health", "Kabelo Molefe", "011 555 0302", "kabelo@hvoh.co.za", "", "GP", "@follow up"],
    # Same name as a KwaZulu-Natal practice, in another province: a pair for the operator to judge.
    ["Kloof Dental Studio", "", "", "", "", "Western Cape", "Opened a second branch?"],
]


def ensure_sample_case(workspace: Path) -> Path:
    """Write `data/sample/` under `workspace` unless it exists; return the folder."""
    folder = workspace / "data" / SAMPLE_CASE_ID
    if folder.is_dir() and any(folder.iterdir()):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    _write_directory(folder / "clinic-directory.xlsx")
    _write_suppliers(folder / "supplier-contacts.csv")
    (folder / "~$clinic-directory.xlsx").write_bytes(b"\x00lock")
    return folder


def _write_directory(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    practices = book.active
    practices.title = "Practices"
    practices.append(["Regional practice directory"])
    practices.append(["Exported from the shared drive; do not edit"])
    practices.append([])
    practices.append(["Practice Name", "Reg No", "Province", "Tel.", "E-mail", "Website URL", "Physical Address", "Last Contact"])
    for row in PRACTICES:
        practices.append(list(row))
    contacts = book.create_sheet("Contacts")
    contacts.append(["Reg No", "Practice", "First Name", "Surname", "Role", "Cell", "Email"])
    for row in CONTACTS:
        contacts.append(list(row))
    lookups = book.create_sheet("Lookups")
    for province in ("Gauteng", "Western Cape", "KwaZulu-Natal"):
        lookups.append([province])
    book.create_sheet("Sheet3")
    book.save(path)


def _write_suppliers(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(SUPPLIER_ROWS)
