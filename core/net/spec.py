"""What a tunnel is asked to be: the bastion, who logs in and how, and the forwards it carries.

Holds paths and names only, never a key or a passphrase: a spec is written to the state file and
its facts go to the ledger.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from core.errors import NetworkError

VIAS = ("ssh-bastion",)
DEFAULT_LABEL = "default"
PREFECT_HEALTH = "/api/health"
MARQUEZ_HEALTH = "/api/v1/namespaces"
_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class Forward:
    """127.0.0.1:local_port here → remote_host:remote_port as the bastion sees it."""

    name: str  # prefect | marquez
    remote_host: str
    remote_port: int
    local_port: int  # the port asked for; a busy one moves (see ports.py)

    @property
    def remote(self) -> str:
        return f"{self.remote_host}:{self.remote_port}"

    @property
    def health_path(self) -> str:
        return PREFECT_HEALTH if self.name == "prefect" else MARQUEZ_HEALTH


@dataclass(frozen=True)
class TunnelSpec:
    host: str
    ssh_port: int = 22
    user: str | None = None
    identity: str | None = None  # a key file's path; the key itself never leaves it
    known_hosts: str | None = None  # default: ~/.ssh/known_hosts
    trust_new_host_key: bool = False
    forwards: tuple[Forward, ...] = ()
    label: str = DEFAULT_LABEL
    via: str = "ssh-bastion"
    keepalive_s: float = 15.0
    connect_timeout_s: float = 5.0
    # The fingerprint a reconnect must find again (set once the first connection verified it).
    pinned_fingerprint: str | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.ssh_port}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["forwards"] = [asdict(f) for f in self.forwards]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TunnelSpec:
        values = dict(data)
        values["forwards"] = tuple(Forward(**f) for f in values.get("forwards", ()))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})


def parse_target(text: str, what: str, host: str) -> tuple[str, int]:
    """`HOST:PORT` as the bastion sees it (`[::1]:5000` for IPv6)."""
    match = re.match(r"^\[?([^\[\]]+?)\]?:(\d+)$", text.strip())
    if not match:
        raise NetworkError(f"{what} {text!r} is not HOST:PORT", key=what, file=host,
                           hint=f"for example {what} 127.0.0.1:4200 (the address as the bastion sees it)")
    return match.group(1), check_port(int(match.group(2)), what, host)


def check_port(port: int, what: str, host: str) -> int:
    if not 1 <= int(port) <= 65535:
        raise NetworkError(f"{what} {port} is not a TCP port", key=what, file=host, hint="ports run from 1 to 65535")
    return int(port)


def check_label(label: str) -> str:
    if not _LABEL.match(label or ""):
        raise NetworkError(f"tunnel label {label!r} is not usable", key="--label",
                           hint="letters, digits, dot, dash or underscore; at most 40")
    return label


def build_spec(via: str, host: str, *, ssh_port: int = 22, user: str | None = None, identity: Path | None = None,
               known_hosts: Path | None = None, trust_new_host_key: bool = False,
               prefect_remote: str = "127.0.0.1:4200", marquez_remote: str = "127.0.0.1:5000",
               prefect_port: int = 4200, marquez_port: int = 5000, label: str = DEFAULT_LABEL,
               keepalive_s: float = 15.0, connect_timeout_s: float = 5.0) -> TunnelSpec:
    """The spec the flags describe, or a NetworkError naming the host and the flag that does not fit."""
    if via not in VIAS:
        raise NetworkError(f"--via {via!r} is not supported", key="--via", file=host or None,
                           hint="the one way in is --via ssh-bastion")
    if not host or host.startswith("-"):
        raise NetworkError("no bastion host given", key="--host", hint="--host HOST (a name or an address)")
    forwards = []
    for name, remote, local in (("prefect", prefect_remote, prefect_port), ("marquez", marquez_remote, marquez_port)):
        if not remote:
            continue
        remote_host, remote_port = parse_target(remote, f"--{name}-remote", host)
        forwards.append(Forward(name, remote_host, remote_port, check_port(local, f"--{name}-port", host)))
    if identity is not None and not Path(identity).expanduser().is_file():
        raise NetworkError(f"the key file {identity} does not exist", key="--identity", file=host,
                           hint="name a private key file, or leave --identity out to use the SSH agent")
    return TunnelSpec(host=host, ssh_port=check_port(ssh_port, "--ssh-port", host), user=user,
                      identity=str(Path(identity).expanduser().resolve()) if identity else None,
                      known_hosts=str(Path(known_hosts).expanduser().resolve()) if known_hosts else None,
                      trust_new_host_key=trust_new_host_key, forwards=tuple(forwards), label=check_label(label),
                      via=via, keepalive_s=keepalive_s, connect_timeout_s=connect_timeout_s)


def default_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "root"


def known_hosts_path(spec: TunnelSpec) -> Path:
    return Path(spec.known_hosts) if spec.known_hosts else Path.home() / ".ssh" / "known_hosts"


def with_fields(spec: TunnelSpec, **changes: Any) -> TunnelSpec:
    return replace(spec, **changes)

