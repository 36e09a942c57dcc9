"""Profiles load from the search path, extend each other, and fail with file, key and reason."""

from pathlib import Path

import pytest

from core.errors import ExitCode, ProfileError
from core.profiles import list_profiles, load_profile


def test_bundled_profiles_load() -> None:
    generic, aviation = load_profile("generic"), load_profile("aviation")
    assert generic.country == "ZA"
    assert "planes" in aviation.fields and "planes" not in generic.fields
    # aviation adds aliases to generic's instead of replacing them
    assert "company" in aviation.fields["organization_name"].aliases
    assert "amo number" in aviation.fields["organization_id"].aliases
    assert {s.label for s in aviation.sources} >= {"SACAA Flight Schools", "Reachout Database"}


def test_search_path_comes_before_bundled(tmp_path: Path) -> None:
    from core.profiles import BUNDLED_PROFILES

    bundled = (BUNDLED_PROFILES / "generic.yaml").read_text()
    (tmp_path / "generic.yaml").write_text(bundled.replace("country: ZA", "country: NA"))
    assert load_profile("generic", [tmp_path]).country == "NA"
    assert load_profile("generic").country == "ZA"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    _write(tmp_path, "clinics", "name: clinics\nextends: generic\ndescription: x\ningest:\n  header_scan_rowz: 3\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("clinics", [tmp_path])
    error = caught.value
    assert error.exit_code == ExitCode.BAD_PROFILE
    assert Path(error.file).name == "clinics.yaml"
    assert error.key == "ingest.header_scan_rowz"


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    _write(tmp_path, "clinics", "name: clinics\nextends: generic\ndescription: x\nresolution:\n  match_threshold: high\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("clinics", [tmp_path])
    assert caught.value.key == "resolution.match_threshold"


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    _write(tmp_path, "broken", "name: broken\nfields: [unclosed\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("broken", [tmp_path])
    assert caught.value.row is not None and "YAML" in caught.value.message


def test_missing_profile_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("nope", [tmp_path])
    assert str(tmp_path) in caught.value.hint


def test_extends_loop_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a", "extends: b\n")
    _write(tmp_path, "b", "extends: a\n")
    with pytest.raises(ProfileError, match="loop"):
        load_profile("a", [tmp_path])


def test_province_alias_to_unknown_province_is_a_profile_error(tmp_path: Path) -> None:
    _write(tmp_path, "clinics", "name: clinics\nextends: generic\ndescription: x\nprovinces:\n  aliases:\n    TVL: Transvaal\n")
    with pytest.raises(ProfileError) as caught:
        load_profile("clinics", [tmp_path])
    assert caught.value.key == "provinces"


def test_list_shows_search_path_first(tmp_path: Path) -> None:
    _write(tmp_path, "clinics", "name: clinics\nextends: generic\ndescription: Clinics\n")
    names = [p.name for p in list_profiles([tmp_path])]
    assert names[0] == "clinics" and {"generic", "aviation"} <= set(names)


def test_every_profile_key_is_read_by_the_code() -> None:
    """Each top-level key of the model is referenced somewhere in core/ outside the model itself."""
    from core.profiles import Profile

    sources = "\n".join(p.read_text() for p in Path("core").rglob("*.py"))
    unused = [key for key in Profile.model_fields if key not in ("name", "description", "extends")
              and f".{key}" not in sources]
    assert unused == []
