"""The emitted contract: ODCS v3.1.0 that validates, every Data column, rules from the profile, same bytes."""

from __future__ import annotations

import json

import pytest
import yaml

from core.contracts.columns import MEANINGS, data_columns
from core.contracts.emit import build_contract, contract_bytes, row_json_schema
from core.profiles import load_profile
from tests.conftest import SHARED

ODCS_SCHEMA = SHARED / "schemas" / "odcs-3.1.0.schema.json"
needs_odcs = pytest.mark.skipif(not ODCS_SCHEMA.is_file(),
                                reason=f"the ODCS v3.1.0 JSON Schema is not at {ODCS_SCHEMA} (../shared absent)")


def _odcs_errors(document: dict) -> list[str]:
    import jsonschema

    schema = json.loads(ODCS_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{e.json_path}: {e.message[:120]}" for e in validator.iter_errors(document)]


@needs_odcs
@pytest.mark.parametrize("profile", ["generic", "aviation"])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_emitted_contract_validates_against_the_odcs_schema(profile: str, fmt: str) -> None:
    document = yaml.safe_load(contract_bytes(load_profile(profile), fmt))
    assert _odcs_errors(document) == []
    assert document["apiVersion"] == "v3.1.0" and document["kind"] == "DataContract"


@needs_odcs
def test_the_odcs_schema_check_is_not_a_rubber_stamp() -> None:
    document = build_contract(load_profile("aviation"))
    document["schema"][0]["properties"][0]["logicalType"] = "text"
    assert any("logicalType" in e for e in _odcs_errors(document))


def test_same_profile_same_bytes() -> None:
    for fmt in ("yaml", "json", "jsonschema"):
        assert contract_bytes(load_profile("aviation"), fmt) == contract_bytes(load_profile("aviation"), fmt)
    assert contract_bytes(load_profile("aviation")) != contract_bytes(load_profile("generic"))


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("profile", ["generic", "aviation"])
def test_libyaml_and_pure_python_emitters_write_the_same_bytes(profile: str) -> None:
    """emit uses libyaml's emitter where PyYAML has it: a machine without it must not get another SHA-256."""
    document = build_contract(load_profile(profile))
    pure = yaml.dump(document, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=100)
    assert contract_bytes(load_profile(profile), "yaml") == pure.encode("utf-8")


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML was built without libyaml")
def test_profiles_read_by_libyaml_hold_what_the_pure_python_loader_reads() -> None:
    from core.profiles import BUNDLED_PROFILES, _read_yaml

    for path in sorted(BUNDLED_PROFILES.glob("*.yaml")):
        assert _read_yaml(path) == yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader), path.name


def test_every_data_column_is_in_the_contract_in_refines_order() -> None:
    from core.survivorship import DATA_COLUMNS

    columns = data_columns()
    assert [c for c in columns if c != "organization_id"] == DATA_COLUMNS  # read from survivorship's source
    assert columns[columns.index("organization_slug") + 1] == "organization_id"
    assert set(columns) <= set(MEANINGS), "a Data column without a description in core/contracts/columns.py"
    names = [p["name"] for p in build_contract(load_profile("generic"))["schema"][0]["properties"]]
    assert names == list(columns)


def test_fields_carry_types_keys_and_personal_data_classification() -> None:
    props = {p["name"]: p for p in build_contract(load_profile("aviation"))["schema"][0]["properties"]}
    slug = props["organization_slug"]
    assert slug["required"] and slug["unique"] and slug["primaryKey"]
    assert props["data_quality_score"]["logicalType"] == "number"
    assert props["last_interaction_date"]["logicalType"] == "date"
    assert props["contact_primary_email"]["classification"] == "personal"
    assert props["contact_primary_phone"]["classification"] == "personal"
    assert "classification" not in props["province"]


def test_quality_rules_come_from_the_profiles_refined_expectations_with_their_severity() -> None:
    profile = load_profile("generic")
    props = {p["name"]: p for p in build_contract(profile)["schema"][0]["properties"]}
    rules = [(name, r) for name, p in props.items() for r in p.get("quality", [])]
    assert len(rules) == len(profile.expectations.refined)
    for spec in profile.expectations.refined:
        matching = [r for name, r in rules if name == spec.column and r["name"] == spec.expect]
        assert matching and all(r["severity"] == spec.severity for r in matching)
    assert {r["severity"] for _, r in rules} <= {"blocking", "warning"}


def test_owner_description_and_privacy_basis_come_from_the_profile() -> None:
    profile = load_profile("aviation")
    contract = build_contract(profile)
    assert contract["team"]["name"] == profile.contract.owner
    assert contract["description"]["purpose"] == profile.contract.description
    assert {"property": "privacyBasis", "value": profile.privacy_basis} in contract["customProperties"]
    assert "T" not in contract["version"]  # no timestamp anywhere that would change the bytes


def test_json_schema_of_a_row_is_draft_2020_12_and_holds_a_row() -> None:
    import jsonschema

    schema = row_json_schema(load_profile("generic"))
    jsonschema.Draft202012Validator.check_schema(schema)
    row = {c: None for c in data_columns()}
    row.update(organization_name="A", organization_slug="a", organization_id="org-1", country="South Africa",
               source_datasets="d", source_record_ids="a#b!2", data_quality_score=0.4, selection_provenance="{}",
               privacy_basis="legitimate_interest")
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(row)) == []
    row["organization_slug"] = None
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(row))
