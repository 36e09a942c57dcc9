"""State files and the detached process the UI starts (`python -m core.net.daemon`), with a real sshd."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from core.errors import NetworkError
from core.net.manager import down, refuse_if_running, status, up_detached_spawn
from core.net.spec import build_spec
from core.net.state import TunnelState, process_alive, process_started, read_state, state_path, write_state
from tests.net_fixtures import free_port, needs_sshd


def a_state(label: str = "default", **changes) -> TunnelState:
    spec = build_spec("ssh-bastion", "bastion.example.org", label=label)
    return TunnelState(label, spec, "up", **changes)


def test_state_is_written_atomically_and_read_back(tmp_path: Path):
    path = state_path(tmp_path, "lab")
    stop = threading.Event()
    torn: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            if path.exists():
                try:
                    json.loads(path.read_text())
                except ValueError:
                    torn.append(path.read_text())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for count in range(100):
            write_state(path, a_state("lab", reconnects=count, warnings=["x" * 5000]))
    finally:
        stop.set()
        thread.join()
    assert torn == []
    assert read_state(path).reconnects == 99
    assert [p.name for p in path.parent.iterdir()] == ["lab.json"]  # no temporary file left beside it


def test_a_reused_pid_is_not_taken_for_the_tunnel(tmp_path: Path):
    me = os.getpid()
    assert process_alive(me, process_started(me))
    assert not process_alive(me, "1")  # same number, another start time: another process
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert not process_alive(finished.pid, None)


def test_down_of_a_tunnel_whose_process_died_marks_it_stopped(tmp_path: Path):
    write_state(state_path(tmp_path, "ghost"), a_state("ghost", pid=2 ** 22 - 1, pid_started="1"))
    [found] = status(tmp_path)
    assert not found.alive and found.words == "dead (its process is gone)"
    down(tmp_path, "ghost")
    assert read_state(state_path(tmp_path, "ghost")).status == "stopped"


@needs_sshd
def test_the_ui_path_spawns_a_process_that_forwards_and_ends_on_down(sshd, stand_ins, tmp_path: Path):
    prefect, marquez = stand_ins
    spec = build_spec("ssh-bastion", "127.0.0.1", ssh_port=sshd.port, user="root", identity=sshd.client_key,
                      known_hosts=sshd.known_hosts(tmp_path / "kh"), prefect_remote=prefect.target,
                      marquez_remote=marquez.target, prefect_port=free_port(), marquez_port=free_port(), label="ui")
    state = up_detached_spawn(spec, tmp_path / "state", tmp_path / "logs", cwd=tmp_path)
    try:
        assert state.pid != os.getpid() and process_alive(state.pid, state.pid_started)
        assert os.getsid(state.pid) == state.pid  # its own session: no terminal of ours to lose
        with urllib.request.urlopen(f"http://127.0.0.1:{state.ports['prefect']}/api/health", timeout=5) as answer:
            assert answer.read() == b"true"
        with pytest.raises(NetworkError, match="already up"):
            refuse_if_running(tmp_path / "state", "ui")
    finally:
        down(tmp_path / "state", "ui")
    assert not process_alive(state.pid, state.pid_started)
    assert read_state(state_path(tmp_path / "state", "ui")).status == "stopped"


@needs_sshd
def test_the_ui_path_reports_a_refusal_and_leaves_nothing(sshd, stand_ins, tmp_path: Path):
    spec = build_spec("ssh-bastion", "127.0.0.1", ssh_port=sshd.port, user="root", identity=sshd.client_key,
                      known_hosts=tmp_path / "empty_known_hosts", label="refused")
    with pytest.raises(NetworkError, match="is not known"):
        up_detached_spawn(spec, tmp_path / "state", tmp_path / "logs", cwd=tmp_path)
    assert not state_path(tmp_path / "state", "refused").exists()
