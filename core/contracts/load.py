"""Read a contract back (YAML or JSON) and refuse one that is not an ODCS data contract.

The standard's own JSON Schema is not shipped with Hotpass, so the structure Hotpass relies on
(the header keys, the schema objects and their properties, the quality rules) is checked with a
small schema of its own, held to the same shapes as ODCS v3.1.0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import InputNotFound, UnreadableInput

_LOGICAL = ["string", "date", "timestamp", "time", "number", "integer", "object", "array", "boolean"]
_RULE = {"type": "object", "properties": {
    "id": {"type": "string"}, "name": {"type": "string"}, "type": {"enum": ["text", "library", "sql", "custom"]},
    "metric": {"enum": ["nullValues", "missingValues", "invalidValues", "duplicateValues", "rowCount"]},
    "severity": {"type": "string"}, "unit": {"type": "string"}, "arguments": {"type": "object"},
    "mustBe": {}, "mustBeLessOrEqualTo": {"type": "number"}, "mustBeLessThan": {"type": "number"},
    "mustBeGreaterOrEqualTo": {"type": "number"}, "mustBeGreaterThan": {"type": "number"}}}
_PROPERTY = {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string", "minLength": 1}, "logicalType": {"enum": _LOGICAL},
    "physicalType": {"type": "string"}, "required": {"type": "boolean"}, "unique": {"type": "boolean"},
    "primaryKey": {"type": "boolean"}, "classification": {"type": "string"}, "description": {"type": "string"},
    "quality": {"type": "array", "items": _RULE}}}
ODCS_SUBSET: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["apiVersion", "kind", "id", "version", "status"],
    "properties": {
        "apiVersion": {"enum": ["v3.1.0", "v3.0.2", "v3.0.1", "v3.0.0"]},
        "kind": {"const": "DataContract"},
        "id": {"type": "string", "minLength": 1},
        "version": {"type": "string"},
        "status": {"type": "string"},
        "schema": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "properties": {"type": "array", "items": _PROPERTY},
            "quality": {"type": "array", "items": _RULE}}}},
    },
}


def parse_contract(path: Path) -> dict[str, Any]:
    """The contract at `path` as a dict; UnreadableInput (exit 4) naming the file and where it is wrong."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise InputNotFound("the contract does not exist", file=str(path),
                            hint="emit one: hotpass contracts emit --profile NAME")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))  # JSON is YAML too
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UnreadableInput(f"not a YAML or JSON contract: {str(exc).splitlines()[0]}", file=str(path),
                              hint="a contract written by hotpass contracts emit, or any ODCS v3 document") from None
    if not isinstance(document, dict):
        raise UnreadableInput("not a data contract: the file holds no mapping of keys", file=str(path),
                              hint="an ODCS v3 document starts with apiVersion, kind, id, version, status")
    problem = first_problem(document)
    if problem is not None:
        where, message = problem
        raise UnreadableInput(f"not an ODCS data contract: at {where}: {message}", file=str(path), key=where,
                              hint="ODCS v3.1.0: apiVersion, kind: DataContract, id, version, status, schema[]")
    return document


def first_problem(document: Any) -> tuple[str, str] | None:
    """(JSON path, message) of the first schema error, or None when the document fits."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(ODCS_SUBSET).iter_errors(document),
                    key=lambda e: (len(e.absolute_path), [str(p) for p in e.absolute_path]))
    if not errors:
        return None
    error = errors[0]
    return error.json_path, error.message[:200]


def data_object(contract: dict[str, Any]) -> dict[str, Any]:
    """The schema object that describes the Data sheet (named Data, else the first one)."""
    objects = contract.get("schema") or []
    for obj in objects:
        if obj.get("name") == "Data":
            return obj
    return objects[0] if objects else {"name": "Data", "properties": []}


def contract_properties(contract: dict[str, Any]) -> list[dict[str, Any]]:
    return list(data_object(contract).get("properties") or [])
