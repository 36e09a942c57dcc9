"""Build the held-out case: five files of veterinary practices and agricultural co-operatives, and its truth.

`build_case(folder, organisations, seed)` writes the workbooks to `folder/<CASE_ID>/` (the folder to
refine) and, beside it, `folder/truth.csv` (file, sheet, Excel row or CSV line -> true organisation)
and `folder/directory-hosts.txt` (the listing sites organisations share). Small cases are written
with openpyxl, large ones with xlsxwriter in constant-memory mode, the members export as a CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from tests.holdout import lexicon as L
from tests.holdout.layouts import (BEARERS, BOOKS, CONTACTS, ELIGIBLE, F2, LOOKUPS, MEMBERS, NOTES, ORG_SHEETS,
                                   PRACTICES, REGISTER, STAFF, SUMMARY, TRACKER, SheetSpec)
from tests.holdout.names import type_name
from tests.holdout.rows import OrgRow, person_row
from tests.holdout.typed import pick
from tests.holdout.world import Org, make_world

CASE_ID = "clerk-vets-coops"
TRUTH_NAME = "truth.csv"
HOSTS_NAME = "directory-hosts.txt"
TRUTH_COLUMNS = ["file", "sheet", "row", "org_id", "role", "variants", "negative"]
EXCEL_MAX_ROWS = 1_048_576
XLSXWRITER_FROM_ROWS = 5_000  # openpyxl writes ~4k rows/s here, xlsxwriter ~40k
ROWS_PER_ORG = 3.35  # input rows per organisation (measured: 111,658 rows for 33,333); sizes a case by rows


def input_dir(folder: Path) -> Path:
    return folder / CASE_ID


def organisations_for_rows(rows: int) -> int:
    return max(10, round(rows / ROWS_PER_ORG))


def build_case(folder: Path, organisations: int, seed: int, *, headers: str = "known") -> Path:
    if headers not in ("known", "unknown"):
        raise ValueError(f"headers must be 'known' or 'unknown', not {headers!r}")
    rng = random.Random(seed)
    orgs = make_world(organisations, rng)
    builder = _Builder(orgs, rng, headers, folder)
    builder.write()
    hosts = {url.split("//")[-1].lower().removeprefix("www.").split("/")[0] for o in orgs if (url := o.directory_url)}
    (folder / HOSTS_NAME).write_text("".join(f"{h}\n" for h in sorted(hosts)), encoding="utf-8")
    return folder / TRUTH_NAME


class _Builder:
    def __init__(self, orgs: list[Org], rng: random.Random, headers: str, folder: Path) -> None:
        self.orgs, self.rng, self.headers = orgs, rng, headers
        self.out = input_dir(folder)
        self.out.mkdir(parents=True, exist_ok=True)
        self.truth_path = folder / TRUTH_NAME
        self.plan = self._plan()
        self.practice_no: dict[int, int] = {}
        self.reg_no: dict[int, str] = {}
        self.tracker_name: dict[int, str] = {}

    # ---- which organisation is listed where ----------------------------------------------------
    def _plan(self) -> dict[str, list[int]]:
        rng = self.rng
        sheets: dict[str, list[int]] = {s.key: [] for s in ORG_SHEETS}
        for index, org in enumerate(self.orgs):
            options = ELIGIBLE[org.family + ("_branch" if org.chain else "")]
            chosen: list[str] = []
            for _ in range(pick(rng, [(1, 35), (2, 30), (3, 20), (4, 10), (5, 5)])):
                key = pick(rng, options)
                if key in chosen and rng.random() > 0.15:  # the same list twice happens, but less often
                    rest = [(o, w) for o, w in options if o not in chosen]
                    key = pick(rng, rest) if rest else key
                chosen.append(key)
            for key in chosen:
                if key == "sandra":
                    key = {"KwaZulu-Natal": "sandra_kzn", "Eastern Cape": "sandra_ec"}.get(org.province, "sandra_other")
                sheets[key].append(index)
        for listed in sheets.values():
            rng.shuffle(listed)
        return sheets

    def _rows_planned(self, file: str) -> int:
        return sum(len(self.plan.get(s.key, [])) * (2 if s.file != F2 else 1) for s in BOOKS[file])

    # ---- writing -----------------------------------------------------------------------------
    def write(self) -> None:
        with self.truth_path.open("w", newline="", encoding="utf-8") as handle:
            self.truth = csv.writer(handle)
            self.truth.writerow(TRUTH_COLUMNS)
            for file, specs in BOOKS.items():
                if file == F2:
                    self._write_csv(MEMBERS)
                    continue
                book = _Book(self.out / file, big=self._rows_planned(file) >= XLSXWRITER_FROM_ROWS)
                for spec in specs:
                    sheet = book.sheet(spec.sheet)
                    for title in spec.titles:
                        sheet.append(list(title))
                    sheet.append(spec.headers(self.headers))
                    for org_index, values, variants in self._rows(spec):
                        if values is None:
                            sheet.append([])
                            continue
                        row = sheet.append([values.get(c.key) for c in spec.columns])
                        if org_index < 0:
                            continue  # lookup lists and notes: no organisation behind them
                        org = self.orgs[org_index]
                        self.truth.writerow([file, spec.sheet, row, org.org_id, spec.role, ";".join(variants),
                                             org.negative])
                book.close()

    def _write_csv(self, spec: SheetSpec) -> None:
        path = self.out / spec.file
        with path.open("w", newline="", encoding="cp1252", errors="replace") as handle:
            writer = csv.writer(handle)
            writer.writerow(spec.headers(self.headers))
            line = 1
            for org_index, values, variants in self._rows(spec):
                line += 1
                if values is None:
                    writer.writerow([""] * len(spec.columns))  # what Excel leaves after a deleted row
                    continue
                writer.writerow([_csv_text(values.get(c.key)) for c in spec.columns])
                org = self.orgs[org_index]
                self.truth.writerow([spec.file, "", line, org.org_id, spec.role, ";".join(variants), org.negative])

    # ---- rows of each sheet ----------------------------------------------------------------------
    def _rows(self, spec: SheetSpec):
        """(organisation index, values by column key, variant classes); values None for a blank row."""
        rng = self.rng
        if spec.role == "other":
            yield from self._other_rows(spec)
            return
        if spec.role == "people":
            yield from self._people_rows(spec)
            return
        rows = []
        for org_index in self.plan[spec.key]:
            ident = self._ident(spec, org_index)
            built = OrgRow(self.orgs[org_index], spec, rng, ident)
            if spec is TRACKER:
                self.tracker_name.setdefault(org_index, built.name)
            rows.append((org_index, built.values, built.variants))
        if spec.file.startswith("Vets KZN"):  # Sandra keeps her lists sorted by name
            rows.sort(key=lambda r: str(r[1]["name"]).strip().casefold())
        elif spec is REGISTER:
            rows.sort(key=lambda r: (r[1]["reg_no"] is None or r[1]["reg_no"] in L.PLACEHOLDERS, str(r[1]["reg_no"])))
        for row in rows:
            if rng.random() < 0.008:
                yield -1, None, []
            yield row

    def _ident(self, spec: SheetSpec, org_index: int) -> object:
        rng = self.rng
        if spec is PRACTICES:
            if org_index not in self.practice_no:
                self.practice_no[org_index] = 1000 + len(self.practice_no) * 3 + rng.randint(0, 2)
                return self.practice_no[org_index]
            return self.practice_no[org_index] if rng.random() < 0.2 else None  # a row entered twice keeps its number
        if spec is REGISTER:
            reg = self.orgs[org_index].reg_no
            if reg is None:
                return None
            if org_index not in self.reg_no:
                self.reg_no[org_index] = reg
                return reg
            return reg if rng.random() < 0.2 else None
        if spec is MEMBERS:
            return f"M{rng.randint(0, 9_999_999):07d}"
        return None

    def _people_rows(self, spec: SheetSpec):
        rng = self.rng
        rows = []
        if spec is STAFF:
            for org_index, number in sorted(self.practice_no.items(), key=lambda item: item[1]):
                for person in self.orgs[org_index].people:
                    if rng.random() < 0.8:
                        ref = pick(rng, [(number, 60), (str(number), 35), (f"P{number}", 0.5)])
                        rows.append((org_index, person_row(person, spec, rng, ref, None), []))
        elif spec is BEARERS:
            for org_index, reg in self.reg_no.items():
                for person in self.orgs[org_index].people:
                    if rng.random() < 0.7:
                        ref = reg.replace("/", " ") if rng.random() < 0.1 else reg
                        rows.append((org_index, person_row(person, spec, rng, ref, None), []))
            rng.shuffle(rows)
        elif spec is CONTACTS:
            for org_index, org in enumerate(self.orgs):
                if org.negative == "twin" or not org.people:
                    continue  # a twin's bare name would be a coin toss
                listed = org_index in self.tracker_name
                for person in org.people if listed else org.people[:1]:
                    if rng.random() >= (0.6 if listed else 0.08):
                        continue
                    if listed and rng.random() < 0.65:
                        name, variants = self.tracker_name[org_index], ["as_tracker"]
                    else:
                        name, variants = type_name(org, rng, heavy_ok=False, caps_rate=0.03)
                    rows.append((org_index, person_row(person, spec, rng, None, name), variants))
            rng.shuffle(rows)
        yield from rows

    def _other_rows(self, spec: SheetSpec):
        if spec is LOOKUPS:
            for code, name in [("EC", "Eastern Cape"), ("FS", "Free State"), ("GP", "Gauteng"), ("KZN", "KwaZulu-Natal"),
                               ("LP", "Limpopo"), ("MP", "Mpumalanga"), ("NW", "North West"), ("NC", "Northern Cape"),
                               ("WC", "Western Cape")]:
                yield -1, {"code": code, "province_name": name}, []
        elif spec is SUMMARY:
            for status in [s for s in L.STATUSES if s]:
                yield -1, {"status_name": status, "count": self.rng.randint(0, 400)}, []
        elif spec is NOTES:
            for text in ["Names as registered; trading names may differ.", "Deregistered co-ops kept for history.",
                         "Phone numbers not verified."]:
                yield -1, {"text": text}, []


class _Book:
    """A workbook written row by row; `append` returns the row number Excel shows."""

    def __init__(self, path: Path, big: bool) -> None:
        self.path, self.big = path, big
        if big:
            import xlsxwriter

            self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                                        "strings_to_formulas": False, "strings_to_urls": False})
            self.date_format = self.book.add_format({"num_format": "yyyy-mm-dd"})
        else:
            from openpyxl import Workbook

            self.book = Workbook()
            self.book.remove(self.book.active)

    def sheet(self, title: str) -> "_Sheet":
        return _Sheet(self, self.book.add_worksheet(title) if self.big else self.book.create_sheet(title))

    def close(self) -> None:
        if self.big:
            self.book.close()
        else:
            self.book.save(self.path)


class _Sheet:
    def __init__(self, book: _Book, sheet) -> None:
        self.book, self.sheet, self.rows = book, sheet, 0

    def append(self, values: list) -> int:
        if self.rows >= EXCEL_MAX_ROWS:
            raise ValueError(f"{self.book.path.name}: a sheet holds at most {EXCEL_MAX_ROWS:,} rows; split the case")
        if self.book.big:
            for column, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    self.sheet.write_string(self.rows, column, value)
                elif isinstance(value, (dt.date, dt.datetime)):
                    self.sheet.write_datetime(self.rows, column, value, self.book.date_format)
                else:
                    self.sheet.write_number(self.rows, column, value)
        else:
            self.sheet.append(values)
        self.rows += 1
        return self.rows


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\n", " / ")
