"""Websites: one `https://host/path` spelling per site; things that are not websites reported."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import normalize_websites, website_domain


def sites(*cells: object) -> list[object]:
    return normalize_websites(pd.Series(cells, dtype=object)).values.tolist()


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("example.co.za", "https://example.co.za"),
        ("www.example.co.za", "https://example.co.za"),
        ("http://www.Example.CO.ZA/", "https://example.co.za"),
        ("HTTPS://WWW.EXAMPLE.COM", "https://example.com"),
        ("www.example.com/about/", "https://example.com/about"),
        ("https://example.com/About-Us", "https://example.com/About-Us"),  # path keeps its case
        ("  example.com  ", "https://example.com"),
        ("http//example.com", "https://example.com"),
        ("example.com/contact.", "https://example.com/contact"),
        ("example.com:443/", "https://example.com"),
        ("example.com:8080/shop/", "https://example.com:8080/shop"),
        ("https://example.com/#contact", "https://example.com"),
    ],
)
def test_spellings_reach_one_form(cell: str, expected: str) -> None:
    assert sites(cell) == [expected]


def test_tracking_parameters_dropped_other_query_kept() -> None:
    cell = "https://example.com/shop/?utm_source=mail&id=7&UTM_Campaign=x&fbclid=abc"
    assert sites(cell) == ["https://example.com/shop?id=7"]


def test_only_tracking_query_leaves_no_question_mark() -> None:
    assert sites("example.com/?utm_source=flyer") == ["https://example.com"]


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("n/a", "host name"),
        ("localhost", "host name"),
        ("example", "host name"),
        ("exa mple.com", "spaces"),
        ("www.example.com www.other.com", "spaces"),
        ("info@example.com", "email"),
        ("mailto:info@example.com", "email"),
        ("ftp://files.example.com", "http"),
        ("192.168.0.10", "host name"),
    ],
)
def test_non_websites_become_na_and_are_reported(cell: str, why: str) -> None:
    result = normalize_websites(pd.Series([cell], index=["r9"]))
    assert result.values.isna().all()
    [bad] = result.invalid
    assert (bad.index, bad.raw) == ("r9", cell)
    assert why in bad.reason


def test_empty_cells_are_na_and_not_reported() -> None:
    result = normalize_websites(pd.Series([None, "", " ", "-"], dtype=object))
    assert result.values.isna().all()
    assert result.invalid == []


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Example.co.za/about", "example.co.za"),
        ("example.com", "example.com"),
        ("http://shop.example.com:8080/x", "shop.example.com"),
        ("", ""),
        (None, ""),
    ],
)
def test_website_domain(url: str | None, domain: str) -> None:
    assert website_domain(url) == domain


_label = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=8)
_url_like = st.builds(
    lambda scheme, www, labels, tld, path, query: (
        f"{scheme}{www}{'.'.join(labels)}.{tld}{path}{query}"
    ),
    st.sampled_from(["", "http://", "https://", "HTTP://", "http//"]),
    st.sampled_from(["", "www.", "WWW.", "www.www."]),
    st.lists(_label, min_size=1, max_size=3),
    st.sampled_from(["com", "co.za", "ORG", "africa"]),
    st.sampled_from(["", "/", "/about/", "/a/b.html", "/x/./", "/Shop;"]),
    st.sampled_from(["", "?utm_source=x", "?id=1&utm_medium=y", "?a=;&", "#top"]),
)


@given(st.one_of(_url_like, st.text(max_size=30)))
def test_normalising_twice_equals_normalising_once(cell: str) -> None:
    [once] = sites(cell)
    if isinstance(once, str):
        assert sites(once) == [once]
        assert website_domain(once) == website_domain(cell)
