"""Teaching Hotpass one sheet (the Prepare pane's teach screen): how the sheet reads under an overlay not yet saved.

The screen edits a CaseOverlay in memory; after every change `sheet_view` reads the sheet again through the
profile extended by it, exactly as ingest will, so what the operator sees is what refine will do. A change
the overlay checks refuse (two columns to one single-valued field, a header row past the end) comes back
as `error`, the last good reading kept beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.case_overlay import CaseOverlay, apply_overlay, overlay_path, read_overlay
from core.errors import HotpassError
from core.profiles import load_profile
from core.results import SheetReport

FIRST_VALUES = 3


@dataclass(frozen=True)
class ColumnView:
    index: int
    header: str
    field: str | None
    first_values: list[str]


@dataclass
class SheetView:
    file: str
    sheet: str
    header_row: int | None  # Excel row (CSV line) the header is read from
    last_row: int
    report: SheetReport | None
    columns: list[ColumnView] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the profile's fields, to assign from
    error: str = ""  # why the overlay as edited is refused ("" when it is accepted)


def pattern_for(file_name: str) -> str:
    from core.profiles_suggest import _pattern

    return _pattern(file_name)


def current_overlay(input_dir: Path, profile: str) -> CaseOverlay:
    """The case's overlay as saved, or an empty one for the profile."""
    path = overlay_path(input_dir)
    return read_overlay(path) if path.is_file() else CaseOverlay(extends=profile)


def sheet_view(input_dir: Path, profile_name: str, overlay: CaseOverlay, file: str, sheet: str) -> SheetView:
    from core.ingest.mapping import ColumnMapper
    from core.ingest.read import read_file
    from core.ingest.sheets import build_sheet, source_info

    base = load_profile(profile_name)
    raw = next((s for s in read_file(Path(input_dir) / file) if s.name == sheet), None)
    if raw is None:
        return SheetView(file, sheet, None, 0, None, error=f"{file} has no sheet {sheet!r}")
    view = SheetView(file, sheet, None, raw.row_numbers[-1] if raw.row_numbers else 0, None, fields=list(base.fields))
    try:
        profile = apply_overlay(base, overlay, overlay_path(input_dir))
        report, _ = build_sheet(file, raw, profile, ColumnMapper(profile), source_info(profile, file))
    except HotpassError as exc:
        view.error = exc.message  # the overlay's path is the case's own: the reason is what the operator needs
        profile = base
        report, _ = build_sheet(file, raw, profile, ColumnMapper(profile), source_info(profile, file))
    view.report = report
    spec = profile.source_for(file)
    view.header_row = report.header_row or (spec.header_rows.get(sheet) if spec else None) or (
        raw.row_numbers[0] if raw.row_numbers else None)
    if view.header_row is None:
        return view
    index = raw.row_numbers.index(view.header_row)
    mapped = {h: f for h, f in (report.mapping or {}).items()}
    below = raw.rows[index + 1:]
    for column, cell in enumerate(raw.rows[index]):
        if cell is None or not str(cell).strip():
            continue
        header = str(cell).strip()
        firsts = [str(r[column]) for r in below if column < len(r) and r[column] is not None][:FIRST_VALUES]
        view.columns.append(ColumnView(column, header, mapped.get(header), firsts))
    return view


def save_overlay(input_dir: Path, profile_name: str, overlay: CaseOverlay) -> Path:
    """Write the overlay (only what was changed) after the checks refine applies; raises ProfileError."""
    path = overlay_path(input_dir)
    apply_overlay(load_profile(profile_name), overlay, path)
    overlay.extends = overlay.extends or profile_name
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(overlay.to_yaml(), encoding="utf-8")
    temp.replace(path)
    return path
