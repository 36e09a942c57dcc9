"""How fast `hotpass net up --detach` reaches a forwarding tunnel on loopback, measured from outside.

A real sshd on 127.0.0.1 is the bastion and a real HTTP server stands behind it. Each round starts
the real command, polls the forwarded port until an HTTP request comes back through the bastion,
and waits for the command with wait4 (wall, CPU, peak RSS); then `net down` ends the tunnel.
Printed: time to the first answered request, time to the command's exit, and, in-process, the SSH
part alone (connect, host key, login, forward check), so start-up and handshake can be told apart.

    .venv/bin/python tests/bench/bench_tunnel.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.net_fixtures import StandIn, free_port, start_sshd  # noqa: E402

GOAL_S = 1.0


def answered(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=0.5) as response:
            return response.read() == b"true"
    except OSError:
        return False


def one_round(sshd, prefect, marquez, known_hosts: Path, workspace: Path) -> dict[str, float]:
    port = free_port()
    argv = [sys.executable, "-m", "hotpass_tui.cli", "net", "up", "--via", "ssh-bastion", "--host", "127.0.0.1",
            "--ssh-port", str(sshd.port), "--user", "root", "--identity", str(sshd.client_key),
            "--known-hosts", str(known_hosts), "--prefect-remote", prefect.target, "--marquez-remote",
            marquez.target, "--prefect-port", str(port), "--marquez-port", str(free_port()), "--detach"]
    env = {**os.environ, "HOTPASS_LEDGER": str(workspace / ".hotpass" / "ledger.db")}
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=workspace, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    forwarding = None
    while forwarding is None:
        if answered(port):
            forwarding = time.perf_counter() - started
        elif process.poll() is not None and process.returncode != 0:
            raise SystemExit(f"net up failed: {process.stderr.read().decode()}")
        else:
            time.sleep(0.005)
    _pid, status, usage = os.wait4(process.pid, 0)
    exited = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"net up exited {os.waitstatus_to_exitcode(status)}: {process.stderr.read().decode()}")
    subprocess.run([sys.executable, "-m", "hotpass_tui.cli", "net", "down", "--all"], cwd=workspace, env=env,
                   capture_output=True, check=True)
    return {"forwarding": forwarding, "exited": exited, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024}


def ssh_part(sshd, prefect, marquez, known_hosts: Path) -> float:
    import paramiko  # noqa: F401 - imported before the clock starts: this measures the handshake only

    from core.net.forwarder import Tunnel
    from core.net.spec import build_spec

    spec = build_spec("ssh-bastion", "127.0.0.1", ssh_port=sshd.port, user="root", identity=sshd.client_key,
                      known_hosts=known_hosts, prefect_remote=prefect.target, marquez_remote=marquez.target,
                      prefect_port=free_port(), marquez_port=free_port())
    started = time.perf_counter()
    tunnel = Tunnel(spec)
    tunnel.open()
    took = time.perf_counter() - started
    tunnel.close()
    return took


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    folder = Path(tempfile.mkdtemp(prefix="bench-tunnel-"))
    sshd = start_sshd(folder / "bastion")
    prefect, marquez = StandIn("prefect"), StandIn("marquez")
    try:
        known_hosts = sshd.known_hosts(folder / "known_hosts")
        workspace = folder / "workspace"
        workspace.mkdir()
        results = [one_round(sshd, prefect, marquez, known_hosts, workspace) for _ in range(rounds)]
        handshakes = [ssh_part(sshd, prefect, marquez, known_hosts) for _ in range(rounds)]
    finally:
        prefect.close()
        marquez.close()
        sshd.stop()
    with open("/proc/loadavg") as handle:
        load = handle.read().split()[0]
    print(f"net up --detach on loopback, {rounds} rounds (load average {load}, {os.cpu_count()} cores)")
    for key, label in (("forwarding", "first request answered through the tunnel"),
                       ("exited", "command exited (tunnel recorded in the ledger)")):
        values = [r[key] for r in results]
        print(f"  {label:48} median {statistics.median(values):.3f} s  min {min(values):.3f}  max {max(values):.3f}")
    print(f"  {'command CPU (user+sys)':48} median {statistics.median(r['cpu'] for r in results):.3f} s")
    print(f"  {'command peak RSS':48} median {statistics.median(r['rss_mb'] for r in results):.0f} MB")
    print(f"  {'SSH part in-process (connect..forward check)':48} median {statistics.median(handshakes):.3f} s  "
          f"min {min(handshakes):.3f}")
    best = min(r["forwarding"] for r in results)
    print(f"goal: forwarding in under {GOAL_S:.1f} s: {'met' if best < GOAL_S else 'NOT met'} "
          f"(best {best:.3f} s, median {statistics.median(r['forwarding'] for r in results):.3f} s)")


if __name__ == "__main__":
    main()
