"""Real parts for the tunnel tests: an OpenSSH server on 127.0.0.1 as the bastion, and HTTP servers
behind it standing in for Prefect and Marquez (../shared/NOTES.md, SSH).

`sshd` is started once per session; tests that kill or reconfigure a bastion start their own with
`start_sshd`. Every process started here is stopped by its PID.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
needs_sshd = pytest.mark.skipif(not Path(SSHD).exists() or os.geteuid() != 0 or not shutil.which("ssh-keygen"),
                                reason="needs OpenSSH's sshd and ssh-keygen, run as root (.ci/run installs them)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path: Path, kind: str = "ed25519", passphrase: str = "") -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", passphrase, "-f", str(path), "-C", "hotpass-test"],
                   check=True, capture_output=True)
    return path


@dataclass
class Sshd:
    folder: Path
    port: int
    client_key: Path
    host_key: Path
    allow_forwarding: bool = True
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / "sshd.log"

    @property
    def host_public_line(self) -> str:
        """The host key as a known_hosts line for this port."""
        kind, blob = self.host_key.with_suffix(".pub").read_text().split()[:2]
        return f"[127.0.0.1]:{self.port} {kind} {blob}\n"

    def known_hosts(self, path: Path) -> Path:
        path.write_text(self.host_public_line)
        return path

    def start(self) -> "Sshd":
        Path("/run/sshd").mkdir(exist_ok=True)
        config = self.folder / "sshd_config"
        config.write_text("\n".join([
            "ListenAddress 127.0.0.1", f"Port {self.port}", f"HostKey {self.host_key}",
            f"AuthorizedKeysFile {self.folder / 'authorized_keys'}", "StrictModes no", "UsePAM no",
            "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
            f"AllowTcpForwarding {'yes' if self.allow_forwarding else 'no'}", f"PidFile {self.folder / 'sshd.pid'}",
            "MaxStartups 100:30:200", "LogLevel ERROR", "",
        ]))
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(4).startswith(b"SSH"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("sshd did not start listening")

    def sessions(self) -> list[int]:
        """PIDs of the per-connection sshd processes (children of the listener)."""
        if self.process is None:
            return []
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                text = stat.read_text()
            except OSError:
                continue
            if int(text[text.rindex(")") + 2:].split()[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill(self) -> None:
        """The bastion dies: its listener and every session it has, at once."""
        if self.process is None:
            return
        for pid in self.sessions():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.kill()
        self.process.wait(timeout=5)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        sessions = self.sessions()
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        for pid in sessions:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self.process = None


def start_sshd(folder: Path, allow_forwarding: bool = True, client_key: Path | None = None) -> Sshd:
    folder.mkdir(parents=True, exist_ok=True)
    host_key = keygen(folder / "host_ed25519")
    if client_key is None:
        client_key = keygen(folder / "client_key")
    (folder / "authorized_keys").write_text(client_key.with_suffix(".pub").read_text())
    return Sshd(folder, free_port(), client_key, host_key, allow_forwarding).start()


# -- HTTP stand-ins for Prefect and Marquez ------------------------------------------------------
FLOW_ID = "11111111-2222-3333-4444-555555555555"
FLOW_RUNS = [
    {"id": "run-2", "name": "amber-otter", "flow_id": FLOW_ID, "state_name": "Completed",
     "start_time": "2026-01-15T09:20:00Z"},
    {"id": "run-1", "name": "brisk-heron", "flow_id": FLOW_ID, "state_name": "Failed",
     "start_time": "2026-01-15T08:55:00Z"},
]


class StandIn:
    """A real HTTP server on 127.0.0.1 answering the paths Hotpass asks of Prefect and Marquez."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.requests: list[tuple[str, str]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep pytest's output clean
                pass

            def _send(self, status: int, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                stand_in.requests.append(("GET", self.path))
                if stand_in.kind == "prefect" and self.path == "/api/health":
                    return self._send(200, True)
                if stand_in.kind == "marquez" and self.path.startswith("/api/v1/namespaces"):
                    return self._send(200, {"namespaces": [{"name": "hotpass"}]})
                return self._send(404, {"detail": "not found"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stand_in.requests.append(("POST", self.path))
                if stand_in.kind == "prefect" and self.path == "/api/flow_runs/filter":
                    return self._send(200, FLOW_RUNS[: int(body.get("limit", 10))])
                if stand_in.kind == "prefect" and self.path == "/api/flows/filter":
                    return self._send(200, [{"id": FLOW_ID, "name": "hotpass-refine"}])
                return self._send(404, {"detail": "not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory):
    if not Path(SSHD).exists() or os.geteuid() != 0:
        pytest.skip("needs OpenSSH's sshd, run as root")
    server = start_sshd(tmp_path_factory.mktemp("bastion"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stand_ins():
    prefect, marquez = StandIn("prefect"), StandIn("marquez")
    yield prefect, marquez
    prefect.close()
    marquez.close()


def net_up_args(sshd: Sshd, stand_ins, known_hosts: Path, *extra: str, label: str = "default") -> list[str]:
    """`net up` flags for this bastion, with local ports picked free so tests do not collide."""
    prefect, marquez = stand_ins
    return ["net", "up", "--via", "ssh-bastion", "--host", "127.0.0.1", "--ssh-port", str(sshd.port),
            "--user", "root", "--identity", str(sshd.client_key), "--known-hosts", str(known_hosts),
            "--prefect-remote", prefect.target, "--marquez-remote", marquez.target,
            "--prefect-port", str(free_port()), "--marquez-port", str(free_port()), "--label", label, *extra]
