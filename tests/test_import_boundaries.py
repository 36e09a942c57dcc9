"""What each face may import: the core and the ledger never load a UI library, and the command
paths (help, step commands, --batch) never load Textual, nor pandas where they do not need it.

Each check runs in a fresh interpreter, because this test process has long since imported everything.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

UI_LIBRARIES = ("textual", "rich", "hotpass_tui")


def _modules_of(package: str) -> list[str]:
    root = PROJECT_ROOT / package
    names = [package]
    for info in pkgutil.walk_packages([str(root)], prefix=f"{package}."):
        names.append(info.name)
    return names


def _loaded_after(code: str, cwd: Path) -> set[str]:
    """The top-level packages a fresh interpreter holds after running `code`."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


# The Prefect wrapper is the one exception: Prefect itself loads rich. It lives behind the
# [prefect] extra, and the test below proves that nothing else in core, ledger or the faces imports it.
OPTIONAL_WRAPPERS = ("core.flows",)


@pytest.mark.parametrize("package", ["core", "ledger"])
def test_core_and_ledger_import_no_ui_library(package: str) -> None:
    names = [name for name in _modules_of(package) if not name.startswith(OPTIONAL_WRAPPERS)]
    loaded = _loaded_after("\n".join(f"import {name}" for name in names), PROJECT_ROOT)
    assert not loaded & set(UI_LIBRARIES), f"{package} pulled in {sorted(loaded & set(UI_LIBRARIES))}"


def test_nothing_but_the_flow_wrapper_imports_prefect() -> None:
    names = [name for package in ("core", "ledger", "hotpass_tui") for name in _modules_of(package)
             if not name.startswith(OPTIONAL_WRAPPERS)]
    loaded = _loaded_after("\n".join(f"import {name}" for name in names), PROJECT_ROOT)
    assert "prefect" not in loaded


def _command_probe(argv: list[str]) -> str:
    return ("import sys\nfrom hotpass_tui.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n")


@pytest.mark.parametrize("argv", [["--help"], ["refine", "--help"], ["ledger", "--help"], ["profiles", "list"]])
def test_help_and_light_commands_load_neither_textual_nor_pandas(argv: list[str], tmp_path: Path) -> None:
    loaded = _loaded_after(_command_probe(argv), tmp_path)
    assert "textual" not in loaded
    assert "pandas" not in loaded, f"`hotpass {' '.join(argv)}` waited for pandas"


def test_refine_and_batch_never_load_textual(tmp_path: Path) -> None:
    for argv in (["refine"], ["--batch"], ["ledger", "log"]):
        loaded = _loaded_after(_command_probe(argv), tmp_path)
        assert "textual" not in loaded, f"`hotpass {' '.join(argv)}` imported Textual"
    # the refine really ran (so the check covered the pipeline's imports), and so did the batch run
    assert (tmp_path / "dist" / "sample" / "refined.xlsx").is_file()


HEAVY_ON_DEMAND = ("great_expectations", "openlineage")


@pytest.mark.parametrize("argv", [["--help"], ["refine", "--help"], ["profiles", "list"], ["archive", "--help"]])
def test_great_expectations_only_when_validation_runs(argv: list[str], tmp_path: Path) -> None:
    loaded = _loaded_after(_command_probe(argv), tmp_path)
    assert not loaded & set(HEAVY_ON_DEMAND), f"`hotpass {' '.join(argv)}` loaded {sorted(loaded & set(HEAVY_ON_DEMAND))}"


def test_uis_first_frame_loads_no_great_expectations(tmp_path: Path) -> None:
    probe = (
        "import asyncio\n"
        "from pathlib import Path\n"
        "from core.workspace import Workspace\n"
        "from hotpass_tui.app import HotpassApp\n"
        "from hotpass_tui.service import CoreService\n"
        "async def first_frame():\n"
        "    app = HotpassApp(CoreService(Workspace.from_env(Path.cwd())))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "asyncio.run(first_frame())\n"
    )
    loaded = _loaded_after(probe, tmp_path)
    assert "textual" in loaded  # the probe really drew the UI
    assert not loaded & set(HEAVY_ON_DEMAND), f"the first frame loaded {sorted(loaded & set(HEAVY_ON_DEMAND))}"


PIPELINE = ("core.ingest", "core.normalize", "core.resolve", "core.refine", "core.survivorship", "core.notices",
            "core.write", "core.outputs", "core.review_queue")
FACES = ("hotpass_tui", "textual", "rich")


def test_pipeline_modules_import_neither_the_ledger_nor_a_face() -> None:
    names = [name for package in ("core",) for name in _modules_of(package)
             if name.startswith(PIPELINE)]
    loaded = _loaded_after("\n".join(f"import {name}" for name in names), PROJECT_ROOT)
    assert "ledger" not in loaded, "a pipeline module imported the ledger: only core.runbook may"
    assert not loaded & set(FACES)


def test_the_runbook_imports_no_face() -> None:
    names = [name for name in _modules_of("core") if name.startswith("core.runbook")]
    loaded = _loaded_after("\n".join(f"import {name}" for name in names), PROJECT_ROOT)
    assert not loaded & set(FACES)


def test_the_first_frame_waits_for_no_pandas(tmp_path: Path) -> None:
    """What is loaded when the UI, having drawn its first frame, first asks the core for the case."""
    probe = (
        "import asyncio, sys, json\n"
        "from pathlib import Path\n"
        "from core.workspace import Workspace\n"
        "from hotpass_tui.app import HotpassApp\n"
        "from hotpass_tui.service import CoreService\n"
        "seen = {}\n"
        "def open_case(self, case_id):\n"
        "    seen['at_first_frame'] = sorted({m.split('.')[0] for m in sys.modules})\n"
        "    raise SystemExit\n"
        "CoreService.open_case = open_case\n"
        "async def first_frame():\n"
        "    app = HotpassApp(CoreService(Workspace.from_env(Path.cwd())))\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        for _ in range(50):\n"
        "            await pilot.pause(0.05)\n"
        "            if seen: break\n"
        "asyncio.run(first_frame())\n"
        "print(json.dumps(seen['at_first_frame']))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    loaded = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "textual" in loaded
    assert "pandas" not in loaded and "great_expectations" not in loaded
