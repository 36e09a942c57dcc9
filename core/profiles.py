"""Profiles: how to read one sector's workbooks. YAML on a search path, validated by pydantic.

Every key is read by the code: pydantic forbids unknown keys, so a typo fails the lint instead of
being silently ignored.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator, model_validator

from core.errors import ProfileError
from core.profile_files import (  # noqa: F401 - the file lookup's names, as they were found here before
    BUNDLED_PROFILES,
    deep_merge,
    find_profile_file,
    profile_dirs,
    read_yaml as _read_yaml,
    resolve_extends,
)
from core.enrich.settings import EnrichmentSettings
from core.resolve.settings import ResolutionSettings
from core.validate.spec import ExpectationSettings, ProfileExpectations

FieldKind = Literal["text", "name", "phone", "email", "website", "province", "date", "id", "person"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldSpec(Strict):
    """A target field and the header spellings that reach it."""

    kind: FieldKind = "text"
    aliases: list[str] = Field(default_factory=list, description="exact header spellings, compared normalised")
    keywords: list[str] = Field(default_factory=list, description="a header containing one of these maps here")
    suffixes: list[str] = Field(default_factory=list, description="a header ending in one of these maps here")
    contact: bool = Field(False, description="describes a person rather than the organisation")


class SourceSpec(Strict):
    """A source the profile knows: which files, how trusted, which keys must be unique."""

    label: str
    pattern: str = Field(description="file-name glob, case-insensitive")
    priority: int = Field(1, ge=0, description="higher wins in survivorship")
    primary_keys: dict[str, list[str]] = Field(default_factory=dict, description="sheet name -> fields")
    skip_sheets: dict[str, str] = Field(default_factory=dict, description="sheet name -> why it is not read")
    organisation_sheet: str | None = Field(None, description="the sheet contacts link to")
    ignore_columns: dict[str, list[str]] = Field(
        default_factory=dict, description="sheet name -> headers that look mappable but mean something else"
    )
    header_rows: dict[str, PositiveInt] = Field(default_factory=dict, description="sheet name -> its header's Excel row")
    columns: dict[str, dict[str, str | None]] = Field(
        default_factory=dict, description="sheet name -> {header: field, or null to leave the column unmapped}"
    )
    link_by: dict[str, Literal["id", "name"]] = Field(
        default_factory=dict, description="people sheet name -> how its rows find their organisation"
    )

    def matches(self, file_name: str) -> bool:
        return fnmatch.fnmatch(file_name.lower(), self.pattern.lower())


class IngestSettings(Strict):
    header_scan_rows: int = Field(15, ge=1, description="rows searched for the header")
    min_header_fields: int = Field(2, ge=1, description="a header maps at least this many fields")
    placeholders: list[str] = Field(default_factory=list, description="cell values treated as empty")
    person_name_words: list[str] = Field(
        default_factory=list, description="a '...name' header with one of these words is a person's name"
    )


class LinkingSettings(Strict):
    """How rows of contact sheets find their organisation row within the workbook."""

    id_fields: list[str] = Field(default_factory=lambda: ["organization_id"])
    by_name: bool = True


class ProvinceSettings(Strict):
    canonical: list[str]
    aliases: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _aliases_name_canonical_provinces(self) -> ProvinceSettings:
        unknown = sorted({target for target in self.aliases.values() if target not in self.canonical})
        if unknown:
            raise ValueError(f"aliases point to provinces not in canonical: {', '.join(unknown)}")
        return self


class ContractSettings(Strict):
    owner: str
    description: str
    version: str = Field("1.0.0", description="the data contract's own version (ODCS `version`)")
    status: str = Field("active", description="ODCS status: proposed, draft, active, deprecated, retired")


class Profile(Strict):
    name: str
    description: str
    extends: str | None = None
    country: str = Field(min_length=2, max_length=2, description="ISO 3166 region for phone numbers")
    country_name: str
    privacy_basis: str
    fields: dict[str, FieldSpec]
    ingest: IngestSettings
    linking: LinkingSettings = Field(default_factory=LinkingSettings)
    provinces: ProvinceSettings
    sources: list[SourceSpec] = Field(default_factory=list)
    default_source_priority: int = Field(1, ge=0)
    default_primary_keys: list[str] = Field(
        default_factory=list, description="unique per organisation sheet of a source the profile does not know"
    )
    resolution: ResolutionSettings = Field(default_factory=ResolutionSettings)
    contract: ContractSettings
    enrichment: EnrichmentSettings = Field(default_factory=EnrichmentSettings)
    expectations: ProfileExpectations = Field(default_factory=ExpectationSettings)  # core/validate/spec.py

    @field_validator("fields")
    @classmethod
    def _needs_organisation_name(cls, fields: dict[str, FieldSpec]) -> dict[str, FieldSpec]:
        if "organization_name" not in fields:
            raise ValueError("a profile must define the organization_name field")
        return fields

    def source_for(self, file_name: str) -> SourceSpec | None:
        return next((s for s in self.sources if s.matches(file_name)), None)


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    path: Path
    description: str


def load_profile(name: str, search_path: list[Path] | None = None) -> Profile:
    path = find_profile_file(name, search_path)
    raw = resolve_extends(path, search_path)
    try:
        return Profile.model_validate(raw)
    except ValidationError as exc:
        raise _profile_error(path, exc) from None


def list_profiles(search_path: list[Path] | None = None) -> list[ProfileInfo]:
    found: dict[str, ProfileInfo] = {}
    for folder in profile_dirs(search_path):
        for path in sorted(Path(folder).glob("*.y*ml")):
            if path.stem not in found:  # earlier folders on the path win
                description = _read_yaml(path).get("description", "")
                found[path.stem] = ProfileInfo(path.stem, path, str(description))
    return list(found.values())


def lint_profiles(search_path: list[Path] | None = None) -> list[ProfileError]:
    """Load every profile on the path; return the failures instead of raising."""
    problems = []
    for info in list_profiles(search_path):
        try:
            load_profile(info.name, search_path)
        except ProfileError as exc:
            problems.append(exc)
    return problems


def _profile_error(path: Path, exc: ValidationError) -> ProfileError:
    first = exc.errors()[0]
    key = getattr(first.get("ctx", {}).get("error"), "key", None) or ".".join(str(p) for p in first["loc"])
    details = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return ProfileError(first["msg"], file=path, key=key, hint="fix the key and run `hotpass profiles lint`", details=details)
