"""A case's overlay, `data/<case-id>/hotpass.yaml`: what the operator taught Hotpass about this case's workbooks.

It extends the chosen profile with only the changes (per source file pattern and sheet: the header row,
column -> field assignments, sheets used or skipped, primary keys, how people link). It is checked as
strictly as a profile: an unknown key, a field the profile does not have, or two columns given to one
single-valued field is a ProfileError (exit 6) naming the overlay and the key, never ignored. Removing the
file returns the case to the profile as it is.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, PositiveInt, ValidationError

from core.errors import ProfileError
from core.profiles import Profile, Strict, _profile_error, load_profile

OVERLAY_NAME = "hotpass.yaml"
MULTI_COLUMN_KINDS = {"phone", "email"}  # as core.ingest.mapping: these fields take every matching column


class OverlaySource(Strict):
    """One source the overlay changes, found by its file pattern (the profile's own, or a new one)."""

    pattern: str = Field(description="file-name glob, case-insensitive; the profile's source with this pattern is extended")
    label: str | None = None
    priority: int | None = Field(None, ge=0)
    header_rows: dict[str, PositiveInt] = Field(default_factory=dict)
    columns: dict[str, dict[str, str | None]] = Field(default_factory=dict)
    use_sheets: list[str] = Field(default_factory=list, description="sheets read although the profile skips them")
    skip_sheets: dict[str, str] = Field(default_factory=dict)
    primary_keys: dict[str, list[str]] = Field(default_factory=dict)
    organisation_sheet: str | None = None
    link_by: dict[str, Literal["id", "name"]] = Field(default_factory=dict)

    def matches(self, file_name: str) -> bool:
        return fnmatch.fnmatch(file_name.lower(), self.pattern.lower())


class CaseOverlay(Strict):
    extends: str | None = Field(None, description="the profile this overlay was made against")
    sources: list[OverlaySource] = Field(default_factory=list)

    def source(self, pattern: str) -> OverlaySource:
        """The entry for `pattern`, added if the overlay has none yet."""
        for entry in self.sources:
            if entry.pattern.lower() == pattern.lower():
                return entry
        entry = OverlaySource(pattern=pattern)
        self.sources.append(entry)
        return entry

    def to_yaml(self) -> str:
        data = self.model_dump(mode="json", exclude_defaults=True)
        data["sources"] = [s for s in data.get("sources", []) if set(s) - {"pattern"}]
        if not data["sources"]:
            data.pop("sources")
        return yaml.dump(data, Dumper=_OverlayDumper, sort_keys=False, allow_unicode=True)


class _OverlayDumper(yaml.SafeDumper):
    """A CSV's one sheet is named '' in an overlay: written `'': 1` like any other sheet, where PyYAML
    would write an explicit `? ''` key, which reads as a mistake to whoever edits the file."""

    def check_simple_key(self) -> bool:
        if isinstance(self.event, yaml.ScalarEvent) and self.event.value == "":
            return True
        return super().check_simple_key()


@dataclass(frozen=True)
class CaseProfile:
    profile: Profile
    overlay_path: Path | None  # None: the case has no overlay


def overlay_path(input_dir: Path) -> Path:
    return Path(input_dir) / OVERLAY_NAME


def read_overlay(path: Path) -> CaseOverlay:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=path,
                           row=mark.line + 1 if mark is not None else None, hint=_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read the case overlay: {exc}", file=path, hint=_HINT) from None
    if data is None:  # an empty file changes nothing
        return CaseOverlay()
    if not isinstance(data, dict):
        raise ProfileError("a case overlay must be a YAML mapping", file=path, hint=_HINT)
    try:
        return CaseOverlay.model_validate(data)
    except ValidationError as exc:
        error = _profile_error(path, exc)
        error.hint = _HINT
        raise error from None


_HINT = "fix the key or delete the file to return to the profile; `hotpass profiles lint` checks it"


def apply_overlay(profile: Profile, overlay: CaseOverlay, path: Path) -> Profile:
    """The profile extended by the overlay, checked: raises ProfileError naming the overlay and key."""
    if overlay.extends and overlay.extends != profile.name:
        raise ProfileError(f"made for profile {overlay.extends!r}, but the case is refined with {profile.name!r}",
                           file=path, key="extends", hint=f"choose --profile {overlay.extends}, or remove the line")
    for index, entry in enumerate(overlay.sources):
        _check_source(profile, entry, f"sources[{index}]", path)
    data = profile.model_dump(mode="python")
    sources = data["sources"]
    for entry in overlay.sources:
        target = next((s for s in sources if s["pattern"].lower() == entry.pattern.lower()), None)
        if target is None:
            # A file the profile knows by a broader pattern keeps that source's label, priority and settings.
            broader = profile.source_for(entry.pattern)
            target = broader.model_dump(mode="python") if broader else {
                "label": entry.pattern.split("*")[0].rsplit(".", 1)[0].strip("_- ") or entry.pattern,
                "priority": profile.default_source_priority}
            target["pattern"] = entry.pattern
            sources.insert(0, target)  # the first matching source wins: the case's own entry before broad ones
        _merge_source(target, entry)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise _profile_error(path, exc) from None


def load_case_profile(name: str, search_path: list[Path] | None, input_dir: Path | None) -> CaseProfile:
    profile = load_profile(name, search_path)
    path = overlay_path(input_dir) if input_dir is not None else None
    if path is None or not path.is_file():
        return CaseProfile(profile, None)
    return CaseProfile(apply_overlay(profile, read_overlay(path), path), path)


def lint_overlays(data_dir: Path, profile_name: str = "generic",
                  search_path: list[Path] | None = None) -> tuple[int, list[ProfileError]]:
    """Check every `data/*/hotpass.yaml` (against the profile it names, else `profile_name`), header rows included."""
    problems: list[ProfileError] = []
    paths = sorted(Path(data_dir).glob(f"*/{OVERLAY_NAME}")) if Path(data_dir).is_dir() else []
    for path in paths:
        try:
            overlay = read_overlay(path)
            profile = apply_overlay(load_profile(overlay.extends or profile_name, search_path), overlay, path)
            check_header_rows(profile, overlay, path)
        except ProfileError as exc:
            problems.append(exc)
    return len(paths), problems


def check_header_rows(profile: Profile, overlay: CaseOverlay, path: Path) -> None:
    """A header row past the end of its sheet, in the case's own files: ProfileError naming the key."""
    from core.ingest.discover import SUPPORTED_SUFFIXES
    from core.ingest.read import read_file

    wanted = [(i, e) for i, e in enumerate(overlay.sources) if e.header_rows]
    if not wanted:
        return
    for file in sorted(path.parent.iterdir()):
        if file.suffix.lower() not in SUPPORTED_SUFFIXES or file.name.startswith(("~$", ".")):
            continue
        spec = profile.source_for(file.name)
        for index, entry in wanted:
            if not entry.matches(file.name) or spec is None or spec.pattern != entry.pattern:
                continue
            sheets = {raw.name: raw for raw in read_file(file)}
            for sheet, row in entry.header_rows.items():
                raw = sheets.get(sheet)
                last = raw.row_numbers[-1] if raw and raw.row_numbers else 0
                if raw is not None and row > last:
                    raise header_row_error(path, f"sources[{index}].header_rows.{sheet}", file.name, sheet, row, last)


def header_row_error(path: Path | str, key: str, file_name: str, sheet: str, row: int, last: int) -> ProfileError:
    return ProfileError(f"header row {row} is past the end of sheet {sheet!r} of {file_name} ({last} rows)",
                        file=path, sheet=sheet or None, key=key, hint="choose a row within the sheet")


def _check_source(profile: Profile, entry: OverlaySource, where: str, path: Path) -> None:
    fields = profile.fields
    for sheet, assigned in entry.columns.items():
        taken: dict[str, str] = {}
        for header, name in assigned.items():
            key = f"{where}.columns.{sheet}.{header}"
            if name is None:
                continue
            if name not in fields:
                raise ProfileError(f"no field {name!r} in profile {profile.name!r}", file=path, sheet=sheet or None,
                                   key=key, hint=f"fields: {', '.join(fields)}")
            if name in taken and fields[name].kind not in MULTI_COLUMN_KINDS:
                raise ProfileError(f"columns {taken[name]!r} and {header!r} both assigned to {name!r}, "
                                   "which holds one value", file=path, sheet=sheet or None, key=key,
                                   hint="unassign one of them (null)")
            taken.setdefault(name, header)
    for sheet, keys in entry.primary_keys.items():
        for name in keys:
            if name not in fields:
                raise ProfileError(f"no field {name!r} in profile {profile.name!r}", file=path, sheet=sheet or None,
                                   key=f"{where}.primary_keys.{sheet}", hint=f"fields: {', '.join(fields)}")


def _merge_source(target: dict, entry: OverlaySource) -> None:
    if entry.label:
        target["label"] = entry.label
    if entry.priority is not None:
        target["priority"] = entry.priority
    for key in ("header_rows", "primary_keys", "link_by"):
        target[key] = {**target.get(key, {}), **getattr(entry, key)}
    columns = {sheet: dict(assigned) for sheet, assigned in target.get("columns", {}).items()}
    for sheet, assigned in entry.columns.items():
        columns[sheet] = {**columns.get(sheet, {}), **assigned}
    target["columns"] = columns
    skipped = {**target.get("skip_sheets", {}), **entry.skip_sheets}
    target["skip_sheets"] = {s: why for s, why in skipped.items() if s not in entry.use_sheets}
    if entry.organisation_sheet is not None:
        target["organisation_sheet"] = entry.organisation_sheet
