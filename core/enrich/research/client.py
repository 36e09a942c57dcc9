"""The research HTTP client: bounded in every way a remote site could hold a run up.

Connect and read timeouts (and a deadline for a whole response, so a server that drips one byte at
a time is cut off too), retries with backoff after a connection error or a 5xx, a least interval
between two requests to one host, a response-size cap, redirects followed only within the site and
never in a loop, an identifying User-Agent, and a cache of answers under `.hotpass/cache/research/`.

`host_map` sends a host to another base URL, for tests only: its targets must be loopback addresses.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from core.enrich.settings import ResearchSettings

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
REDIRECTS = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # timeout | connect | http-500 | too-large | redirect-loop | off-site | cancelled …


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str = ""
    from_cache: bool = False
    location: str = ""  # of a redirect

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def parse_host_map(text: str) -> dict[str, str]:
    """'host=http://127.0.0.1:8123,other=http://127.0.0.1:8124' (HOTPASS_RESEARCH_HOST_MAP)."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        host, _, base = part.partition("=")
        if host and base:
            out[host.strip().lower()] = base.strip()
    return out


def same_site(a: str, b: str) -> bool:
    return a.lower().removeprefix("www.") == b.lower().removeprefix("www.")


class ResearchClient:
    def __init__(self, settings: ResearchSettings, cache_dir: Path | None, host_map: dict[str, str] | None = None,
                 cancel: threading.Event | None = None, timeout_cap_s: float | None = None) -> None:
        self.settings = settings
        self.cache_dir = cache_dir / "research" if cache_dir is not None and settings.cache_hours > 0 else None
        self.cancel = cancel or threading.Event()
        cap = timeout_cap_s or float("inf")
        self.connect_timeout = min(settings.connect_timeout_s, cap)
        self.read_timeout = min(settings.read_timeout_s, cap)
        self.host_map = {}
        for host, base in (host_map or {}).items():
            target = urlsplit(base)
            if target.hostname not in LOOPBACK:  # a test hook must never send research to a real host
                raise ValueError(f"host map target {base!r} is not a loopback address")
            self.host_map[host.lower().removeprefix("www.")] = base
        self._last_request: dict[str, float] = {}
        self.requests = 0  # that reached the network (not the cache)

    # -- public ----------------------------------------------------------------------------------
    def get(self, url: str) -> Response:
        cached = self._cached(url)
        if cached is not None:
            return cached
        seen = {url}
        current = url
        for _ in range(self.settings.max_redirects + 1):
            response = self._get_with_retries(current)
            if response.status not in REDIRECTS:
                if response.status in (200, 404, 410):
                    self._store(url, response)
                return Response(current, response.status, response.body, response.content_type)
            following = urljoin(current, response.location)
            if not same_site(urlsplit(following).hostname or "", urlsplit(url).hostname or ""):
                raise FetchError("off-site", f"redirected to {urlsplit(following).hostname}")
            if following in seen:
                raise FetchError("redirect-loop", f"after {len(seen)} redirects")
            seen.add(following)
            current = following
        raise FetchError("too-many-redirects", f"more than {self.settings.max_redirects}")

    # -- one request -------------------------------------------------------------------------
    def _get_with_retries(self, url: str) -> Response:
        wait = self.settings.backoff_s
        for attempt in range(self.settings.retries + 1):
            try:
                response = self._once(url)
            except FetchError as exc:
                if exc.kind != "connect" or attempt == self.settings.retries:
                    raise
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                if attempt == self.settings.retries:
                    raise FetchError(f"http-{response.status}", "the site answered with an error")
            self._sleep(wait)
            wait *= 2
        raise FetchError("connect", "no attempt was made")  # pragma: no cover - the loop always returns

    def _once(self, url: str) -> Response:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError("bad-url", url)
        scheme, target_host, port = parts.scheme or "https", host, parts.port
        mapped = self.host_map.get(host.removeprefix("www."))
        if mapped is not None:
            target = urlsplit(mapped)
            scheme, target_host, port = target.scheme, target.hostname, target.port
        self._respect_interval(host)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if scheme == "https":
            conn = http.client.HTTPSConnection(target_host, port, timeout=self.connect_timeout,
                                               context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(target_host, port, timeout=self.connect_timeout)
        self.requests += 1
        try:
            try:
                conn.connect()
            except (socket.timeout, TimeoutError):
                raise FetchError("timeout", "connecting") from None
            except OSError as exc:
                raise FetchError("connect", type(exc).__name__) from None
            conn.sock.settimeout(self.read_timeout)
            deadline = time.monotonic() + self.read_timeout
            conn.request("GET", path, headers={"Host": parts.netloc or host, "User-Agent": self.settings.user_agent,
                                               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                                               "Accept-Encoding": "identity", "Connection": "close"})
            resp = conn.getresponse()
            if resp.status in REDIRECTS:
                return Response(url, resp.status, b"", location=resp.getheader("Location", "") or "")
            declared = resp.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                raise FetchError("too-large", f"{int(declared):,} bytes declared")
            body = self._read_capped(resp, deadline)
            return Response(url, resp.status, body, resp.getheader("Content-Type", "") or "")
        except FetchError:
            raise
        except (socket.timeout, TimeoutError):
            raise FetchError("timeout", "reading") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError("connect", type(exc).__name__) from None
        except ValueError as exc:  # a host name IDNA cannot encode, a header http.client refuses
            raise FetchError("bad-url", type(exc).__name__) from None
        finally:
            conn.close()

    def _read_capped(self, resp: http.client.HTTPResponse, deadline: float) -> bytes:
        chunks, size = [], 0
        while True:
            if self.cancel.is_set():
                raise FetchError("cancelled")
            if time.monotonic() > deadline:
                raise FetchError("timeout", "the response took too long")
            chunk = resp.read1(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise FetchError("too-large", f"more than {self.settings.max_bytes:,} bytes")
            chunks.append(chunk)

    def _respect_interval(self, host: str) -> None:
        key = host.removeprefix("www.")
        last = self._last_request.get(key)
        if last is not None:
            self._sleep(self.settings.per_host_interval_s - (time.monotonic() - last))
        self._last_request[key] = time.monotonic()

    def _sleep(self, seconds: float) -> None:
        if seconds > 0 and self.cancel.wait(seconds):
            raise FetchError("cancelled")

    # -- cache -------------------------------------------------------------------------------
    def _cache_file(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(url.encode()).hexdigest() + ".json")

    def _cached(self, url: str) -> Response | None:
        path = self._cache_file(url)
        if path is None or not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if time.time() - float(entry["at"]) > self.settings.cache_hours * 3600:
                return None
            return Response(entry["url"], int(entry["status"]), entry["body"].encode("utf-8"),
                            entry.get("content_type", ""), from_cache=True)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _store(self, url: str, response: Response) -> None:
        path = self._cache_file(url)
        if path is None:
            return
        entry = {"url": response.url, "status": response.status, "at": time.time(),
                 "content_type": response.content_type, "body": response.text()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_suffix(".tmp")
            temp.write_text(json.dumps(entry), encoding="utf-8")
            temp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs a request next time
