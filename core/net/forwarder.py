"""The forwards: local ports on 127.0.0.1 carried over one SSH connection to the bastion.

Each connection to a local port becomes a `direct-tcpip` channel to its remote target. The listening
sockets are held for the tunnel's whole life, so when the SSH connection drops and comes back
(reconnect with backoff) the forwards are on the same ports; connections made while it is down
are closed at once rather than left hanging.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from core.errors import NetworkError
from core.net.auth import PassphraseAsk, authenticate, candidate_keys
from core.net.hostkeys import HostKeyCheck, check_host_key, known_key_types
from core.net.ports import listen_again, listen_on
from core.net.spec import Forward, TunnelSpec, default_user, known_hosts_path

BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
CHUNK = 64 * 1024
ADMINISTRATIVELY_PROHIBITED = 1


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class LiveState:
    """What the tunnel is doing now: written to the state file on every change."""

    status: str = "starting"  # starting | up | reconnecting | failed | stopped
    ports: dict[str, int] = field(default_factory=dict)  # forward name -> local port
    moved: list[str] = field(default_factory=list)  # "prefect: 4200 was busy, using 4201"
    warnings: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    key_type: str | None = None
    host_key: str | None = None  # known | trusted-new
    connected_at: str | None = None
    last_error: str | None = None
    reconnects: int = 0


class Tunnel:
    def __init__(self, spec: TunnelSpec, ask: PassphraseAsk | None = None,
                 on_change: Callable[[LiveState], None] | None = None,
                 backoff: tuple[float, ...] = BACKOFF, reuse_ports: bool = False, keys: list | None = None) -> None:
        self.spec = spec
        self.state = LiveState()
        self._ask, self._on_change, self._backoff = ask, on_change, backoff
        self._reuse_ports = reuse_ports  # a restart from a state file: the exact ports, or fail
        self._keys: list = list(keys or [])  # decrypted once, held in memory for reconnects, never written
        self._transport = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listeners: list[tuple[socket.socket, Forward]] = []
        self._threads: list[threading.Thread] = []
        self._open_sockets: set = set()

    # -- life ------------------------------------------------------------------------------
    def open(self) -> LiveState:
        """Connect, verify, log in, bind the ports and check the bastion forwards; or raise NetworkError."""
        try:
            if not self._keys:
                self._keys = candidate_keys(self.spec.identity, self._ask, self.spec.where)
            check = self._connect()
            self.spec = replace(self.spec, pinned_fingerprint=check.fingerprint)
            self.state.fingerprint, self.state.key_type, self.state.host_key = (check.fingerprint, check.key_type,
                                                                               check.status)
            self._bind()
            self._check_forwarding()
        except BaseException:
            self.close(status="failed")
            raise
        self.state.status, self.state.connected_at = "up", _now()
        self._start(self._accept_loop, "tunnel-accept")
        self._start(self._supervise, "tunnel-supervise")
        self._changed()
        return self.state

    def close(self, status: str = "stopped") -> None:
        self._stop.set()
        for sock, _forward in self._listeners:
            _quietly(sock.close)
        with self._lock:
            transport, self._transport = self._transport, None
            open_sockets = list(self._open_sockets)
        for item in open_sockets:
            _quietly(item.close)
        if transport is not None:
            _quietly(transport.close)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2)
        if self.state.status != status:
            self.state.status = status
            self._changed()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until closed (True) or the timeout passes (False)."""
        return self._stop.wait(timeout)

    @property
    def is_connected(self) -> bool:
        transport = self._transport
        return transport is not None and transport.is_active()

    # -- connecting ------------------------------------------------------------------------
    def _connect(self) -> HostKeyCheck:
        import paramiko

        spec, where = self.spec, self.spec.where
        try:
            sock = socket.create_connection((spec.host, spec.ssh_port), timeout=spec.connect_timeout_s)
        except socket.gaierror as exc:
            raise NetworkError(f"cannot resolve the bastion host {spec.host!r}: {exc.strerror or exc}", file=where,
                               key="--host", hint="check the host name") from exc
        except OSError as exc:
            raise NetworkError(f"cannot reach {where}: {exc.strerror or exc}", file=where, key="--ssh-port",
                               hint="check --host and --ssh-port, and that the bastion is up") from exc
        transport = paramiko.Transport(sock)
        try:
            known = known_key_types(known_hosts_path(spec), spec.host, spec.ssh_port)
            options = transport.get_security_options()
            if known:  # ask for a key type known_hosts has, so a server with several keys shows that one
                options.key_types = tuple([t for t in known if t in options.key_types] +
                                          [t for t in options.key_types if t not in known])
            try:
                transport.start_client(timeout=spec.connect_timeout_s)
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise NetworkError(f"{where} does not speak SSH: {exc}", file=where, key="--ssh-port",
                                   hint="check --ssh-port: it must be the bastion's SSH port") from exc
            key = transport.get_remote_server_key()
            check = check_host_key(known_hosts_path(spec), spec.host, spec.ssh_port, key, spec.trust_new_host_key)
            if spec.pinned_fingerprint and check.fingerprint != spec.pinned_fingerprint:
                raise NetworkError(f"the host key of {where} changed while connected: {check.fingerprint}, "
                                   f"was {spec.pinned_fingerprint}", file=where,
                                   hint="refused; confirm the new key with the bastion's owner")
            authenticate(transport, spec.user or default_user(), self._keys, where)
            transport.set_keepalive(max(1, int(spec.keepalive_s)))
        except BaseException:
            _quietly(transport.close)
            raise
        sock.settimeout(None)
        with self._lock:
            self._transport = transport
        return check

    def _bind(self) -> None:
        for forward in self.spec.forwards:
            sock = listen_again(forward.local_port) if self._reuse_ports else listen_on(forward.local_port)
            port = sock.getsockname()[1]
            self._listeners.append((sock, forward))
            self.state.ports[forward.name] = port
            if port != forward.local_port:
                self.state.moved.append(f"{forward.name}: port {forward.local_port} is busy, using {port}")

    def _check_forwarding(self) -> None:
        """Open one channel per forward now, so that a bastion that will not forward fails `net up`."""
        import paramiko

        for forward in self.spec.forwards:
            try:
                channel = self._transport.open_channel("direct-tcpip", (forward.remote_host, forward.remote_port),
                                                       ("127.0.0.1", 0), timeout=self.spec.connect_timeout_s)
                channel.close()
            except paramiko.ChannelException as exc:
                if exc.code == ADMINISTRATIVELY_PROHIBITED:
                    raise NetworkError(f"{self.spec.where} will not forward to {forward.remote} "
                                       f"({exc.text or 'administratively prohibited'})", file=self.spec.where,
                                       hint="the bastion's sshd needs AllowTcpForwarding for this user") from exc
                self.state.warnings.append(f"{forward.name}: nothing answers at {forward.remote} behind "
                                           f"{self.spec.host} ({exc.text or 'connect failed'}); the port is open "
                                           "and will carry traffic once it does")
            except (paramiko.SSHException, EOFError, OSError) as exc:
                raise NetworkError(f"{self.spec.where} did not open a forward to {forward.remote}: {exc}",
                                   file=self.spec.where, hint="check the remote address as the bastion sees it") from exc

    # -- traffic ---------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        by_socket = {sock: forward for sock, forward in self._listeners}
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select(list(by_socket), [], [], 0.5)
            except (OSError, ValueError):
                return  # closed under us: the tunnel is closing
            for sock in ready:
                try:
                    client, peer = sock.accept()
                except OSError:
                    continue
                self._start(lambda c=client, p=peer, f=by_socket[sock]: self._carry(c, p, f), "tunnel-carry",
                            keep=False)

    def _carry(self, client: socket.socket, peer, forward: Forward) -> None:
        transport = self._transport
        channel = None
        try:
            if transport is None or not transport.is_active():
                return  # down: close at once, the client retries after the reconnect
            channel = transport.open_channel("direct-tcpip", (forward.remote_host, forward.remote_port), peer,
                                             timeout=self.spec.connect_timeout_s)
            with self._lock:
                self._open_sockets.update((client, channel))
            _pump(client, channel, self._stop)
        except Exception:  # noqa: BLE001 - one failed connection closes, the tunnel goes on
            pass
        finally:
            with self._lock:
                self._open_sockets.discard(client)
                self._open_sockets.discard(channel)
            _quietly(client.close)
            if channel is not None:
                _quietly(channel.close)

    # -- staying up ------------------------------------------------------------------------
    def _supervise(self) -> None:
        attempt = 0
        while not self._stop.wait(0.25):
            if self.is_connected:
                continue
            if self.state.status == "up":
                self.state.status, self.state.last_error = "reconnecting", f"connection to {self.spec.where} lost"
                self._changed()
            delay = self._backoff[min(attempt, len(self._backoff) - 1)]
            if self._stop.wait(delay):
                return
            attempt += 1
            try:
                self._drop_transport()
                self._connect()
            except NetworkError as exc:
                self.state.last_error = exc.message
                if "host key of" in exc.message:  # a changed key is never retried into
                    self.state.status = "failed"
                    self._changed()
                    self.close(status="failed")
                    return
                self._changed()
                continue
            attempt = 0
            self.state.status, self.state.connected_at = "up", _now()
            self.state.reconnects += 1
            self._changed()

    def _drop_transport(self) -> None:
        with self._lock:
            transport, self._transport = self._transport, None
        if transport is not None:
            _quietly(transport.close)

    # -- plumbing --------------------------------------------------------------------------
    def _start(self, target, name: str, keep: bool = True) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        if keep:
            self._threads.append(thread)

    def _changed(self) -> None:
        if self._on_change is not None:
            try:
                self._on_change(self.state)
            except Exception:  # noqa: BLE001 - a state file that cannot be written must not drop the tunnel
                pass


def _pump(client: socket.socket, channel, stop: threading.Event) -> None:
    while not stop.is_set():
        ready, _, _ = select.select([client, channel], [], [], 1.0)
        if client in ready:
            data = client.recv(CHUNK)
            if not data:
                return
            channel.sendall(data)
        if channel in ready:
            data = channel.recv(CHUNK)
            if not data:
                return
            client.sendall(data)


def _quietly(call) -> None:
    try:
        call()
    except Exception:  # noqa: BLE001 - closing what may already be closed
        pass


def wait_until(predicate: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()

