"""Whether a forward carries traffic: one HTTP request through it, timed. Only 127.0.0.1 is asked."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from core.errors import NetworkError

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Probe:
    name: str  # prefect | marquez
    url: str
    ok: bool
    http_status: int | None = None
    rtt_ms: float | None = None
    error: str | None = None

    def words(self) -> str:
        if self.ok:
            return f"answers ({self.http_status}, {self.rtt_ms:.0f} ms)"
        return f"no answer ({self.error})"


def _request(port: int, path: str, body: dict | None, timeout: float) -> tuple[int, bytes, float]:
    url = f"http://{LOOPBACK}:{port}{path}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json", "Accept": "application/json",
                                              "User-Agent": "hotpass-net-status"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
        payload = response.read(1 << 20)
        return response.status, payload, (time.perf_counter() - started) * 1000


def probe(name: str, port: int | None, path: str, timeout: float = 2.0) -> Probe:
    url = f"http://{LOOPBACK}:{port}{path}"
    if not port:
        return Probe(name, url, False, error="no local port")
    started = time.perf_counter()
    try:
        status, _body, rtt = _request(port, path, None, timeout)
    except urllib.error.HTTPError as exc:
        return Probe(name, url, False, exc.code, (time.perf_counter() - started) * 1000, f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Probe(name, url, False, error=str(reason) or type(exc).__name__)
    return Probe(name, url, 200 <= status < 300, status, rtt, None if status < 300 else f"HTTP {status}")


@dataclass(frozen=True)
class FlowRun:
    name: str
    flow: str
    state: str
    started: str | None


def prefect_flow_runs(port: int, limit: int = 8, timeout: float = 3.0) -> list[FlowRun]:
    """Prefect's newest flow runs, through the forward (POST /api/flow_runs/filter)."""
    try:
        _status, body, _rtt = _request(port, "/api/flow_runs/filter", {"limit": limit, "sort": "START_TIME_DESC"},
                                       timeout)
        runs: list[dict[str, Any]] = json.loads(body)
        flow_ids = sorted({run.get("flow_id") for run in runs if run.get("flow_id")})
        names: dict[str, str] = {}
        if flow_ids:
            _status, body, _rtt = _request(port, "/api/flows/filter",
                                           {"flows": {"id": {"any_": flow_ids}}, "limit": len(flow_ids)}, timeout)
            names = {flow.get("id"): flow.get("name", "") for flow in json.loads(body)}
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise NetworkError(f"Prefect did not list its flow runs through 127.0.0.1:{port}: "
                           f"{getattr(exc, 'reason', exc)}", file=f"127.0.0.1:{port}",
                           hint="hotpass net status shows whether the tunnel is up") from exc
    return [FlowRun(run.get("name", ""), names.get(run.get("flow_id"), ""),
                    run.get("state_name") or (run.get("state") or {}).get("name") or "", run.get("start_time"))
            for run in runs]
