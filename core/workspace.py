"""The workspace and its settings: built once per face (command, UI, batch) and handed down.

Everything that used to default to `Path.cwd()` or to the string "sample" in several places reads it
from here: where cases live, where the ledger and the logs are, and what the network may do.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.case import Case

SAMPLE_CASE_ID = "sample"


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class NetworkSettings:
    """What may leave this machine. Everything is off unless the operator turned it on."""

    allow_network: bool = False  # --allow-network=true on the command that runs
    remote_research_feature: bool = False  # FEATURE_ENABLE_REMOTE_RESEARCH=1
    remote_research_allowed: bool = False  # ALLOW_NETWORK_RESEARCH=1
    openlineage_url: str | None = None  # OPENLINEAGE_URL: Marquez's base URL, events also go to a file
    openlineage_namespace: str = "hotpass"  # OPENLINEAGE_NAMESPACE
    prefect_api_url: str | None = None  # PREFECT_API_URL
    timeout_s: float = 5.0  # HOTPASS_NETWORK_TIMEOUT: connect and read, per request

    @classmethod
    def from_env(cls, environ: Mapping[str, str], allow_network: bool = False) -> NetworkSettings:
        try:
            timeout = float(environ.get("HOTPASS_NETWORK_TIMEOUT", "") or 5.0)
        except ValueError:
            timeout = 5.0
        return cls(
            allow_network=allow_network,
            remote_research_feature=_flag(environ, "FEATURE_ENABLE_REMOTE_RESEARCH"),
            remote_research_allowed=_flag(environ, "ALLOW_NETWORK_RESEARCH"),
            openlineage_url=environ.get("OPENLINEAGE_URL", "").strip() or None,
            openlineage_namespace=environ.get("OPENLINEAGE_NAMESPACE", "").strip() or "hotpass",
            prefect_api_url=environ.get("PREFECT_API_URL", "").strip() or None,
            timeout_s=timeout,
        )


@dataclass(frozen=True)
class Workspace:
    """One folder an operator works in: `data/<case>/` in, `dist/<case>/` out, `.hotpass/` for state."""

    root: Path
    ledger_path: Path
    network: NetworkSettings = field(default_factory=NetworkSettings)
    default_case: str = SAMPLE_CASE_ID

    @classmethod
    def from_env(cls, root: Path | None = None, ledger: Path | str | None = None,
                 environ: Mapping[str, str] | None = None, allow_network: bool = False) -> Workspace:
        from ledger.paths import resolve_ledger_path

        environ = os.environ if environ is None else environ
        base = Path(os.path.abspath(root or Path.cwd()))
        return cls(base, resolve_ledger_path(ledger, cwd=base),
                   NetworkSettings.from_env(environ, allow_network=allow_network))

    # -- folders ---------------------------------------------------------------------------------
    @property
    def state_dir(self) -> Path:
        return self.root / ".hotpass"

    @property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def cache_dir(self) -> Path:
        return self.state_dir / "cache"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    def cases(self) -> list[str]:
        """Case folders under data/, for the UI's suggestions."""
        if not self.data_dir.is_dir():
            return []
        return sorted(p.name for p in self.data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))

    # -- cases -----------------------------------------------------------------------------------
    def case(self, case_id: str | None = None, input_dir: Path | None = None,
             output_path: Path | None = None) -> Case:
        """The case the operator named; without a name, the input folder's name, else the default case.

        An output path given once is remembered (see `core.case_index`), so `hotpass review` and the
        later steps find that case's outputs without being told again.
        """
        from core.case_index import remembered_output
        from core.staging import finish_committed

        chosen = case_id or (input_dir.name if input_dir else self.default_case)
        if input_dir is not None:
            input_dir = Path(os.path.abspath(input_dir))
            if input_dir == self.data_dir / chosen:
                input_dir = None
        if output_path is None:
            output_path = remembered_output(self, chosen)
        elif not output_path.is_absolute():
            output_path = self.root / output_path
        case = Case(chosen, self.root, input_dir, output_path)
        # Every face reads a case's outputs through here: a run killed between its commit point and
        # its last rename is completed first, so no reader sees two runs' files side by side.
        finish_committed(case.runs_dir)
        return case

    def ensure_sample(self, case: Case) -> None:
        """A newcomer's first command works with nothing prepared: the sample case is written on first use."""
        if case.case_id == SAMPLE_CASE_ID and case.input_dir_override is None and not case.input_dir.exists():
            from core.sample import ensure_sample_case

            ensure_sample_case(self.root)

    def open_ledger(self):
        from ledger import Ledger

        return Ledger(self.ledger_path)
