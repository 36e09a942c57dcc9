"""The forwarder against a real OpenSSH bastion on 127.0.0.1, with real HTTP servers behind it."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import pytest

from core.errors import ExitCode, NetworkError
from core.net.forwarder import Tunnel, wait_until
from core.net.hostkeys import fingerprint
from core.net.spec import build_spec
from tests.net_fixtures import free_port, keygen, needs_sshd, start_sshd

pytestmark = needs_sshd


def spec_for(sshd, stand_ins, known_hosts: Path, **changes):
    prefect, marquez = stand_ins
    values = dict(ssh_port=sshd.port, user="root", identity=sshd.client_key, known_hosts=known_hosts,
                  prefect_remote=prefect.target, marquez_remote=marquez.target,
                  prefect_port=free_port(), marquez_port=free_port())
    values.update(changes)
    return build_spec("ssh-bastion", "127.0.0.1", **values)


def get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read()


@pytest.fixture
def tunnels():
    opened: list[Tunnel] = []
    yield opened
    for tunnel in opened:
        tunnel.close()


def opened(tunnels, spec, **kwargs) -> Tunnel:
    tunnel = Tunnel(spec, **kwargs)
    tunnels.append(tunnel)
    tunnel.open()
    return tunnel


def test_traffic_reaches_both_servers_behind_the_bastion(sshd, stand_ins, tmp_path, tunnels):
    prefect, marquez = stand_ins
    tunnel = opened(tunnels, spec_for(sshd, stand_ins, sshd.known_hosts(tmp_path / "known_hosts")))
    assert get(tunnel.state.ports["prefect"], "/api/health") == b"true"
    assert b"hotpass" in get(tunnel.state.ports["marquez"], "/api/v1/namespaces")
    assert ("GET", "/api/health") in prefect.requests
    assert tunnel.state.host_key == "known"
    assert tunnel.state.fingerprint == "SHA256:" + _sha256_of_pub(sshd.host_key)


def test_forwards_listen_on_loopback_only(sshd, stand_ins, tmp_path, tunnels):
    tunnel = opened(tunnels, spec_for(sshd, stand_ins, sshd.known_hosts(tmp_path / "known_hosts")))
    for sock, _forward in tunnel._listeners:
        assert sock.getsockname()[0] == "127.0.0.1"


def test_unknown_host_key_is_refused_with_its_fingerprint_and_nothing_is_recorded(sshd, stand_ins, tmp_path):
    known_hosts = tmp_path / "known_hosts"
    spec = spec_for(sshd, stand_ins, known_hosts)
    with pytest.raises(NetworkError) as caught:
        Tunnel(spec).open()
    assert caught.value.exit_code == ExitCode.NETWORK_ERROR
    assert "not known" in caught.value.message
    assert "SHA256:" + _sha256_of_pub(sshd.host_key) in caught.value.message
    assert "--trust-new-host-key" in caught.value.hint
    assert not known_hosts.exists()
    for port in (f.local_port for f in spec.forwards):  # no port left listening after the refusal
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()


def test_trust_new_host_key_accepts_an_unknown_key_and_records_it(sshd, stand_ins, tmp_path, tunnels):
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text("# the team's hosts\n")
    tunnel = opened(tunnels, spec_for(sshd, stand_ins, known_hosts, trust_new_host_key=True))
    assert tunnel.state.host_key == "trusted-new"
    assert get(tunnel.state.ports["prefect"], "/api/health") == b"true"
    text = known_hosts.read_text()
    assert text.startswith("# the team's hosts\n")  # what was there stays
    assert f"[127.0.0.1]:{sshd.port} ssh-ed25519 " in text
    tunnel.close()
    again = opened(tunnels, spec_for(sshd, stand_ins, known_hosts))  # now known, no flag needed
    assert again.state.host_key == "known"


def test_changed_host_key_is_refused_even_with_trust_new_host_key(sshd, stand_ins, tmp_path):
    other = keygen(tmp_path / "other_host_key")
    kind, blob = other.with_suffix(".pub").read_text().split()[:2]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{sshd.port} {kind} {blob}\n")
    with pytest.raises(NetworkError) as caught:
        Tunnel(spec_for(sshd, stand_ins, known_hosts, trust_new_host_key=True)).open()
    assert "CHANGED" in caught.value.message
    assert "SHA256:" + _sha256_of_pub(sshd.host_key) in caught.value.message
    assert "refused even with --trust-new-host-key" in caught.value.hint
    assert known_hosts.read_text() == f"[127.0.0.1]:{sshd.port} {kind} {blob}\n"


def test_a_busy_local_port_moves_to_the_next_free_one_and_says_so(sshd, stand_ins, tmp_path, tunnels):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    taken = busy.getsockname()[1]
    try:
        tunnel = opened(tunnels, spec_for(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), prefect_port=taken))
        moved_to = tunnel.state.ports["prefect"]
        assert moved_to != taken and moved_to > taken
        assert tunnel.state.moved == [f"prefect: port {taken} is busy, using {moved_to}"]
        assert get(moved_to, "/api/health") == b"true"
    finally:
        busy.close()


def test_a_refused_key_names_the_host_and_user(sshd, stand_ins, tmp_path):
    stranger = keygen(tmp_path / "stranger")
    with pytest.raises(NetworkError) as caught:
        Tunnel(spec_for(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), identity=stranger)).open()
    assert f"127.0.0.1:{sshd.port} refused the key for user root" in caught.value.message


def test_an_encrypted_key_without_a_terminal_fails_with_what_to_do(sshd, stand_ins, tmp_path):
    locked = keygen(tmp_path / "locked", passphrase="correct horse")
    with pytest.raises(NetworkError) as caught:
        Tunnel(spec_for(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), identity=locked), ask=None).open()
    assert "encrypted" in caught.value.message and "no terminal" in caught.value.message
    assert "ssh-add" in caught.value.hint


def test_an_encrypted_key_opens_with_the_passphrase_asked_for(stand_ins, tmp_path, tunnels):
    locked = keygen(tmp_path / "locked", passphrase="correct horse")
    bastion = start_sshd(tmp_path / "bastion", client_key=locked)
    try:
        asked = []
        tunnel = opened(tunnels, spec_for(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh"), identity=locked),
                        ask=lambda prompt: asked.append(prompt) or "correct horse")
        assert asked == [f"passphrase for {locked}: "]
        assert get(tunnel.state.ports["prefect"], "/api/health") == b"true"
        tunnel.close()
    finally:
        bastion.stop()


def test_a_port_that_is_not_ssh_and_a_closed_port_fail_clearly(sshd, stand_ins, tmp_path):
    prefect, _marquez = stand_ins
    with pytest.raises(NetworkError) as not_ssh:
        Tunnel(spec_for(sshd, stand_ins, tmp_path / "kh", ssh_port=prefect.port)).open()
    assert f"127.0.0.1:{prefect.port} does not speak SSH" in not_ssh.value.message
    closed = free_port()
    with pytest.raises(NetworkError) as unreachable:
        Tunnel(spec_for(sshd, stand_ins, tmp_path / "kh", ssh_port=closed)).open()
    assert f"cannot reach 127.0.0.1:{closed}" in unreachable.value.message


def test_a_bastion_that_will_not_forward_fails_net_up(stand_ins, tmp_path):
    bastion = start_sshd(tmp_path / "no-forwarding", allow_forwarding=False)
    try:
        with pytest.raises(NetworkError) as caught:
            Tunnel(spec_for(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh"))).open()
        assert f"127.0.0.1:{bastion.port} will not forward" in caught.value.message
        assert "AllowTcpForwarding" in caught.value.hint
    finally:
        bastion.stop()


def test_a_dead_bastion_is_reconnected_with_the_forwards_on_the_same_ports(stand_ins, tmp_path, tunnels):
    bastion = start_sshd(tmp_path / "fragile")
    try:
        tunnel = opened(tunnels, spec_for(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh")),
                        backoff=(0.2, 0.4))
        port = tunnel.state.ports["prefect"]
        bastion.kill()
        assert wait_until(lambda: tunnel.state.status == "reconnecting", 10)
        assert "127.0.0.1" in (tunnel.state.last_error or "")
        bastion.start()
        assert wait_until(lambda: tunnel.state.status == "up", 15)
        assert tunnel.state.reconnects == 1 and tunnel.state.ports["prefect"] == port
        assert get(port, "/api/health") == b"true"
    finally:
        bastion.stop()


def test_a_changed_key_on_reconnect_ends_the_tunnel(stand_ins, tmp_path, tunnels):
    bastion = start_sshd(tmp_path / "swapped")
    try:
        tunnel = opened(tunnels, spec_for(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh")), backoff=(0.2,))
        bastion.kill()
        bastion.host_key.unlink()
        bastion.host_key.with_suffix(".pub").unlink()
        keygen(bastion.host_key)  # the same address now answers with another key
        bastion.start()
        assert wait_until(lambda: tunnel.state.status == "failed", 15)
        assert "CHANGED" in tunnel.state.last_error
    finally:
        bastion.stop()


def _sha256_of_pub(private_key: Path) -> str:
    import paramiko

    return fingerprint(paramiko.PKey.from_path(str(private_key))).removeprefix("SHA256:")

