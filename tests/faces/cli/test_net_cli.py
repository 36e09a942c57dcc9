"""`hotpass net up|status|down` as an operator runs them, against a real sshd on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.net.state import process_alive
from tests.conftest import run_hotpass
from tests.net_fixtures import free_port, keygen, needs_sshd, net_up_args, start_sshd

pytestmark = needs_sshd


def living(text: str) -> list[int]:
    """PIDs of live (not zombie) processes whose command line contains `text`."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (folder / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (folder / "stat").read_text()
        except OSError:
            continue
        if text in cmdline and stat[stat.rindex(")") + 2] not in "ZX" and int(folder.name) != os.getpid():
            found.append(int(folder.name))
    return found


def get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read()


def status_json(cwd: Path) -> dict:
    result = run_hotpass("net", "status", "--json", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def tunnel_runs(cwd: Path) -> list[dict]:
    with sqlite3.connect(cwd / ".hotpass" / "ledger.db") as db:
        rows = db.execute("SELECT payload FROM entries WHERE kind = 'run' ORDER BY seq").fetchall()
    return [json.loads(row[0]) for row in rows if json.loads(row[0]).get("step") == "telemetry"]


@pytest.fixture
def cwd(tmp_path: Path):
    folder = tmp_path / "workspace"
    folder.mkdir()
    yield folder
    run_hotpass("net", "down", "--all", cwd=folder)  # whatever a failed test left up


def test_detached_tunnel_forwards_reports_status_and_down_leaves_no_process(sshd, stand_ins, cwd, tmp_path):
    prefect, _marquez = stand_ins
    known_hosts = sshd.known_hosts(tmp_path / "known_hosts")
    up = run_hotpass(*net_up_args(sshd, stand_ins, known_hosts, "--detach", label="lab"), cwd=cwd)
    assert up.returncode == 0, up.stderr
    assert "tunnel lab up" in up.stdout and "in the background" in up.stdout

    tunnel = status_json(cwd)["tunnels"][0]
    assert tunnel["label"] == "lab" and tunnel["status"] == "up" and tunnel["alive"]
    ports = {f["name"]: f["local_port"] for f in tunnel["forwards"]}
    assert all(f["answers"] and f["rtt_ms"] is not None for f in tunnel["forwards"])
    before = len(prefect.requests)
    assert get(ports["prefect"], "/api/health") == b"true"
    assert len(prefect.requests) > before  # the request reached the server behind the bastion

    text = run_hotpass("net", "status", cwd=cwd)
    assert "lab  up" in text.stdout
    assert text.stdout.count("answers (200") == 2

    down = run_hotpass("net", "down", "--all", cwd=cwd)
    assert down.returncode == 0, down.stderr
    assert f"tunnel lab to 127.0.0.1:{sshd.port} closed (pid {tunnel['pid']} ended)" in down.stdout
    assert not process_alive(tunnel["pid"], None)
    assert living("--label lab") == []
    assert status_json(cwd)["tunnels"][0]["status"] == "stopped"

    runs = tunnel_runs(cwd)
    assert [r["facts"]["action"] for r in runs] == ["up", "down"]
    assert runs[1]["facts"]["tunnels"][0]["status"] == "stopped"
    fact = runs[0]["facts"]["tunnels"][0]
    assert fact["host"] == "127.0.0.1" and fact["fingerprint"] == tunnel["fingerprint"]
    assert {f["name"]: f["local_port"] for f in fact["forwards"]} == ports
    private = sshd.client_key.read_text().split("\n")[1]
    assert private not in json.dumps(runs)  # a key's text never reaches the ledger


def test_detached_tunnel_outlives_its_parent_and_its_terminal(sshd, stand_ins, cwd, tmp_path):
    known_hosts = sshd.known_hosts(tmp_path / "known_hosts")
    args = net_up_args(sshd, stand_ins, known_hosts, "--detach", label="orphan")
    command = " ".join([sys.executable, "-m", "hotpass_tui.cli", *args]) + "; sleep 60"
    env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db")}
    shell = subprocess.Popen(["sh", "-c", command], cwd=cwd, env=env, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (cwd / ".hotpass" / "tunnels" / "orphan.json").exists():
        time.sleep(0.1)
    time.sleep(0.5)
    os.killpg(shell.pid, signal.SIGHUP)  # the terminal goes away: its session is hung up, then killed
    os.killpg(shell.pid, signal.SIGKILL)
    shell.wait(timeout=10)
    tunnel = status_json(cwd)["tunnels"][0]
    assert tunnel["alive"] and tunnel["pid"] != shell.pid
    port = tunnel["forwards"][0]["local_port"]
    assert get(port, "/api/health") == b"true"
    run_hotpass("net", "down", "--label", "orphan", cwd=cwd)
    assert living("--label orphan") == []


def test_unknown_host_key_refused_with_fingerprint_then_trusted(sshd, stand_ins, cwd, tmp_path):
    known_hosts = tmp_path / "known_hosts"
    refused = run_hotpass(*net_up_args(sshd, stand_ins, known_hosts, "--detach", label="newhost"), cwd=cwd)
    assert refused.returncode == 12
    assert "is not known: ssh-ed25519 SHA256:" in refused.stderr
    assert "--trust-new-host-key" in refused.stderr and "Traceback" not in refused.stderr
    assert not (cwd / ".hotpass" / "tunnels" / "newhost.json").exists()
    assert living("--label newhost") == []

    trusted = run_hotpass(*net_up_args(sshd, stand_ins, known_hosts, "--detach", "--trust-new-host-key",
                                       label="newhost"), cwd=cwd)
    assert trusted.returncode == 0, trusted.stderr
    assert f"now recorded in {known_hosts}" in trusted.stdout
    assert f"[127.0.0.1]:{sshd.port} ssh-ed25519" in known_hosts.read_text()
    assert tunnel_runs(cwd)[0]["status"] == "failed" and tunnel_runs(cwd)[0]["error"]["exit_code"] == 12


def test_changed_host_key_refused_even_with_the_flag(sshd, stand_ins, cwd, tmp_path):
    kind, blob = keygen(tmp_path / "impostor").with_suffix(".pub").read_text().split()[:2]
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{sshd.port} {kind} {blob}\n")
    result = run_hotpass(*net_up_args(sshd, stand_ins, known_hosts, "--detach", "--trust-new-host-key",
                                      label="mitm"), cwd=cwd)
    assert result.returncode == 12
    assert "has CHANGED" in result.stderr and "SHA256:" in result.stderr and "Traceback" not in result.stderr
    assert living("--label mitm") == []


def test_a_busy_port_moves_and_the_command_says_so(sshd, stand_ins, cwd, tmp_path):
    import socket

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    taken = busy.getsockname()[1]
    try:
        args = net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), "--detach", label="moved")
        args[args.index("--prefect-port") + 1] = str(taken)
        result = run_hotpass(*args, cwd=cwd)
        assert result.returncode == 0, result.stderr
        assert f"prefect: port {taken} is busy, using" in result.stdout
        moved_to = status_json(cwd)["tunnels"][0]["forwards"][0]["local_port"]
        assert moved_to != taken and get(moved_to, "/api/health") == b"true"
    finally:
        busy.close()


