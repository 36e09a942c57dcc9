"""Name keys (core/resolve/keys.py): the spellings one organisation gets in different workbooks
reduce to one key, and each key remembers what was taken away, in the workbook's own spelling."""

from __future__ import annotations

import pytest

from core.resolve import ResolutionSettings
from core.resolve.keys import NameKeyer


@pytest.fixture(scope="module")
def keyer() -> NameKeyer:
    return NameKeyer(ResolutionSettings())


def key(keyer: NameKeyer, name: str) -> str:
    return keyer.keys(name)[0].key


@pytest.mark.parametrize("spellings", [
    # legal forms, in every spelling workbooks use
    ["360 Aviation", "360 Aviation (pty) Ltd", "360 AVIATION PTY LTD", "360 Aviation Proprietary Limited",
     "360 Aviation (Pty) Ltd.", "360 Aviation P.T.Y. L.T.D.", "360 Aviation Pty Limited", "360 Aviation Limited"],
    ["Kestrel Motors", "Kestrel Motors CC", "Kestrel Motors cc", "Kestrel Motors C.C.",
     "Kestrel Motors Close Corporation", "KESTREL MOTORS, CC"],
    ["Acme", "Acme Inc", "Acme Inc.", "ACME, Inc.", "Acme Incorporated", "Acme Ltd", "Acme Corp"],
    # a misspelt legal form at the end still goes
    ["Acme Avionics", "Acme Avionics Propriietary Limited", "Acme Avionics Close Corpporation"],
    # a leading "The", also with a legal form behind
    ["Kloof Dental Studio", "The Kloof Dental Studio", "THE KLOOF DENTAL STUDIO (PTY) LTD"],
    # case, punctuation, spacing, accents
    ["Blue-Sky Air", "BLUE SKY AIR", "blue sky air", "  Blue   Sky  Air  ", "Blue Sky Air.", "Blüe Sky Air"],
    ["O'Brien Aviation", "OBrien Aviation", "O\u2019Brien Aviation"],
    # common abbreviations written out
    ["Acme International", "Acme Intl", "Acme Int'l"],
    ["Smith & Sons", "Smith and Sons", "SMITH&SONS"],
    ["Acme Medical Centre", "Acme Med. Ctr.", "Acme Medical Center", "Acme Med Centre"],
    ["SA Flyers", "S.A. Flyers", "South Africa Flyers"],
])
def test_spellings_of_one_name_share_one_key(keyer: NameKeyer, spellings: list[str]) -> None:
    keys = {name: key(keyer, name) for name in spellings}
    assert len(set(keys.values())) == 1, keys


def test_words_written_together_meet_through_the_compact_key(keyer: NameKeyer) -> None:
    assert keyer.keys("4 Aviators")[0].compact == keyer.keys("4Aviators")[0].compact == "4aviators"


@pytest.mark.parametrize("marker", ["t/a", "T/A", "t / a", "trading as", "Trading As"])
def test_trading_as_gives_the_trading_name_first_then_the_legal_name(keyer: NameKeyer, marker: str) -> None:
    keys = keyer.keys(f"Bevrick (Pty) Ltd {marker} Skyline Charters")
    assert [k.key for k in keys] == ["skyline charters", "bevrick"]
    assert keys[0].key == key(keyer, "Skyline Charters")
    assert keys[1].key == key(keyer, "Bevrick Proprietary Limited")


def test_trading_name_loses_its_own_article_and_legal_form(keyer: NameKeyer) -> None:
    keys = keyer.keys("Joc Air CC t/a The Propeller Shop (Pty) Ltd")
    assert [k.key for k in keys] == ["propeller shop", "joc air"]


@pytest.mark.parametrize("name, expected", [
    ("CC Motors", "cc motors"),          # a legal form at the start is part of the name
    ("CC Motors CC", "cc motors"),       # ... while the one at the end goes
    ("Limited Edition Flights", "limited edition flights"),
    ("Inc Aviation", "inc aviation"),
    ("The The", "the"),                  # the article goes once; what is left is the name
    ("Theatre Aviation", "theatre aviation"),  # "The" only as a whole word
    ("Pty", "pty"),                      # a name that is nothing but a legal form is kept
    ("Ltd", "ltd"),
])
def test_what_is_not_removed(keyer: NameKeyer, name: str, expected: str) -> None:
    assert key(keyer, name) == expected


