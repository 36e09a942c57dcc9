"""The true organisations behind the case: practices, co-operatives and chain branches, with the hard negatives.

Hard negatives are organisations that must stay apart although they look alike: branches of one chain
(same switchboard, same website domain, names that differ only in the town), twins (the same name in
another province, nothing else shared), siblings (the same kind of name with another place word),
and organisations that share only a directory listing site or a free-mail domain.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from tests.holdout import lexicon as L
from tests.holdout.typed import pick


@dataclass(slots=True)
class Person:
    first: str
    last: str
    salutation: str
    role: str
    mobile: str
    email: str | None


@dataclass(slots=True)
class Org:
    org_id: str
    family: str  # "vet" or "coop"
    core: str  # the distinctive words: "Hillcrest", "Paws & Claws", "Rietfontein"
    kind: str  # "Animal Hospital", "Agricultural Co-operative"
    the: bool  # canonical name starts with "The"
    legal: str | None
    owner: str | None  # X in "X Holdings t/a Y"
    town: str
    province: str
    address: str
    postal: str
    landline: str | None
    mobile: str | None
    fax: str | None
    domain: str | None  # own email domain
    website: str | None  # own site host, usually the domain
    emails: list[str] = field(default_factory=list)  # own addresses (own domain or an own free-mail box)
    chain: str | None = None  # chain brand for a branch; `branch` is its town word
    switchboard: str | None = None  # the chain's shared number
    chain_site: str | None = None
    chain_email: str | None = None
    directory_url: str | None = None
    negative: str = ""  # the hard-negative group it was made for: chain, twin, sibling, or ""
    reg_no: str | None = None
    people: list[Person] = field(default_factory=list)

    @property
    def canonical(self) -> str:
        words = (["The"] if self.the else []) + [self.core, self.kind]
        if self.chain:
            words.append(self.town)
        return " ".join(words) + (f" {self.legal}" if self.legal else "")


_LETTERS = re.compile(r"[^a-z]")


def letters(text: str) -> str:
    return _LETTERS.sub("", text.lower().replace("ö", "o"))


def letters_words(text: str) -> list[str]:
    return [w for w in (letters(part) for part in text.split()) if w]


class CoreRegistry:
    """Keeps distinct organisations' cores at least two edits apart (one-deletion neighbourhoods must not meet),
    so that a one-letter typo of one organisation's name never spells another's by accident."""

    def __init__(self) -> None:
        self._owner_of_delete: dict[str, str] = {}
        self.used: dict[tuple[str, str], int] = {}  # (core key, family) -> uses

    @staticmethod
    def _deletes(key: str) -> set[str]:
        return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}

    def fits(self, core: str) -> bool:
        key = letters(core)
        return len(key) >= 3 and all(self._owner_of_delete.get(d, key) == key for d in self._deletes(key))

    def take(self, core: str, family: str) -> None:
        key = letters(core)
        for d in self._deletes(key):
            self._owner_of_delete.setdefault(d, key)
        self.used[(key, family)] = self.used.get((key, family), 0) + 1

    def free(self, core: str, family: str) -> bool:
        return self.fits(core) and (letters(core), family) not in self.used


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cores = CoreRegistry()
        self.numbers: set[str] = set()
        self.domains: set[str] = set()
        self.reg_nos: set[str] = set()
        self.orgs: list[Org] = []
        self._towns = list(L.TOWNS)
        self._farms = [p + s for p in L.FARM_PREFIXES for s in L.FARM_SUFFIXES]
        rng.shuffle(self._farms)
        self._pools: dict[str, dict[str, list[str]]] = {}
        for family in ("vet", "coop"):
            pools = {"town": list(L.TOWNS), "brand": list(L.BRANDS), "surname": list(L.SURNAMES), "farm": list(self._farms)}
            for pool in pools.values():
                rng.shuffle(pool)
            self._pools[family] = pools

    # ---- values that must be unique -------------------------------------------------------------
    def number(self, prefix: str, length: int = 10) -> str:
        digits = length - len(prefix) - 1
        while True:
            candidate = f"{prefix}{self.rng.randint(2, 9)}{self.rng.randrange(10 ** digits):0{digits}d}"
            if candidate not in self.numbers:
                self.numbers.add(candidate)
                return candidate

    def landline(self, town: str) -> str:
        return self.number(L.TOWNS[town][1])

    def mobile(self) -> str:
        return self.number(self.rng.choice(L.MOBILE_PREFIXES))

    def domain(self, stem: str, town: str) -> str:
        stem = letters(stem)[:24] or "practice"
        tld = self.rng.choice(L.TLDS)
        for candidate in (f"{stem}.{tld}", f"{stem}{letters(town)[:8]}.{tld}"):
            if candidate not in self.domains:
                self.domains.add(candidate)
                return candidate
        while True:
            candidate = f"{stem}{self.rng.randint(2, 999)}.{tld}"
            if candidate not in self.domains:
                self.domains.add(candidate)
                return candidate

    # ---- cores -----------------------------------------------------------------------------------
    def synthetic_place(self) -> str:
        rng = self.rng
        syllables = rng.choice([2, 2, 3, 3, 4])
        word = rng.choice(L.PLACE_PREFIXES) + "".join(rng.choice(L.ONSETS) + rng.choice(L.VOWELS)
                                                      for _ in range(syllables))
        return word[0].upper() + word[1:].lower()

    def core_for(self, family: str) -> str:
        """A core no other organisation of the family has: from the lists while they last, then made up."""
        rng = self.rng
        if family == "vet":
            weights = [("town", 22), ("brand", 12), ("surname", 14), ("pair", 8), ("farm", 18), ("synthetic", 26)]
        else:
            weights = [("town", 20), ("farm", 50), ("synthetic", 30)]
        source = pick(rng, weights)
        pool = self._pools[family].get(source)
        while pool:
            core = pool.pop()
            if self.cores.free(core, family) or (core in L.TOWNS and (letters(core), family) not in self.cores.used):
                return core
        if source == "pair":
            for _ in range(3):
                core = f"{rng.choice(L.SURNAMES)} & {rng.choice(L.SURNAMES)}"
                if self.cores.free(core, family):
                    return core
        while True:
            core = self.synthetic_place()
            if self.cores.free(core, family):
                return core

    # ---- organisations ---------------------------------------------------------------------------
    def new_org(self, family: str, *, core: str | None = None, kind: str | None = None, town: str | None = None,
                negative: str = "", chain: str | None = None) -> Org:
        rng = self.rng
        core = core or self.core_for(family)
        if core in L.TOWNS and town is None and not chain:
            town = core
        town = town or rng.choice(self._towns)
        province = L.TOWNS[town][0]
        kind = kind or rng.choice(L.VET_KINDS if family == "vet" else L.COOP_KINDS)
        legal = None
        if rng.random() < 0.55:
            legal = rng.choice(L.VET_LEGAL if family == "vet" else
                               [f for f in L.COOP_LEGAL if "Co-op" not in f or "Co-op" not in kind])
        owner = None
        if rng.random() < 0.35 or chain:
            surname = rng.choice(L.SURNAMES)
            owner = (f"{chain} {rng.choice(['Holdings', 'Group', 'International'])}" if chain
                     else f"{surname} {rng.choice(L.OWNER_WORDS[family])}")
        org = Org(org_id=f"H{len(self.orgs) + 1:06d}", family=family, core=core, kind=kind,
                  the=rng.random() < 0.06, legal=legal, owner=owner, town=town, province=province,
                  address=self.address(town, family), postal=f"PO Box {rng.randint(10, 9999)}, {town}",
                  landline=self.landline(town) if rng.random() < 0.9 else None,
                  mobile=self.mobile() if rng.random() < 0.55 else None,
                  fax=self.landline(town) if rng.random() < 0.15 else None,
                  domain=None, website=None, negative=negative)
        if org.landline is None and org.mobile is None:
            org.mobile = self.mobile()
        self._contacts(org, chain)
        if rng.random() < 0.14:
            host = rng.choice(L.DIRECTORY_HOSTS)
            slug = letters(core) + "-" + letters(kind)[:12]
            if host == "facebook.com":
                slug = "".join(w.capitalize() for w in letters_words(f"{core} {kind}"))
            org.directory_url = rng.choice([f"www.{host}", f"https://www.{host}/listing/{slug}-{rng.randint(100, 99999)}",
                                            f"{host}/{slug}", f"http://{host}/members/{rng.randint(1000, 99999)}"])
        if family == "coop" and rng.random() < 0.8:
            while True:
                reg = f"{rng.randint(1996, 2023)}/{rng.randint(1, 999999):06d}/24"
                if reg not in self.reg_nos:
                    self.reg_nos.add(reg)
                    org.reg_no = reg
                    break
        org.people = [self.person(org) for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3]))]
        self.cores.take(core, family)
        self.orgs.append(org)
        return org

    def _contacts(self, org: Org, chain: str | None) -> None:
        rng = self.rng
        stem_word = {"vet": ["vet", "vets", "animalhospital", "vetclinic", ""], "coop": ["koop", "agri", "coop", ""]}
        if chain:
            return
        if rng.random() < 0.62:
            org.domain = self.domain(org.core + rng.choice(stem_word[org.family]), org.town)
            org.emails = [f"{rng.choice(['info', 'info', 'reception', 'admin', 'office'])}@{org.domain}"]
            if rng.random() < 0.35:
                org.emails.append(f"{rng.choice(['accounts', 'bookings', 'sales', 'manager'])}@{org.domain}")
            if rng.random() < 0.75:
                org.website = org.domain
        elif rng.random() < 0.8:
            tails = ["vets", ".vet", "animals"] if org.family == "vet" else ["koop", ".agri", "coop"]
            local = letters(org.core)[:14] + rng.choice(["", str(rng.randint(1, 99)), ".info"] + tails)
            org.emails = [f"{local}@{rng.choice(L.FREE_MAIL)}"]

    def address(self, town: str, family: str) -> str:
        rng = self.rng
        if family == "coop" and rng.random() < 0.3:
            return f"Plot {rng.randint(1, 300)}, {rng.choice(self._farms)} Road, {town}"
        return f"{rng.randint(1, 250)} {rng.choice(L.STREETS)} {rng.choice(list(L.STREET_KINDS))}, {town}"

    def person(self, org: Org) -> Person:
        rng = self.rng
        first, last = rng.choice(L.FIRST_NAMES), rng.choice(L.SURNAMES)
        email = None
        if org.domain and rng.random() < 0.7:
            email = rng.choice([f"{letters(first)}@{org.domain}", f"{letters(first)[0]}.{letters(last)}@{org.domain}",
                                f"{letters(first)}.{letters(last)}@{org.domain}"])
        elif rng.random() < 0.6:
            email = f"{letters(first)}.{letters(last)}{rng.randint(1, 99)}@{rng.choice(L.FREE_MAIL)}"
        role = rng.choice(L.ROLES)
        salutation = "Dr" if role.endswith("Veterinarian") else rng.choice(L.SALUTATIONS)
        return Person(first, last, salutation, role, self.mobile(), email)


def make_world(organisations: int, rng: random.Random) -> list[Org]:
    """About 55 % practices, 30 % co-operatives, 15 % chain branches; 2 % twins and 3 % siblings."""
    world = World(rng)
    while len(world.orgs) < organisations:
        pick = rng.random()
        left = organisations - len(world.orgs)
        if pick < 0.022 and left >= 3:
            _chain(world, min(left, rng.randint(3, 8)))
        elif pick < 0.06 and world.orgs and left >= 1:
            _twin(world)
        elif pick < 0.09 and world.orgs:
            _sibling(world)
        else:
            world.new_org("vet" if rng.random() < 0.62 else "coop")
    return world.orgs[:organisations]


def _chain(world: World, branches: int) -> None:
    rng = world.rng
    family = "vet" if rng.random() < 0.7 else "coop"
    brand = rng.choice(L.CHAIN_BRANDS)
    if (letters(brand), family) in world.cores.used or not world.cores.fits(brand):
        brand = f"{brand} {world.synthetic_place()}"
    kind = rng.choice(["Animal Hospital", "Vet Clinic", "Veterinary Hospital"] if family == "vet" else ["Depot", "Agri"])
    site = world.domain(brand, "")
    switchboard = world.number(rng.choice(L.SHARECALL_PREFIXES))
    towns = rng.sample(list(L.TOWNS), branches)
    for town in towns:
        org = world.new_org(family, core=brand, kind=kind, town=town, negative="chain", chain=brand)
        org.chain, org.switchboard, org.chain_site, org.chain_email = brand, switchboard, site, f"info@{site}"
        org.domain = site
        org.emails = [f"{letters(town)[:12]}@{site}"]
        org.website = f"{site}/{letters(town)}"
        org.legal = None


def _twin(world: World) -> None:
    """The same name in another province, and nothing else shared."""
    rng = world.rng
    candidates = [o for o in world.orgs[-200:] if not o.chain and not o.negative]
    if not candidates:
        return
    original = rng.choice(candidates)
    towns = [t for t, (p, _) in L.TOWNS.items() if p != original.province]
    twin = world.new_org(original.family, core=original.core, kind=original.kind, town=rng.choice(towns),
                         negative="twin")
    twin.legal, twin.the = original.legal, original.the
    original.negative = original.negative or "twin"


def _sibling(world: World) -> None:
    """Same kind of name, same province, another place word (Rietfontein / Rietvlei)."""
    rng = world.rng
    original = rng.choice([o for o in world.orgs[-200:] if not o.chain] or world.orgs)
    prefix = next((p for p in L.FARM_PREFIXES if original.core.startswith(p)), None)
    towns = [t for t, (p, _) in L.TOWNS.items() if p == original.province]
    for _ in range(40):
        core = prefix + rng.choice(L.FARM_SUFFIXES) if prefix else rng.choice(towns)
        if core != original.core and world.cores.free(core, original.family):
            town = core if core in L.TOWNS else original.town
            world.new_org(original.family, core=core, kind=original.kind, town=town, negative="sibling")
            original.negative = original.negative or "sibling"
            return