@pytest.mark.parametrize("case", ["via", "unreachable", "not-ssh", "batch-passphrase"])
def test_bad_input_is_one_clear_message_exit_12_and_no_process(case, sshd, stand_ins, cwd, tmp_path):
    prefect, _marquez = stand_ins
    args = net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), "--detach", label=f"bad-{case}")
    prefix: list[str] = []
    if case == "via":
        args[args.index("--via") + 1] = "carrier-pigeon"
        expected = "--via 'carrier-pigeon' is not supported"
    elif case == "unreachable":
        closed = free_port()
        args[args.index("--ssh-port") + 1] = str(closed)
        expected = f"cannot reach 127.0.0.1:{closed}"
    elif case == "not-ssh":
        args[args.index("--ssh-port") + 1] = str(prefect.port)
        expected = f"127.0.0.1:{prefect.port} does not speak SSH"
    else:
        args[args.index("--identity") + 1] = str(keygen(tmp_path / "locked", passphrase="s3cret"))
        prefix = ["--batch"]
        expected = "is encrypted and there is no terminal"
    result = run_hotpass(*prefix, *args, cwd=cwd)
    assert result.returncode == 12
    shown = result.stdout + result.stderr
    assert expected in shown and "Traceback" not in shown
    assert "127.0.0.1" in shown  # the host is named
    assert living(f"--label bad-{case}") == []


def test_a_bastion_that_will_not_forward_is_named(stand_ins, cwd, tmp_path):
    bastion = start_sshd(tmp_path / "closed-bastion", allow_forwarding=False)
    try:
        result = run_hotpass(*net_up_args(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh"), "--detach",
                                          label="noforward"), cwd=cwd)
    finally:
        bastion.stop()
    assert result.returncode == 12
    assert f"127.0.0.1:{bastion.port} will not forward" in result.stderr
    assert living("--label noforward") == []


