"""Research providers: a small interface, and the built-in one that reads an organisation's own site.

The built-in provider asks robots.txt first, then reads the home page and, when something is still
missing, a contact page: schema.org Organization JSON-LD (telephone, email, contactPoint), then
`tel:` and `mailto:` links. It never visits a free-mail or directory host.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from core.enrich.research.client import FetchError, ResearchClient, same_site
from core.enrich.settings import ResearchSettings

FIELDS = ("contact_primary_phone", "contact_primary_email")
ORGANISATION_TYPES = ("Organization", "LocalBusiness", "Corporation", "EducationalOrganization", "School",
                      "MedicalOrganization", "NGO", "GovernmentOrganization", "Airline", "ProfessionalService")


@dataclass(frozen=True)
class OrgQuery:
    row: int
    name: str
    website: str
    wants: tuple[str, ...]  # empty Data columns the provider may fill


@dataclass
class Finding:
    status: str  # used | nothing found | blocked: robots.txt | error: <kind> | skipped: <why>
    values: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # column -> (value, kind, source url)


class ResearchProvider(Protocol):
    name: str

    def research(self, query: OrgQuery) -> Finding: ...


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.json_ld: list[str] = []
        self.tel: list[str] = []
        self.mailto: list[str] = []
        self.contact_links: list[str] = []
        self._in_ld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and values.get("type", "").lower().startswith("application/ld+json"):
            self._in_ld, self._buffer = True, []
        elif tag == "a":
            href = values.get("href", "").strip()
            lowered = href.lower()
            if lowered.startswith("tel:"):
                self.tel.append(unquote(href[4:]))
            elif lowered.startswith("mailto:"):
                self.mailto.append(unquote(href[7:]).split("?", 1)[0])
            elif "contact" in lowered:
                self.contact_links.append(href)

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.json_ld.append("".join(self._buffer))


def organisation_contacts(json_ld: list[str]) -> tuple[list[str], list[str]]:
    """Telephones and emails of every schema.org organisation in the page's JSON-LD blocks."""
    phones, emails = [], []

    def visit(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
            return
        if not isinstance(node, dict):
            return
        kinds = node.get("@type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
        if any(str(k) in ORGANISATION_TYPES for k in kinds):
            for key, out in (("telephone", phones), ("email", emails)):
                if isinstance(node.get(key), str):
                    out.append(node[key])
            points = node.get("contactPoint", [])
            for point in points if isinstance(points, list) else [points]:
                if isinstance(point, dict):
                    for key, out in (("telephone", phones), ("email", emails)):
                        if isinstance(point.get(key), str):
                            out.append(point[key])
        for key in ("@graph", "mainEntity", "publisher"):
            if key in node:
                visit(node[key])

    for block in json_ld:
        try:
            visit(json.loads(block))
        except ValueError:
            continue
    return phones, emails


class OwnWebsiteProvider:
    """Visits the organisation's own website only."""

    name = "own-website"

    def __init__(self, client: ResearchClient, settings: ResearchSettings, excluded_hosts: set[str], country: str) -> None:
        self.client, self.settings, self.excluded, self.country = client, settings, excluded_hosts, country
        self._robots: dict[str, RobotFileParser | FetchError] = {}

    def research(self, query: OrgQuery) -> Finding:
        from core.enrich.strategies import excluded_host

        parts = urlsplit(query.website if "://" in query.website else "https://" + query.website)
        host = parts.hostname or ""
        if not host or excluded_host(host, self.excluded):
            return Finding("skipped: not the organisation's own site")
        base = f"{parts.scheme or 'https'}://{parts.netloc}"
        home = query.website if "://" in query.website else base + "/"
        try:
            if not self._allowed(base, home):
                return Finding("blocked: robots.txt")
            values: dict[str, tuple[str, str, str]] = {}
            page = self.client.get(home)
            links = self._read(page, query.wants, values)
            if not all(w in values for w in query.wants):
                for candidate in self._contact_pages(base, page.url, links):
                    if not self._allowed(base, candidate):
                        continue
                    try:
                        contact = self.client.get(candidate)
                    except FetchError as exc:
                        if exc.kind in ("http-500", "timeout"):
                            raise
                        continue
                    if contact.status == 200:
                        self._read(contact, query.wants, values)
                        break
        except FetchError as exc:
            return Finding(f"error: {exc.kind}")
        if page.status != 200:
            return Finding(f"error: http-{page.status}")
        return Finding("used" if values else "nothing found", values)

    def _allowed(self, base: str, url: str) -> bool:
        robots = self._robots.get(base)
        if robots is None:
            parser = RobotFileParser()
            try:
                answer = self.client.get(base + "/robots.txt")
            except FetchError as exc:
                self._robots[base] = exc
                raise
            if answer.status == 200:
                parser.parse(answer.text().splitlines())
            elif answer.status >= 500:
                parser.disallow_all = True  # RFC 9309: an unreachable robots.txt means stay out
            else:
                parser.allow_all = True
            self._robots[base] = robots = parser
        if isinstance(robots, FetchError):
            raise robots
        return robots.can_fetch(self.settings.user_agent, url)

    def _read(self, page, wants: tuple[str, ...], values: dict) -> list[str]:
        if page.status != 200:
            return []
        parser = _PageParser()
        try:
            parser.feed(page.text())
            parser.close()
        except AssertionError:  # html.parser on badly broken markup
            pass
        ld_phones, ld_emails = organisation_contacts(parser.json_ld)
        for column, kind, candidates in (
            ("contact_primary_phone", "research-jsonld", ld_phones), ("contact_primary_email", "research-jsonld", ld_emails),
            ("contact_primary_phone", "research-links", parser.tel), ("contact_primary_email", "research-links", parser.mailto),
        ):
            if column in wants and column not in values:
                value = self._clean(column, candidates)
                if value:
                    values[column] = (value, kind, page.url)
        return parser.contact_links

    def _contact_pages(self, base: str, page_url: str, links: list[str]) -> list[str]:
        pages = [urljoin(page_url, href) for href in links]
        pages = [p for p in pages if same_site(urlsplit(p).hostname or "", urlsplit(base).hostname or "")]
        pages += [base + path for path in self.settings.contact_paths]
        return list(dict.fromkeys(p for p in pages if p.rstrip("/") != page_url.rstrip("/")))[:3]

    def _clean(self, column: str, candidates: list[str]) -> str | None:
        import pandas as pd

        from core.normalize import normalize_emails, normalize_phones

        if not candidates:
            return None
        series = pd.Series(candidates[:5], dtype=object)
        found = normalize_phones(series, self.country) if column.endswith("phone") else normalize_emails(series)
        for value in found.values:
            if isinstance(value, (tuple, list)) and value:
                return str(value[0])
        return None