def test_different_names_keep_different_keys(keyer: NameKeyer) -> None:
    names = ["CC Motors", "Motors", "Acme Air", "Acme", "Clinic 24", "Clinic 7", "North Star", "South Star"]
    assert len({key(keyer, n) for n in names}) == len(names)


def test_removed_parts_are_remembered_in_the_original_spelling(keyer: NameKeyer) -> None:
    assert keyer.keys("THE ACME (PTY) LTD")[0].removed == ("THE", "(PTY) LTD")
    assert keyer.keys("360 Aviation (pty) Ltd")[0].removed == ("(pty) Ltd",)
    assert keyer.keys("Bevrick t/a Acme")[0].removed == ("Bevrick t/a",)
    assert keyer.keys("Acme Intl")[0].expanded == ("intl",)
    assert keyer.keys("Acme Air")[0].removed == ()


def test_brackets_that_are_not_legal_forms_become_qualifiers(keyer: NameKeyer) -> None:
    lanseria = keyer.keys("Acme (Pty) Ltd (Lanseria)")[0]
    assert lanseria.key == "acme"
    assert lanseria.qualifiers == {"lanseria"}
    assert keyer.keys("Acme (Pty) Ltd")[0].qualifiers == frozenset()


def test_numbers_are_kept_apart(keyer: NameKeyer) -> None:
    assert keyer.keys("Clinic 24")[0].numbers == {"24"}
    assert keyer.keys("360 Aviation (Pty) Ltd")[0].numbers == {"360"}


def test_profile_lists_drive_the_keys() -> None:
    settings = ResolutionSettings(legal_forms=["GmbH"], leading_articles=["die"], abbreviations={"flg": "flug"},
                                  trading_as=["h/a"])
    keyer = NameKeyer(settings)
    assert key(keyer, "Die Adler Flg GmbH") == "adler flug"
    assert key(keyer, "Adler Ltd") == "adler ltd"  # not a legal form in this profile
    assert [k.key for k in keyer.keys("Bevrick h/a Adler")] == ["adler", "bevrick"]


def test_empty_names_give_no_key(keyer: NameKeyer) -> None:
    assert keyer.keys("") == ()
    assert keyer.keys("   ") == ()
    assert keyer.keys("()") == ()


@pytest.mark.parametrize("spelling", ["Wolmaransstad Farmers Co-op", "WOLMARANSSTAD FARMERS CO-OPERATIVE",
                                      "Wolmaransstad Farmers Co operative", "Wolmaransstad Farmers Coop",
                                      "Wolmaransstad Farmers Cooperative (Pty) Ltd", "wolmaransstad farmers co op",
                                      "Wolmaransstad Farmers Ko-op", "Wolmaransstad Farmers Koöperasie"])
def test_a_cooperative_is_one_word_however_it_is_written(keyer: NameKeyer, spelling: str) -> None:
    # "Co" written apart from its "op" is not "Company": the two halves are one word
    assert key(keyer, spelling) == "wolmaransstad farmers cooperative"


def test_co_on_its_own_is_still_company(keyer: NameKeyer) -> None:
    assert key(keyer, "Smith & Co") == "smith and company"
    assert key(keyer, "Smith & Co Operations") == "smith and company operations"


@pytest.mark.parametrize("spelling", ["Ezindeide Wool Growers NPC", "Ezindeide Wool Growers Non Profit Company",
                                      "Ezindeide Wool Growers Non-Profit Company", "Ezindeide Wool Growers N.P.C."])
def test_a_non_profit_company_written_out_is_a_legal_form(keyer: NameKeyer, spelling: str) -> None:
    assert key(keyer, spelling) == "ezindeide wool growers"
