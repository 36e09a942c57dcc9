"""Build the data contract of a profile's refined dataset, and write it as bytes.

Nothing in it depends on the clock or the machine: the same profile gives the same bytes, so the
contract's SHA-256 identifies it in an approval and in the hand-off.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.contracts.columns import PERSONAL, data_columns, meaning

if TYPE_CHECKING:
    from core.case import Case
    from core.profiles import Profile
    from core.validate.spec import ExpectationSpec

API_VERSION = "v3.1.0"
FORMATS = ("yaml", "json", "jsonschema")
SUFFIX = {"yaml": ".yaml", "json": ".json", "jsonschema": ".schema.json"}
DATA_OBJECT = "Data"
SEVERITY = {True: "blocking", False: "warning"}  # the profile's words, kept as they are


def contract_path(case: "Case", profile_name: str, fmt: str = "yaml") -> Path:
    """Where `contracts emit` writes by default: dist/<case>/contracts/<profile>.yaml."""
    return case.output_dir / "contracts" / f"{profile_name}{SUFFIX[fmt]}"


def contract_id(profile_name: str) -> str:
    return f"hotpass-{profile_name}-refined"


def _percent(mostly: float | None) -> float:
    return round((1 - (mostly if mostly is not None else 1.0)) * 100, 6)


def _threshold(spec: "ExpectationSpec") -> dict[str, Any]:
    if spec.mostly is None:
        return {"unit": "rows", "mustBe": 0}
    return {"unit": "percent", "mustBeLessOrEqualTo": _percent(spec.mostly)}


def _range_query(spec: "ExpectationSpec") -> dict[str, Any]:
    """Values outside [min_value, max_value]: counted (none allowed), or as a percentage of the filled cells."""
    outside = " OR ".join(f"{{property}} {op} {json.dumps(value)}" for op, value in
                          (("<", spec.min_value), (">", spec.max_value)) if value is not None)
    if spec.mostly is None:
        return {"query": f"SELECT COUNT(*) FROM {{object}} WHERE {outside}", "unit": "rows", "mustBe": 0}
    return {"query": f"SELECT 100.0 * COUNT(CASE WHEN {outside} THEN 1 END) / NULLIF(COUNT({{property}}), 0) "
                     "FROM {object}", "unit": "percent", "mustBeLessOrEqualTo": _percent(spec.mostly)}


def quality_rule(spec: "ExpectationSpec", provinces: list[str], rule_id: str) -> dict[str, Any]:
    """One refined expectation as an ODCS quality rule; the GX expectation rides along, so the rule
    can be traced to the profile line it came from."""
    rule: dict[str, Any] = {"id": rule_id, "name": spec.expect, "description": spec.why or spec.expect}
    kind = spec.expect
    if kind == "expect_column_values_to_not_be_null":
        rule.update(type="library", metric="nullValues", dimension="completeness", **_threshold(spec))
    elif kind == "expect_column_values_to_be_unique":
        rule.update(type="library", metric="duplicateValues", dimension="uniqueness", **_threshold(spec))
    elif kind == "expect_column_values_to_match_regex":
        rule.update(type="library", metric="invalidValues", dimension="conformity",
                    arguments={"pattern": spec.regex}, **_threshold(spec))
    elif kind == "expect_column_values_to_be_in_set":
        values = list(provinces) if spec.value_set == "provinces" else list(spec.value_set or [])
        rule.update(type="library", metric="invalidValues", dimension="conformity",
                    arguments={"validValues": values}, **_threshold(spec))
    elif kind == "expect_column_values_to_be_between":
        # ODCS's library has no range metric (invalidValues takes validValues or a pattern, and other tools
        # cannot run anything else), so a range is the standard's SQL rule over {object} and {property}
        rule.update(type="sql", dimension="accuracy", **_range_query(spec))
    else:  # expect_column_to_exist: the schema says it already; kept as words
        rule.update(type="text")
    rule["severity"] = SEVERITY[spec.blocking]
    rule["customProperties"] = [{"property": "greatExpectations",
                                 "value": {"type": kind, "kwargs": spec.kwargs(provinces)}}]
    return rule


def _rules_by_column(profile: "Profile") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, int] = {}
    for spec in profile.expectations.refined:
        base = f"{spec.column}-{spec.expect.removeprefix('expect_column_').removeprefix('values_to_')}".replace("_", "-")
        seen[base] = seen.get(base, 0) + 1
        rule_id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.setdefault(spec.column, []).append(quality_rule(spec, profile.provinces.canonical, rule_id))
    return out


def _strict(profile: "Profile", expect: str) -> set[str]:
    """Columns a blocking expectation holds to every row (no `mostly`): required or unique for sure."""
    return {s.column for s in profile.expectations.refined if s.expect == expect and s.blocking and s.mostly is None}


def build_contract(profile: "Profile") -> dict[str, Any]:
    required = _strict(profile, "expect_column_values_to_not_be_null")
    unique = _strict(profile, "expect_column_values_to_be_unique")
    rules = _rules_by_column(profile)
    properties = []
    for column in data_columns():
        info = meaning(column)
        prop: dict[str, Any] = {"id": column, "name": column, "physicalName": column,
                                "logicalType": info.logical, "physicalType": info.physical,
                                "description": info.description,
                                "required": info.required or column in required,
                                "unique": info.unique or column in unique}
        if column == "organization_slug":
            prop.update(primaryKey=True, primaryKeyPosition=1)
        if info.logical == "number" and column == "data_quality_score":
            prop["logicalTypeOptions"] = {"minimum": 0, "maximum": 1}
        if info.logical == "date":
            prop["logicalTypeOptions"] = {"format": "yyyy-MM-dd"}
        if info.personal:
            prop["classification"] = PERSONAL
        if column in rules:
            prop["quality"] = rules[column]
        properties.append(prop)
    contract = profile.contract
    return {
        "apiVersion": API_VERSION,
        "kind": "DataContract",
        "id": contract_id(profile.name),
        "name": f"{profile.name} refined organisations",
        "version": contract.version,
        "status": contract.status,
        "domain": profile.name,
        "dataProduct": f"hotpass-{profile.name}",
        "description": {
            "purpose": contract.description,
            "usage": "One row per organisation: the Data sheet of dist/<case>/refined.xlsx (and of enriched.xlsx, "
                     "which adds provenance_* columns).",
            "limitations": f"Columns classified '{PERSONAL}' hold personal data; processing basis: "
                           f"{profile.privacy_basis}. Never copy them into logs or reports meant for others.",
        },
        "team": {"name": contract.owner, "description": f"Data owner of the {profile.name} dataset",
                 "members": [{"username": contract.owner, "role": "owner"}]},
        "schema": [{"id": "data", "name": DATA_OBJECT, "physicalName": "refined.xlsx#Data", "physicalType": "table",
                    "logicalType": "object", "businessName": "Organisations",
                    "description": "The refined Data sheet: one row per organisation.", "properties": properties}],
        "customProperties": [
            {"property": "privacyBasis", "value": profile.privacy_basis},
            {"property": "country", "value": profile.country_name},
            {"property": "profile", "value": profile.name},
        ],
    }


def row_json_schema(profile: "Profile") -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of one refined row: the same columns, types and required cells."""
    contract = build_contract(profile)
    props: dict[str, Any] = {}
    required = []
    for prop in contract["schema"][0]["properties"]:
        kind = {"number": "number", "integer": "integer", "boolean": "boolean"}.get(prop["logicalType"], "string")
        entry: dict[str, Any] = {"description": prop["description"]}
        if prop["logicalType"] == "date":
            entry["format"] = "date"
        if prop["name"] == "data_quality_score":
            entry.update(minimum=0, maximum=1)
        if prop["required"]:
            entry["type"] = kind
            if kind == "string":
                entry["minLength"] = 1
            required.append(prop["name"])
        else:
            entry["type"] = [kind, "null"]
        props[prop["name"]] = entry
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"urn:hotpass:{contract['id']}:{contract['version']}:row",
            "title": f"One row of {contract['name']}", "type": "object", "properties": props,
            "required": required, "additionalProperties": True}


def render(document: dict[str, Any], fmt: str) -> bytes:
    if fmt == "yaml":
        import yaml

        # libyaml's emitter writes these bytes 3-4x faster than the pure-Python one and the same bytes
        # (tests/core/test_contracts_emit.py holds the two to each other), so the SHA-256 does not
        # depend on which one a machine has.
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def contract_bytes(profile: "Profile", fmt: str = "yaml") -> bytes:
    document = row_json_schema(profile) if fmt == "jsonschema" else build_contract(profile)
    return render(document, fmt)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
