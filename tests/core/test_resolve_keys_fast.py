"""The name keyer's shortcuts (core/resolve/keys.py) change nothing: for ASCII names it skips the
trading-as and legal-form regexes when a substring test says they cannot match, and splits words
with one str.translate. Every key of every name below, generated spellings and awkward ones, must
equal the key the plain steps give (the same keyer with `_guarded` off)."""

from __future__ import annotations

import marshal
import pickle
import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.resolve import ResolutionSettings
from core.resolve.keys import _WORDISH, NameKey, NameKeyer
from tests.generators.messy_case import SECTORS, _organisations, _spelling

AWKWARD = [
    "Acme (Pty) Ltd", "ACME PTY LTD", "Acme P.T.Y. L.T.D.", "Acme (Pty)Ltd", "Acme PtyLtd", "Acme,Pty,Ltd",
    "Acme\tPty\nLtd", "Acme\x1cLtd", "CC Motors", "CC", "(Pty) Ltd", "Pty Ltd", "The", "The (Pty) Ltd", "()",
    "(Lanseria)", "Acme (Lanseria) [North]", "Acme [Pty] Ltd", "Acme (Pty Ltd", "Acme Pty) Ltd", "Acme ) (",
    "Bevrick (Pty) Ltd t/a Skyline", "Bevrick T/A Skyline", "Bevrick t / a Skyline", "Bevrick t.a. Skyline",
    "Bevrick TRADING AS Skyline", "Bevrick t/aSkyline", "t/a Skyline", "Bevrick t/a", "Skyline, a division of Bevrick",
    "Skyline a Division Of Bevrick", "Skyline, A SUBSIDIARY OF Bevrick CC", "Med. Ctr.", "Acme Med.Ctr", "S.A. Flyers",
    "O'Brien & Sons", "O\u2019Brien & Sons", "Smith&Sons", "A&B", "&", "& Co", "Acme_Air", "Acme__Air",
    "Acme-Air", "Acme/Air", "Acme Intl", "Int'l Acme", "Clinic 24", "24/7 Clinic", "Clinic \u0662\u0664",
    "Clinic \u00b2", "Caf\u00e9 Ltd", "CAF\u00c9 LTD", "Bl\u00fce Sky", "\u0130stanbul Kebab Ltd", "Istanbul Kebab \u0130nc",
    "L\u0131mited Kebab", "\uff21\uff23\uff2d\uff25 \uff2c\uff54\uff44", "Acme \u2024 Ltd", "Acme Propriietary Limited",
    "Acme Close Corpporation", "Acme Corporate", "Associated Accountants", "Province Inc.", "Soccer Club SOC Ltd",
    "Acme Gmbh", "Acme B.V.", "Acme L.L.C.", "Acme NPC", "Acme Co. Ltd.", "Acme Pvt Ltd", "Acme Private Limited",
    "   spaced   out   name   ", "Acme.", "Acme..Air", "x", "9", "The The", "the acme", "THE  ACME", "Theacme",
    "Acme `Air`", "Acme 'Air'", "Acme's Air", "Tr\u00e4ding as Acme", "Acme tr\u00e4ding as Beta",
]


def _generated(count: int) -> list[str]:
    rng = random.Random(11)
    kinds = [k for s in sorted(SECTORS) for k in SECTORS[s]]
    names: list[str] = []
    for org in _organisations(rng, kinds):
        names += [_spelling(org, rng, []) for _ in range(3)]
        if len(names) >= count:
            return names
    return names


def _variants(names: list[str]) -> list[str]:
    out = []
    for i, name in enumerate(names):
        out.append(name)
        if i % 7 == 0:
            out.append(name.upper())
        if i % 11 == 0:
            out.append(name.replace("a", "\u00e1", 1))
        if i % 13 == 0 and " " in name:
            out.append(name.replace(" ", " t/a ", 1))
        if i % 17 == 0:
            out.append(f"{name} (Pty) Ltd")
    return out


