"""Host keys: the bastion's key checked against known_hosts before any credential is sent.

An unknown key is refused unless the operator trusts it (`--trust-new-host-key`), which records it
in the known_hosts file in use; a key that differs from the recorded one is always refused, since
that is exactly what a man in the middle looks like.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from core.errors import NetworkError


def fingerprint(key) -> str:
    """OpenSSH's form: SHA256:<base64 of the key blob's SHA-256, unpadded>."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def host_entry_name(host: str, port: int) -> str:
    """How known_hosts names a host: bare on port 22, `[host]:port` otherwise."""
    return host if int(port) == 22 else f"[{host}]:{port}"


@dataclass(frozen=True)
class HostKeyCheck:
    fingerprint: str
    key_type: str
    status: str  # known | trusted-new
    known_hosts: Path


def _load(path: Path):
    import paramiko

    keys = paramiko.HostKeys()
    if path.is_file():
        try:
            keys.load(str(path))
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise NetworkError(f"the known_hosts file cannot be read: {exc}", file=path,
                               hint="fix or move the file, or name another with --known-hosts") from exc
    return keys


def known_key_types(path: Path, host: str, port: int) -> list[str]:
    """Key types recorded for the host: the transport asks for one of these first, as OpenSSH does."""
    entry = _load(path).lookup(host_entry_name(host, port))
    return list(entry.keys()) if entry else []


def check_host_key(path: Path, host: str, port: int, key, trust_new: bool) -> HostKeyCheck:
    name = host_entry_name(host, port)
    seen = fingerprint(key)
    recorded = _load(path).lookup(name)
    where = f"{host}:{port}"
    if recorded:
        same_type = recorded.get(key.get_name())
        if same_type is not None and same_type.asbytes() == key.asbytes():
            return HostKeyCheck(seen, key.get_name(), "known", path)
        before = ", ".join(f"{t} {fingerprint(k)}" for t, k in recorded.items())
        raise NetworkError(
            f"the host key of {where} has CHANGED: it offered {key.get_name()} {seen}, known_hosts has {before}",
            file=str(path), key=name,
            hint="refused even with --trust-new-host-key: confirm the new key with the bastion's owner, "
                 f"then remove the old line (ssh-keygen -R '{name}' -f {path})")
    if not trust_new:
        raise NetworkError(
            f"the host key of {where} is not known: {key.get_name()} {seen}", file=str(path), key=name,
            hint="check this fingerprint with the bastion's owner, then run again with --trust-new-host-key "
                 "to record it")
    record_host_key(path, name, key)
    return HostKeyCheck(seen, key.get_name(), "trusted-new", path)


def record_host_key(path: Path, name: str, key) -> None:
    """Append one line; the rest of the file (comments, hashed entries) stays exactly as it was."""
    line = f"{name} {key.get_name()} {key.get_base64()}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="ascii") as handle:
            if path.stat().st_size and not path.read_bytes().endswith(b"\n"):
                handle.write("\n")
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise NetworkError(f"cannot record the host key in {path}: {exc.strerror or exc}", file=str(path),
                           hint="name a known_hosts file you can write with --known-hosts") from exc
