"""Where a case's inputs and outputs live, and the id of one run."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


def new_run_id() -> str:
    """Sortable by time, unique across processes: 20261125T183258Z-3f9a1c."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Case:
    """A case: `data/<case-id>/` in, `dist/<case-id>/` out, relative to a workspace folder."""

    case_id: str
    workspace: Path  # the folder the face was started in (core.workspace.Workspace.root)
    input_dir_override: Path | None = None
    output_path_override: Path | None = None

    @property
    def input_dir(self) -> Path:
        return self.input_dir_override or self.workspace / "data" / self.case_id

    @property
    def dist_root(self) -> Path:
        return self.workspace / "dist"

    @property
    def output_dir(self) -> Path:
        if self.output_path_override is not None:
            return self.output_path_override.parent
        return self.dist_root / self.case_id

    @property
    def refined_path(self) -> Path:
        return self.output_path_override or self.output_dir / "refined.xlsx"

    @property
    def reports_dir(self) -> Path:
        return self.output_dir / "reports"

    @property
    def review_queue_path(self) -> Path:
        return self.output_dir / "review-queue.json"

    @property
    def runs_dir(self) -> Path:
        """Where a run stages its outputs before they are committed together (core.staging)."""
        return self.output_dir / ".runs"

    def notices_dir(self, run_id: str) -> Path:
        return self.dist_root / "contract-notices" / run_id
