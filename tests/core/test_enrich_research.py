"""The research client and the own-website provider against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from core.enrich.research.client import FetchError, ResearchClient
from core.enrich.research.provider import OrgQuery, OwnWebsiteProvider
from core.enrich.settings import DIRECTORY_DEFAULT, ResearchSettings
from tests.core.enrich_sites import GOOD_PHONE, LINKS_EMAIL, LINKS_PHONE, SiteServer, host

WANTS = ("contact_primary_phone", "contact_primary_email")
FAST = ResearchSettings(connect_timeout_s=1, read_timeout_s=0.5, retries=2, backoff_s=0.01, per_host_interval_s=0,
                        max_bytes=200_000, cache_hours=0)


@pytest.fixture(scope="module")
def sites():
    with SiteServer() as server:
        yield server


def provider(sites: SiteServer, settings: ResearchSettings = FAST, cache_dir=None) -> OwnWebsiteProvider:
    client = ResearchClient(settings, cache_dir, sites.host_map())
    return OwnWebsiteProvider(client, settings, set(DIRECTORY_DEFAULT) | {"gmail.com"}, "ZA")


def research(sites: SiteServer, site: str, **kwargs):
    return provider(sites, **kwargs).research(OrgQuery(0, site, f"https://{host(site)}", WANTS))


def test_json_ld_gives_the_phone_and_email(sites) -> None:
    finding = research(sites, "good")
    assert finding.status == "used"
    assert finding.values["contact_primary_phone"][:2] == (GOOD_PHONE, "research-jsonld")
    assert finding.values["contact_primary_email"][0] == "info@good.hotpass-test.co.za"


def test_without_json_ld_tel_and_mailto_links_on_the_home_and_contact_page(sites) -> None:
    finding = research(sites, "links")
    assert finding.values["contact_primary_phone"][:2] == (LINKS_PHONE, "research-links")
    assert finding.values["contact_primary_email"][0] == LINKS_EMAIL
    assert ("links", "/contact-us") in [(s, p) for s, p, _ in sites.requests]


def test_a_page_without_contacts_is_nothing_found(sites) -> None:
    assert research(sites, "nothing").status == "nothing found"


def test_robots_disallow_is_respected_and_the_page_never_fetched(sites) -> None:
    finding = research(sites, "robots")
    assert finding.status == "blocked: robots.txt"
    assert finding.values == {}
    assert [p for s, p, _ in sites.requests if s == "robots"] == ["/robots.txt"]


def test_every_request_names_hotpass_in_its_user_agent(sites) -> None:
    research(sites, "good")
    assert all(agent == FAST.user_agent for _, _, agent in sites.requests)


@pytest.mark.parametrize("site, status", [("slow", "error: timeout"), ("error", "error: http-500"),
                                           ("huge", "error: too-large"), ("declared", "error: too-large"),
                                           ("loop", "error: redirect-loop")])
def test_a_bad_site_is_bounded_and_reported(sites, site: str, status: str) -> None:
    started = time.monotonic()
    finding = research(sites, site)
    assert finding.status == status
    assert time.monotonic() - started < 3  # the slow site answers after 3 s; the read timeout is 0.5 s


def test_a_500_is_retried_with_backoff(sites) -> None:
    before = len([1 for s, p, _ in sites.requests if s == "error" and p == "/"])
    research(sites, "error")
    after = len([1 for s, p, _ in sites.requests if s == "error" and p == "/"])
    assert after - before == FAST.retries + 1


def test_a_directory_or_free_mail_site_is_never_visited(sites) -> None:
    count = len(sites.requests)
    for website in ("https://www.facebook.com/goodflight", "https://gmail.com"):
        finding = provider(sites).research(OrgQuery(0, "x", website, WANTS))
        assert finding.status.startswith("skipped")
    assert len(sites.requests) == count


def test_the_per_host_interval_spaces_requests(sites) -> None:
    slow = FAST.model_copy(update={"per_host_interval_s": 0.3})
    started = time.monotonic()
    research(sites, "good", settings=slow)  # robots.txt, then the home page
    assert time.monotonic() - started >= 0.3


def test_answers_are_cached_under_the_cache_folder(sites, tmp_path) -> None:
    cached = FAST.model_copy(update={"cache_hours": 1})
    research(sites, "good", settings=cached, cache_dir=tmp_path)
    count = len(sites.requests)
    again = research(sites, "good", settings=cached, cache_dir=tmp_path)
    assert again.status == "used"
    assert len(sites.requests) == count
    assert list((tmp_path / "research").glob("*.json"))


def test_the_host_map_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError):
        ResearchClient(FAST, None, {"good.example.co.za": "http://203.0.113.5:80"})


def test_a_closed_port_is_a_connect_error_after_the_retries() -> None:
    client = ResearchClient(FAST, None, {"gone.hotpass-test.co.za": "http://127.0.0.1:9"})
    with pytest.raises(FetchError) as caught:
        client.get("https://gone.hotpass-test.co.za/")
    assert caught.value.kind == "connect"