@pytest.fixture(scope="module")
def keyers() -> tuple[NameKeyer, NameKeyer]:
    fast, plain = NameKeyer(ResolutionSettings()), NameKeyer(ResolutionSettings())
    assert fast._guarded
    plain._guarded = False
    return fast, plain


def test_generated_spellings_get_the_keys_of_the_plain_steps(keyers) -> None:
    fast, plain = keyers
    names = _variants(_generated(6000))
    differ = [n for n in names if fast.keys(n) != plain.keys(n)]
    assert not differ, differ[:10]


@pytest.mark.parametrize("name", AWKWARD)
def test_awkward_names_get_the_keys_of_the_plain_steps(keyers, name: str) -> None:
    fast, plain = keyers
    assert fast.keys(name) == plain.keys(name)


def test_a_legal_form_of_another_alphabet_turns_the_shortcuts_off() -> None:
    # "ı" (dotless i) matches "i" in a case-insensitive regex but is not what lower() makes of it
    settings = ResolutionSettings(legal_forms=[*ResolutionSettings().legal_forms, "L\u0131m\u0131ted"])
    keyer = NameKeyer(settings)
    assert not keyer._guarded
    assert keyer.keys("Acme Limited")[0].key == "acme"


def test_name_keys_are_built_with_every_field_and_stay_frozen() -> None:
    import dataclasses
    import inspect

    # NameKey has its own __init__ (speed): a field added to the class must be one of its parameters too
    fields = dataclasses.fields(NameKey)
    parameters = list(inspect.signature(NameKey.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    missing = (inspect.Parameter.empty, dataclasses.MISSING)
    assert [p.default for p in parameters if p.default not in missing] == \
        [f.default for f in fields if f.default not in missing]
    key = NameKeyer(ResolutionSettings()).keys("Clinic 24 (Lanseria)")[0]
    assert dataclasses.replace(key) == key and hash(dataclasses.replace(key)) == hash(key)
    with pytest.raises(dataclasses.FrozenInstanceError):
        key.key = "other"  # type: ignore[misc]
    # ...and of fields(), by which keys made in a forked copy come back (marshal) or are pickled
    assert NameKey(*key.fields()) == key and pickle.loads(pickle.dumps(key)) == key
    assert NameKey(*marshal.loads(marshal.dumps(key.fields()))) == key


def test_keys_made_in_forked_copies_are_the_keys_made_here(monkeypatch) -> None:
    """A large case keys its names in copies of the process: the same keys, in the same order."""
    from core import parallel
    from core.resolve import groups

    copies = []
    real = parallel._Copy
    monkeypatch.setattr(parallel, "_Copy", lambda *args: copies.append(real(*args)) or copies[-1])

    names = [f"{town} {kind} (Pty) Ltd t/a {town} Vet" if i % 7 == 0 else f"The {town} {kind} {i % 13}"
             for i, (town, kind) in enumerate((t, k) for t in ("Tzaneen", "Lanseria", "Wonderboom", "Mthatha")
                                              for k in ("Animal Hospital", "Flight Sch.", "Co-op", "Maint"))]
    names = [f"{n} {j}" for j in range(40) for n in names]
    monkeypatch.setattr(groups, "PARALLEL_NAMES", 10)
    monkeypatch.setenv("HOTPASS_WORKERS", "1")
    here = groups._keys_of(NameKeyer(ResolutionSettings()), names)
    monkeypatch.setenv("HOTPASS_WORKERS", "2")
    forked = groups._keys_of(NameKeyer(ResolutionSettings()), names)
    assert copies and forked == here and len(here) == len(names)
    assert any(len(keys) == 2 for keys in forked)  # the t/a names kept their legal name behind


@given(st.text(alphabet=st.sampled_from("aZ09_&'\u2019`.,-() \t\u00e9\u0662\u00b2\u2160\u30a2"), max_size=12))
def test_a_name_that_is_only_a_legal_form_is_told_as_before(text: str) -> None:
    # The two passes this one search replaced: take joiners and splitters away, see what is left
    before = re.sub(r"[^\w&]+|_", "", re.sub(r"['\u2019`.]", "", text))
    assert bool(_WORDISH.search(text)) == bool(before)
