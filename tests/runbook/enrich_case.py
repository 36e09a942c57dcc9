"""A small case written as a real workbook and refined by the real `hotpass refine`, for enrich's tests.

Each organisation exercises one thing: a site for each research behaviour, and rows whose empty
cells a deterministic strategy can fill (an own email domain, a free-mail one, a directory one, a
town in the address, a landline's area code).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import run_hotpass, write_xlsx
from tests.core.enrich_sites import host

HEADER = ["Organisation Name", "Website", "Email", "Phone", "Address", "Province"]
ROWS = [
    ["Good Flight School", f"https://{host('good')}", None, None, None, "Gauteng"],
    ["Links Aviation", f"https://{host('links')}", None, None, None, "Gauteng"],
    ["Robots Air", f"https://{host('robots')}", None, None, None, "Gauteng"],
    ["Slow Air", f"https://{host('slow')}", None, None, None, "Gauteng"],
    ["Error Air", f"https://{host('error')}", None, None, None, "Gauteng"],
    ["Huge Air", f"https://{host('huge')}", None, None, None, "Gauteng"],
    ["Loop Air", f"https://{host('loop')}", None, None, None, "Gauteng"],
    ["Karoo Vet Clinic", None, "admin@karoovets.co.za", "+27445550111", "12 Main Road, Oudtshoorn", None],
    ["Gmail Gardens", None, "gardens.owner@gmail.com", None, "4 Long Street, Cape Town", None],
    ["Directory Listed Plumbing", None, "listing@yellowpages.co.za", "+27315550123", None, None],
    ["Full House Trading", "https://fullhouse.co.za", "info@fullhouse.co.za", "+27115550100",
     "1 Jan Smuts Ave, Johannesburg", "Gauteng"],
]
CASE = "air"


def write_case(folder: Path) -> Path:
    write_xlsx(folder / "organisations.xlsx", {"Organisations": [HEADER, *ROWS]})
    return folder


def refined_workspace(root: Path) -> Path:
    """A workspace with data/air/ refined into dist/air/refined.xlsx by the real command."""
    write_case(root / "data" / CASE)
    result = run_hotpass("refine", "--case", CASE, cwd=root)
    assert result.returncode == 0, result.stderr
    assert (root / "dist" / CASE / "refined.xlsx").exists()
    return root


def copy_workspace(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns(".hotpass"))
    return target
