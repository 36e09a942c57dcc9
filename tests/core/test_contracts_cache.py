"""A contract emitted before is read back only while everything its bytes depend on is unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.contracts import cache
from core.contracts.emit import contract_bytes
from core.errors import ProfileError
from core.profiles import BUNDLED_PROFILES, load_profile
from ledger import Ledger
from tests.conftest import run_hotpass


class Loads:
    """The step's real profile load (the case overlay applied), counted: a hit must not load it at all."""

    def __init__(self, name: str, search_path: list[Path], input_dir: Path | None) -> None:
        self.name, self.search_path, self.input_dir, self.count = name, search_path, input_dir, 0

    def __call__(self):
        from core.case_overlay import load_case_profile

        self.count += 1
        return load_case_profile(self.name, self.search_path, self.input_dir).profile


def _emit(root: Path, name: str = "aviation", search_path: list[Path] | None = None, fmt: str = "yaml",
          input_dir: Path | None = None) -> tuple[cache.Emitted, Loads]:
    loads = Loads(name, search_path or [], input_dir)
    got = cache.emitted(root / "cache", name, search_path or [], input_dir, fmt, loads)
    return got, loads


def _profiles(root: Path) -> Path:
    """Copies of the bundled profiles on a search path of their own, to be edited."""
    folder = root / "profiles"
    folder.mkdir()
    for source in BUNDLED_PROFILES.glob("*.yaml"):
        (folder / source.name).write_bytes(source.read_bytes())
    return folder


@pytest.mark.parametrize("fmt", ["yaml", "json", "jsonschema"])
def test_a_second_emit_reads_back_the_bytes_the_first_built(tmp_path: Path, fmt: str) -> None:
    first, loads = _emit(tmp_path, fmt=fmt)
    assert loads.count == 1 and not first.cached
    assert first.data == contract_bytes(load_profile("aviation"), fmt)
    second, loads = _emit(tmp_path, fmt=fmt)
    assert loads.count == 0 and second.cached
    assert (second.data, second.columns, second.rules, second.personal_columns, second.profile_json) == (
        first.data, first.columns, first.rules, first.personal_columns, first.profile_json)
    assert first.profile_json == load_profile("aviation").model_dump_json()


def test_an_edited_profile_is_built_again_with_its_new_bytes(tmp_path: Path) -> None:
    folder = _profiles(tmp_path)
    before, _ = _emit(tmp_path, search_path=[folder])
    child = folder / "aviation.yaml"
    child.write_text(child.read_text().replace("owner: aviation-outreach", "owner: Flight Ops Data Desk"))
    after, loads = _emit(tmp_path, search_path=[folder])
    assert loads.count == 1 and not after.cached
    assert b"Flight Ops Data Desk" in after.data and after.data != before.data


def test_an_edited_parent_profile_is_built_again(tmp_path: Path) -> None:
    folder = _profiles(tmp_path)
    _emit(tmp_path, search_path=[folder])
    parent = folder / "generic.yaml"
    parent.write_text(parent.read_text().replace("country_name:", "country_nam:", 1))
    with pytest.raises(ProfileError):  # the edit made the parent invalid: the cache must not hide that
        _emit(tmp_path, search_path=[folder])
    parent.write_text((BUNDLED_PROFILES / "generic.yaml").read_text().replace("country_name: South Africa",
                                                                             "country_name: Suid-Afrika"))
    after, loads = _emit(tmp_path, search_path=[folder])
    assert loads.count == 1 and b"Suid-Afrika" in after.data


def test_a_profile_added_earlier_on_the_search_path_is_built_again(tmp_path: Path) -> None:
    _emit(tmp_path)
    shadow = tmp_path / "mine"
    shadow.mkdir()
    generic = (BUNDLED_PROFILES / "generic.yaml").read_text()
    (shadow / "generic.yaml").write_text(generic.replace("country_name: South Africa", "country_name: Namibia"))
    # same search path as before (empty) is still a hit; the one that finds the new parent is not
    assert _emit(tmp_path)[1].count == 0
    got, loads = _emit(tmp_path, search_path=[shadow])
    assert loads.count == 1 and b"Namibia" in got.data
    (shadow / "generic.yaml").write_text(generic.replace("country_name: South Africa", "country_name: Botswana"))
    assert b"Botswana" in _emit(tmp_path, search_path=[shadow])[0].data


