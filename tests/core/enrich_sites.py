"""A real HTTP server on 127.0.0.1 that plays organisations' websites, chosen by the Host header.

Hosts are `<site>.hotpass-test.co.za`; the research client reaches them through its host map, so no
test ever resolves or visits a real host. `requests` records (host, path) of every request served.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DOMAIN = "hotpass-test.co.za"
SITES = ("good", "links", "nothing", "robots", "slow", "error", "huge", "loop", "declared")
GOOD_PHONE = "+27215550101"
LINKS_PHONE = "+27115550102"
LINKS_EMAIL = "hello@links.hotpass-test.co.za"

JSON_LD = {"@context": "https://schema.org", "@type": "Organization", "name": "Good Flight School",
           "telephone": "+27 21 555 0101", "email": "info@good.hotpass-test.co.za"}


def host(site: str) -> str:
    return f"{site}.{DOMAIN}"


class _Handler(BaseHTTPRequestHandler):
    server_version = "HotpassTestSite/1.0"

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        site = (self.headers.get("Host") or "").split(".", 1)[0]
        self.server.requests.append((site, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            rules = "User-agent: *\nDisallow: /\n" if site == "robots" else "User-agent: *\nAllow: /\n"
            return self._send(200, rules, "text/plain")
        handler = getattr(self, f"_site_{site}", None)
        if handler is None:
            return self._send(404, "no such site")
        handler()

    def _send(self, status: int, body: str, kind: str = "text/html", headers: dict | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:
            pass

    def _site_good(self) -> None:
        page = f'<html><head><script type="application/ld+json">{json.dumps(JSON_LD)}</script></head><body>Welcome</body></html>'
        self._send(200, page)

    def _site_links(self) -> None:
        if self.path.startswith("/contact"):
            return self._send(200, f'<p>Write to <a href="mailto:{LINKS_EMAIL}">us</a></p>')
        self._send(200, f'<a href="tel:{LINKS_PHONE}">Call</a> <a href="/contact-us">Contact us</a>')

    def _site_nothing(self) -> None:
        self._send(200, "<html><body>Under construction</body></html>")

    def _site_robots(self) -> None:
        self._send(200, f'<script type="application/ld+json">{json.dumps(JSON_LD)}</script>')

    def _site_slow(self) -> None:
        time.sleep(3)
        self._send(200, f'<script type="application/ld+json">{json.dumps(JSON_LD)}</script>')

    def _site_error(self) -> None:
        self._send(500, "broken")

    def _site_huge(self) -> None:  # 50 MB with no Content-Length: only the client's cap stops it
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        block = b"<p>" + b"x" * 65536 + b"</p>"
        try:
            for _ in range(50 * 1024 * 1024 // len(block)):
                self.wfile.write(block)
        except OSError:
            pass
        self.close_connection = True

    def _site_declared(self) -> None:  # says 50 MB up front
        self.send_response(200)
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        self.close_connection = True

    def _site_loop(self) -> None:
        target = "/b" if self.path != "/b" else "/"
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()


class SiteServer:
    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def requests(self) -> list[tuple[str, str, str]]:
        return self.httpd.requests

    def host_map(self) -> dict[str, str]:
        return {host(site): self.base for site in SITES}

    def host_map_env(self) -> str:
        return ",".join(f"{h}={b}" for h, b in self.host_map().items())

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
