"""Emails: trimmed, lower-cased, split, syntax-checked; bad ones reported with a reason."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.normalize import email_domain, normalize_emails


def emails(*cells: object) -> list[tuple[str, ...]]:
    return normalize_emails(pd.Series(cells, dtype=object)).values.tolist()


@pytest.mark.parametrize(
    "cell",
    [
        "info@example.co.za",
        "  Info@Example.CO.ZA  ",
        "mailto:info@example.co.za",
        "MAILTO:Info@example.co.za?subject=Quote",
        "<info@example.co.za>",
        "Sales Desk <info@example.co.za>",
        "info@example.co.za.",  # full stop from the end of a sentence
    ],
)
def test_one_address_in_many_spellings(cell: str) -> None:
    assert emails(cell) == [("info@example.co.za",)]


@pytest.mark.parametrize("sep", ["; ", ",", " / ", " ", "\n", ";\n"])
def test_several_addresses_per_cell_are_split_in_order(sep: str) -> None:
    cell = f"sales@example.co.za{sep}Accounts@Example.co.za"
    assert emails(cell) == [("sales@example.co.za", "accounts@example.co.za")]


def test_duplicates_within_a_cell_are_kept_once() -> None:
    assert emails("a@example.com; A@EXAMPLE.COM") == [("a@example.com",)]


def test_empty_cells_give_empty_tuples_and_no_reports() -> None:
    result = normalize_emails(pd.Series([None, pd.NA, "", " ", "-"], dtype=object))
    assert result.values.tolist() == [()] * 5
    assert result.invalid == []


@pytest.mark.parametrize(
    "cell",
    ["jan@", "@example.com", "jan@@example.com", "jan..smit@example.com", "jan@example"],
)
def test_bad_syntax_is_reported_with_the_library_reason(cell: str) -> None:
    result = normalize_emails(pd.Series([cell], index=["r1"]))
    assert result.values.tolist() == [()]
    [bad] = result.invalid
    assert (bad.index, bad.raw) == ("r1", cell)
    assert bad.reason and cell not in bad.reason


def test_text_without_an_at_sign_is_reported_as_a_whole() -> None:
    result = normalize_emails(pd.Series(["n/a", "jan(at)example.com"]))
    assert [(i.index, i.raw) for i in result.invalid] == [(0, "n/a"), (1, "jan(at)example.com")]


def test_a_bad_address_beside_a_good_one_keeps_the_good_one() -> None:
    result = normalize_emails(pd.Series(["jan@example.com; piet@"]))
    assert result.values.tolist() == [("jan@example.com",)]
    assert [i.raw for i in result.invalid] == ["piet@"]


def test_reason_does_not_repeat_the_address() -> None:
    # The library quotes a reserved domain back; it must not leak into the reason text.
    result = normalize_emails(pd.Series(["someone@example.invalid"]))
    [bad] = result.invalid
    assert "someone" not in bad.reason and "example.invalid" not in bad.reason


def test_email_domain() -> None:
    assert email_domain("Jan@Example.CO.ZA") == "example.co.za"
    assert email_domain("no-at-sign") == ""
    assert email_domain(None) == ""


_addresses = st.emails().map(lambda a: a if len(a) < 60 else "x@example.com")


@given(st.lists(_addresses, min_size=1, max_size=3), st.sampled_from(["; ", ", ", " / ", "\n"]))
def test_normalising_the_output_again_changes_nothing(addresses: list[str], sep: str) -> None:
    once = emails(sep.join(addresses))[0]
    assert emails("; ".join(once)) == [once]


@given(st.text(max_size=40))
def test_every_output_address_re_normalises_to_itself(cell: str) -> None:
    for address in emails(cell)[0]:
        assert emails(address) == [(address,)]