def test_an_invalid_profile_is_never_kept_and_fails_each_time(tmp_path: Path) -> None:
    folder = _profiles(tmp_path)
    (folder / "aviation.yaml").write_text((folder / "aviation.yaml").read_text() + "\nbogus_key: 1\n")
    for _ in range(2):
        with pytest.raises(ProfileError) as raised:
            _emit(tmp_path, search_path=[folder])
        assert raised.value.key == "bogus_key"
    assert not list((tmp_path / "cache").glob("contracts/*.json"))


def test_a_change_to_any_module_of_core_is_built_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "core"
    (code / "contracts").mkdir(parents=True)
    module = code / "contracts" / "emit.py"
    module.write_text("# a stand-in for the code the key holds\n")
    monkeypatch.setattr(cache, "CORE", code)
    _emit(tmp_path)
    assert _emit(tmp_path)[1].count == 0
    module.write_text("# edited\n")
    assert _emit(tmp_path)[1].count == 1
    (code / "contracts" / "new_module.py").write_text("")
    assert _emit(tmp_path)[1].count == 1


def test_the_case_overlay_is_part_of_the_key_and_named_as_an_input(tmp_path: Path) -> None:
    from core.case_overlay import OVERLAY_NAME

    assert cache.OVERLAY_NAME == OVERLAY_NAME
    case = tmp_path / "data" / "demo"
    case.mkdir(parents=True)
    assert _emit(tmp_path, input_dir=case)[0].overlay is None
    overlay = case / OVERLAY_NAME
    overlay.write_text("extends: aviation\n")
    got, loads = _emit(tmp_path, input_dir=case)
    assert loads.count == 1 and got.overlay == overlay
    assert _emit(tmp_path, input_dir=case)[0].overlay == overlay  # a hit names it too
    overlay.write_text("extends: generic\n")  # refused against aviation: never hidden by the cache
    with pytest.raises(ProfileError):
        _emit(tmp_path, input_dir=case)


def test_an_unreadable_entry_is_a_miss_not_an_error(tmp_path: Path) -> None:
    _emit(tmp_path)
    [entry] = (tmp_path / "cache" / "contracts").glob("*.json")
    for text in ("not json", json.dumps({"key": "x"}), json.dumps([1])):
        entry.write_text(text)
        got, loads = _emit(tmp_path)
        assert loads.count == 1 and got.data == contract_bytes(load_profile("aviation"))


def test_a_repeated_emit_loads_neither_pydantic_nor_yaml_and_records_the_same_settings(tmp_path: Path) -> None:
    """What the operator feels: the second `contracts emit` of an unchanged profile skips the profile's load,
    writes the same bytes, and its ledger run has the settings key a full load gives (so --batch resumes)."""
    assert run_hotpass("ledger", "log", cwd=tmp_path).returncode == 0  # the ledger exists, as an operator's does
    probe = ("import sys\nfrom hotpass_tui.cli import main\n"
             "code = main(['contracts', 'emit', '--profile', 'aviation', '--output', 'c.yaml'])\n"
             "print(code, *(m in sys.modules for m in ('pydantic', 'yaml', 'pandas')))\n")
    env = {**os.environ, "HOTPASS_LEDGER": str(tmp_path / ".hotpass" / "ledger.db")}
    outputs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        outputs.append(((tmp_path / "c.yaml").read_bytes(), done.stdout.split()[-4:]))
    assert outputs[0][1] == ["0", "True", "True", "False"]
    assert outputs[1][1] == ["0", "False", "False", "False"], "the second emit loaded the profile again"
    assert outputs[0][0] == outputs[1][0]
    runs = [e.payload for e in Ledger(tmp_path / ".hotpass" / "ledger.db").entries(kind="run")
            if e.payload.get("step") == "contracts"]
    assert len(runs) == 2 and runs[0]["settings"] == runs[1]["settings"] is not None
