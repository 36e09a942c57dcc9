"""Where each case's outputs went, when the operator chose a place other than `dist/<case>/`.

`hotpass refine --output-path FILE` writes the review queue and reports beside FILE; later commands
(`hotpass review`, enrich, qa) are given only the case id. This small index in `.hotpass/cases.json`
remembers the choice so that they find it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.workspace import Workspace

INDEX_NAME = "cases.json"


def _index_path(workspace: "Workspace") -> Path:
    return workspace.state_dir / INDEX_NAME


def _read(workspace: "Workspace") -> dict[str, dict]:
    try:
        data = json.loads(_index_path(workspace).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: the defaults apply, and the next refine rewrites it
    return data if isinstance(data, dict) else {}


def remembered_output(workspace: "Workspace", case_id: str) -> Path | None:
    entry = _read(workspace).get(case_id)
    if not isinstance(entry, dict) or not entry.get("refined_path"):
        return None
    return Path(entry["refined_path"])


def remember_output(workspace: "Workspace", case_id: str, refined_path: Path | None) -> None:
    """Record (or forget, with None) the refined workbook's place for a case. Best effort."""
    index = _read(workspace)
    default = workspace.dist_dir / case_id / "refined.xlsx"
    if refined_path is None or Path(refined_path) == default:
        if index.pop(case_id, None) is None:
            return
    else:
        index[case_id] = {"refined_path": str(refined_path)}
    path = _index_path(workspace)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(index, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        pass  # the index is a convenience; the run itself succeeded
