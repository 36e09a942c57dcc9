"""One state file per tunnel, `.hotpass/tunnels/<label>.json`: what `net status`, `net down` and
the UI read. Written atomically (a temporary file in the same folder, fsync, rename), so a reader
never sees half a file, even while the background process rewrites it on every change.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.net.spec import TunnelSpec

STATE_VERSION = 1


@dataclass
class TunnelState:
    label: str
    spec: TunnelSpec
    status: str  # starting | up | reconnecting | failed | stopped
    pid: int | None = None
    pid_started: str | None = None  # the process's start time, so a reused pid is not taken for it
    started_at: str | None = None
    updated_at: str | None = None
    ports: dict[str, int] = field(default_factory=dict)
    moved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    key_type: str | None = None
    host_key: str | None = None
    connected_at: str | None = None
    last_error: str | None = None
    reconnects: int = 0
    detached: bool = False

    @property
    def forwards(self) -> list[tuple[str, str, int | None]]:
        """(name, remote target, local port) of each forward."""
        return [(f.name, f.remote, self.ports.get(f.name)) for f in self.spec.forwards]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["spec"] = self.spec.to_dict()
        data["version"] = STATE_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TunnelState:
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["spec"] = TunnelSpec.from_dict(data["spec"])
        return cls(**values)

    def ledger_facts(self) -> dict[str, Any]:
        """What the ledger keeps of a tunnel: where, which key it trusted, which ports. No secret."""
        return {"label": self.label, "host": self.spec.host, "ssh_port": self.spec.ssh_port,
                "user": self.spec.user, "fingerprint": self.fingerprint, "host_key": self.host_key,
                "status": self.status, "detached": self.detached,
                "forwards": [{"name": n, "remote": r, "local_port": p} for n, r, p in self.forwards]}


def tunnels_dir(state_dir: Path) -> Path:
    return state_dir / "tunnels"


def state_path(state_dir: Path, label: str) -> Path:
    return tunnels_dir(state_dir) / f"{label}.json"


def write_state(path: Path, state: TunnelState) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state.to_dict(), handle, indent=2, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def read_state(path: Path) -> TunnelState | None:
    try:
        return TunnelState.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None  # gone, or not ours: status lists what it can read


def read_states(state_dir: Path) -> list[TunnelState]:
    folder = tunnels_dir(state_dir)
    if not folder.is_dir():
        return []
    states = [read_state(path) for path in sorted(folder.glob("*.json"))]
    return [state for state in states if state is not None]


# -- processes ---------------------------------------------------------------------------------
def process_started(pid: int) -> str | None:
    """The start time of a live process (clock ticks since boot), None if it is gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return None  # exited; only its parent's bookkeeping is left
    return fields[19]


def process_alive(pid: int | None, started: str | None) -> bool:
    if not pid:
        return False
    now = process_started(pid)
    return now is not None and (started is None or now == started)
