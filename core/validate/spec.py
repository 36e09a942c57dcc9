"""The `expectations:` section of a profile: which Great Expectations checks refine runs, and which
of them stop the run.

Plain pydantic, no Great Expectations and no pandas: a profile is loaded (and linted) without
paying for either. Two lists:

* `sheets`: run on every used source sheet that maps the expectation's field (a sheet that has no
  email column is not failed for its emails). The column is a profile field.
* `refined`: run on the refined Data sheet. The column is a Data column.

`primary_keys_not_null` adds, per source sheet, a not-null check on the keys the profile's
`sources[].primary_keys` name for it, with that severity (or none when it is `off`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Severity = Literal["blocking", "warning"]

# The Great Expectations types a profile may name, with the parameters each takes (beyond `column`).
SUPPORTED_TYPES: dict[str, tuple[str, ...]] = {
    "expect_column_to_exist": (),
    "expect_column_values_to_not_be_null": ("mostly",),
    "expect_column_values_to_be_unique": ("mostly",),
    "expect_column_values_to_be_between": ("min_value", "max_value", "mostly"),
    "expect_column_values_to_match_regex": ("regex", "mostly"),
    "expect_column_values_to_be_in_set": ("value_set", "mostly"),
}
# `value_set: provinces` stands for the profile's canonical provinces, so the list lives in one place.
PROVINCES = "provinces"


class UnknownName(ValueError):
    """A profile expectation names a field or column that does not exist; `key` is where it is said."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class ExpectationSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expect: str = Field(description="a Great Expectations expectation type, e.g. expect_column_values_to_be_unique")
    column: str = Field(description="a profile field (sheets) or a Data column (refined)")
    severity: Severity = "warning"
    mostly: float | None = Field(None, gt=0, le=1, description="share of non-empty values that must pass")
    regex: str | None = None
    value_set: list[str] | str | None = None
    min_value: float | None = None
    max_value: float | None = None
    why: str = Field("", description="what a failure means, in the report")

    @field_validator("expect")
    @classmethod
    def _known_type(cls, expect: str) -> str:
        if expect not in SUPPORTED_TYPES:
            raise ValueError(f"unknown expectation type {expect!r} (known: {', '.join(SUPPORTED_TYPES)})")
        return expect

    @model_validator(mode="after")
    def _parameters_fit_the_type(self) -> ExpectationSpec:
        allowed = set(SUPPORTED_TYPES[self.expect])
        given = {name for name in ("mostly", "regex", "value_set", "min_value", "max_value")
                 if getattr(self, name) is not None}
        if given - allowed:
            raise ValueError(f"{self.expect} takes no {', '.join(sorted(given - allowed))}")
        if self.expect == "expect_column_values_to_match_regex" and not self.regex:
            raise ValueError("expect_column_values_to_match_regex needs a regex")
        if self.expect == "expect_column_values_to_be_in_set":
            if self.value_set is None:
                raise ValueError("expect_column_values_to_be_in_set needs a value_set")
            if isinstance(self.value_set, str) and self.value_set != PROVINCES:
                raise ValueError(f"value_set is a list or {PROVINCES!r}")
        if self.regex is not None:
            import re

            try:
                re.compile(self.regex)
            except re.error as exc:
                raise ValueError(f"regex does not compile: {exc}") from None
        return self

    @property
    def blocking(self) -> bool:
        return self.severity == "blocking"

    def kwargs(self, provinces: list[str]) -> dict[str, Any]:
        """The expectation's GX kwargs for one column (the profile's provinces filled in)."""
        out: dict[str, Any] = {"column": self.column}
        for name in SUPPORTED_TYPES[self.expect]:
            value = getattr(self, name)
            if name == "value_set" and value == PROVINCES:
                value = list(provinces)
            if value is not None:
                out[name] = value
        return out


class ExpectationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sheets: list[ExpectationSpec] = Field(default_factory=list)
    refined: list[ExpectationSpec] = Field(default_factory=list)
    primary_keys_not_null: Severity | Literal["off"] = "warning"


def check_names(settings: ExpectationSettings, info: ValidationInfo) -> ExpectationSettings:
    """A profile-level check: sheet expectations name profile fields, refined ones Data columns.

    Runs as an after-validator of `Profile.expectations`, which is declared after `fields`, so the
    profile's fields are in `info.data` (absent when they failed to validate themselves).
    """
    fields = info.data.get("fields")
    if fields is not None:
        for index, spec in enumerate(settings.sheets):
            if spec.column not in fields:
                raise UnknownName(f"expectations.sheets.{index}.column",
                                  f"expectation {spec.expect} names {spec.column!r}, which is not a field of this profile")
    if settings.refined:
        from core.contracts.columns import data_columns  # survivorship's list, without importing pandas

        DATA_COLUMNS = data_columns()

        for index, spec in enumerate(settings.refined):
            if spec.column not in DATA_COLUMNS:
                raise UnknownName(f"expectations.refined.{index}.column",
                                  f"expectation {spec.expect} names {spec.column!r}, which is not a column of "
                                  "the refined Data sheet")
    return settings


# The type of `Profile.expectations`: the settings, checked against the profile's own fields.
ProfileExpectations = Annotated[ExpectationSettings, AfterValidator(check_names)]