def test_killing_the_bastion_shows_in_status_and_a_reconnect_restores_it(stand_ins, cwd, tmp_path):
    bastion = start_sshd(tmp_path / "fragile-bastion")
    try:
        up = run_hotpass(*net_up_args(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh"), "--detach",
                                      label="fragile"), cwd=cwd)
        assert up.returncode == 0, up.stderr
        port = status_json(cwd)["tunnels"][0]["forwards"][0]["local_port"]
        bastion.kill()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and status_json(cwd)["tunnels"][0]["status"] == "up":
            time.sleep(0.2)
        down = status_json(cwd)["tunnels"][0]
        assert down["status"].startswith("reconnecting") and down["alive"]
        assert down["forwards"][0]["answers"] is False
        assert "reconnecting" in run_hotpass("net", "status", cwd=cwd).stdout
        bastion.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status_json(cwd)["tunnels"][0]["status"] != "up":
            time.sleep(0.3)
        back = status_json(cwd)["tunnels"][0]
        assert back["status"] == "up" and back["reconnects"] == 1
        assert back["forwards"][0]["local_port"] == port and back["forwards"][0]["answers"] is True
    finally:
        run_hotpass("net", "down", "--all", cwd=cwd)
        bastion.stop()


def test_foreground_tunnel_closes_cleanly_on_ctrl_c(sshd, stand_ins, cwd, tmp_path):
    args = net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), label="fg")
    env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db")}
    process = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not any("ctrl+c closes" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        tunnel = status_json(cwd)["tunnels"][0]
        assert tunnel["alive"] and tunnel["pid"] == process.pid
        assert get(tunnel["forwards"][0]["local_port"], "/api/health") == b"true"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "tunnel fg closed (ctrl+c)" in out and "Traceback" not in err
    assert status_json(cwd)["tunnels"][0]["status"] == "stopped"
    assert tunnel_runs(cwd)[-1]["facts"]["tunnels"][0]["status"] == "stopped"


def test_down_of_an_unknown_label_says_which_exist(cwd):
    result = run_hotpass("net", "down", "--label", "nope", cwd=cwd)
    assert result.returncode == 12
    assert "there is no tunnel 'nope'" in result.stderr and "tunnels on record: none" in result.stderr


def test_net_down_from_another_shell_ends_a_foreground_tunnel_cleanly(sshd, stand_ins, cwd, tmp_path):
    args = net_up_args(sshd, stand_ins, sshd.known_hosts(tmp_path / "kh"), label="fgdown")
    env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db")}
    process = subprocess.Popen([sys.executable, "-m", "hotpass_tui.cli", *args], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while "ctrl+c closes" not in (line := process.stdout.readline()):
            assert line, process.stderr.read()
        down = run_hotpass("net", "down", "--label", "fgdown", cwd=cwd)
        assert down.returncode == 0, down.stderr
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0 and "tunnel fgdown closed (SIGTERM)" in out, err
    assert living("--label fgdown") == []


def test_net_without_an_action_shows_its_actions(cwd):
    result = run_hotpass("net", cwd=cwd)
    assert result.returncode == 2
    assert "up" in result.stderr and "status" in result.stderr and "down" in result.stderr


def test_an_encrypted_key_asks_for_its_passphrase_on_the_terminal_and_never_keeps_it(stand_ins, cwd, tmp_path):
    import pty
    import select as select_module

    passphrase = "correct-horse-battery"
    locked = keygen(tmp_path / "locked", passphrase=passphrase)
    bastion = start_sshd(tmp_path / "locked-bastion", client_key=locked)
    try:
        args = net_up_args(bastion, stand_ins, bastion.known_hosts(tmp_path / "kh"), "--detach", label="tty")
        args[args.index("--identity") + 1] = str(locked)
        env = {**os.environ, "HOTPASS_LEDGER": str(cwd / ".hotpass" / "ledger.db")}
        pid, terminal = pty.fork()
        if pid == 0:  # pragma: no cover - the child becomes the command, on a terminal of its own
            os.chdir(cwd)
            os.execve(sys.executable, [sys.executable, "-m", "hotpass_tui.cli", *args], env)
        seen, answered = b"", False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select_module.select([terminal], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(terminal, 4096)
                except OSError:
                    break  # the command ended and closed its terminal
                if not chunk:
                    break
                seen += chunk
            if not answered and b"passphrase for" in seen:
                os.write(terminal, passphrase.encode() + b"\n")
                answered = True
        _pid, status = os.waitpid(pid, 0)
        os.close(terminal)
        assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
        assert answered and b"tunnel tty up" in seen
        assert passphrase.encode() not in seen  # getpass does not echo it
        kept = [p.read_bytes() for p in (cwd / ".hotpass").rglob("*") if p.is_file()]
        assert kept and not any(passphrase.encode() in data for data in kept)  # ledger, state, logs
    finally:
        run_hotpass("net", "down", "--all", cwd=cwd)
        bastion.stop()
