"""The `enrichment:` section of a profile: which local tables to read and how research behaves."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

# Hosts that list organisations rather than being one: a website derived from an email there, or
# researched there, would describe the directory. Free-mail hosts come from `resolution`.
DIRECTORY_DEFAULT = [
    "facebook.com", "linkedin.com", "instagram.com", "twitter.com", "x.com", "youtube.com", "tiktok.com",
    "google.com", "sites.google.com", "wixsite.com", "business.site", "yellowpages.co.za", "brabys.com",
    "cylex.co.za", "snupit.co.za", "hotfrog.co.za", "sa-businessindex.co.za", "yelp.com",
    "tripadvisor.com", "wikipedia.org", "aviationdirectory.co.za", "flightschoolsdirectory.com",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LookupTable(_Strict):
    """A local table or registry snapshot the operator keeps: CSV, XLSX or Parquet."""

    path: Path = Field(description="relative to the workspace folder, or absolute")
    label: str = Field(description="how provenance names this source")
    confidence: float = Field(0.85, ge=0, le=1, description="confidence of a value taken from it")
    fields: list[str] = Field(default_factory=list, description="Data columns it may fill; empty: every one it has")


class ResearchSettings(_Strict):
    """The built-in research provider's manners: it visits an organisation's own site, slowly."""

    user_agent: str = "Hotpass-enrich/1.0 (+contact-data research; honours robots.txt)"
    connect_timeout_s: float = Field(5.0, gt=0)
    read_timeout_s: float = Field(10.0, gt=0, description="between bytes, and for a whole response")
    retries: int = Field(2, ge=0, description="after a connection error or a 5xx answer")
    backoff_s: float = Field(0.5, ge=0, description="first wait before a retry; doubles each time")
    per_host_interval_s: float = Field(1.0, ge=0, description="least time between two requests to one host")
    max_bytes: int = Field(2_000_000, ge=1024, description="a larger response is refused")
    max_redirects: int = Field(5, ge=0)
    cache_hours: float = Field(72.0, ge=0, description="0 turns the cache off")
    contact_paths: list[str] = Field(default_factory=lambda: ["/contact", "/contact-us"])
    max_organisations: int = Field(500, ge=0, description="rows researched per run at most")


class EnrichmentSettings(_Strict):
    lookups: list[LookupTable] = Field(default_factory=list)
    registration_column: str = Field("registration_number",
                                      description="Data column matched against a table's registration number")
    directory_domains: list[str] = Field(default_factory=lambda: list(DIRECTORY_DEFAULT))
    confidence: dict[str, float] = Field(default_factory=dict, description="strategy -> confidence, over the defaults")
    research: ResearchSettings = Field(default_factory=ResearchSettings)
