"""Enrich's derived strategies on whole columns: what they fill, and what they refuse to guess."""

from __future__ import annotations

import pandas as pd
import pytest

from core.enrich.engine import excluded_hosts
from core.enrich.strategies import (primary_from_secondary, province_from_area_code, province_from_text,
                                    website_from_email)
from core.enrich.towns import TOWNS_PATH, za_towns
from core.profiles import load_profile


@pytest.fixture(scope="module")
def profile():
    return load_profile("generic")


def frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns, dtype=object)


def test_website_from_an_own_domain_never_free_mail_a_directory_or_a_shared_domain(profile) -> None:
    data = frame(website=[None, None, None, None, None, "https://chain.co.za", None],
                 contact_primary_email=["a@Acme.co.za", "b@gmail.com", "c@mail.yahoo.com", "d@chain.co.za",
                                        "e@chain.co.za", "f@chain.co.za", "g@listings.yellowpages.co.za"],
                 contact_secondary_emails=[None, "k@own-site.co.za", None, None, None, None, None])
    values = website_from_email(data, profile, excluded_hosts(profile)).values
    assert values.to_dict() == {0: "https://acme.co.za", 1: "https://own-site.co.za"}


def test_province_named_in_the_address_then_a_town_and_never_when_two_provinces_are_named(profile) -> None:
    data = frame(province=[None, None, None, "Gauteng"],
                 address_primary=["Unit 4, Airfield Rd, KZN", "Hangar 2, Lanseria", "Durban and Cape Town", "Oudtshoorn"],
                 area=[None, None, None, None])
    named, towns = province_from_text(data, profile)
    assert named.values.to_dict() == {0: "KwaZulu-Natal"}
    assert towns.values.to_dict() == {1: "Gauteng"}  # row 2 names two provinces, row 3 has one already


def test_province_from_a_landline_area_code_but_not_a_mobile_or_a_shared_code(profile) -> None:
    data = frame(province=[None, None, None, None],
                 contact_primary_phone=["+27215550101", "+27825550101", "+27145550101", None],
                 contact_secondary_phones=[None, None, None, "+27315550101; +27115550101"])
    values = province_from_area_code(data, profile).values
    assert values.to_dict() == {0: "Western Cape", 3: "KwaZulu-Natal"}  # 014 lies in two provinces


def test_an_empty_primary_takes_the_first_secondary(profile) -> None:
    data = frame(contact_primary_email=[None, "x@a.co.za"], contact_secondary_emails=["y@b.co.za; z@b.co.za", "w@a.co.za"],
                 contact_primary_phone=[None, None], contact_secondary_phones=[None, "+27115550100"])
    email, phone = primary_from_secondary(data, profile)
    assert email.values.dropna().to_dict() == {0: "y@b.co.za", 1: "w@a.co.za"}  # the filler writes empty cells only
    assert phone.values.dropna().to_dict() == {1: "+27115550100"}


def test_the_towns_table_names_its_source_and_every_province_is_canonical(profile) -> None:
    head = TOWNS_PATH.read_text(encoding="utf-8").splitlines()[:6]
    assert any("Source:" in line for line in head)
    assert set(za_towns().values()) <= set(profile.provinces.canonical)
