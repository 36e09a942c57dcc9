"""Which files in a case folder are spreadsheets Hotpass reads, and which it passes over."""

from __future__ import annotations

from pathlib import Path

from core.errors import InputNotFound

OVERLAY_NAME = "hotpass.yaml"

SUPPORTED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}


def discover(input_dir: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Return (spreadsheets in name order, [(file, why it was skipped)])."""
    if not input_dir.exists():
        raise InputNotFound("input folder does not exist", file=input_dir, hint="check --input-dir or the case id")
    if not input_dir.is_dir():
        raise InputNotFound("input path is not a folder", file=input_dir, hint="pass the folder that holds the workbooks")
    files, skipped = [], []
    for path in sorted(input_dir.iterdir(), key=lambda p: p.name.lower()):
        if path.name == OVERLAY_NAME:  # not passed over: it extends the profile (core.case_overlay)
            continue
        reason = _skip_reason(path)
        if reason:
            skipped.append((path.name, reason))
        else:
            files.append(path)
    if not files:
        raise InputNotFound(
            "no spreadsheets in the input folder",
            file=input_dir,
            hint="add .xlsx, .xlsm, .xls, .ods or .csv files",
            details=[f"{name}: {why}" for name, why in skipped],
        )
    return files, skipped


def _skip_reason(path: Path) -> str:
    if path.name.startswith("~$"):
        return "Office lock file"
    if path.name.startswith("."):
        return "hidden file"
    if path.is_dir():
        return "folder (sub-folders are not read)"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"not a supported spreadsheet ({path.suffix or 'no extension'})"
    return ""
