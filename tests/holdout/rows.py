"""One row of one sheet for one organisation (or one of its people): which of its values the clerk wrote, and how.

A row whose name uses a heavy variant class always carries some of its organisation's own contact
values (phone, own-domain or own mailbox, own website), and every row of a twin carries its province
or town, so that nothing in the truth is a coin toss.
"""

from __future__ import annotations

import datetime as dt
import random

from tests.holdout import lexicon as L
from tests.holdout import typed
from tests.holdout.layouts import SheetSpec
from tests.holdout.names import HEAVY, type_name
from tests.holdout.world import Org, Person

PHONE_KEYS = {"landline", "mobile", "landline_or_switch", "phone_any", "fax"}
EMAIL_KEYS = {"email", "email_any"}


def _blank(rng: random.Random, rate: float = 0.06) -> str | None:
    return typed.placeholder(rng) if rng.random() < rate else None


class OrgRow:
    """Values keyed by column key, plus what the truth file records about the row."""

    def __init__(self, org: Org, spec: SheetSpec, rng: random.Random, ident: object = None) -> None:
        self.org, self.spec, self.rng = org, spec, rng
        self.values: dict[str, object] = {}
        self.evidence = False
        keys = [c.key for c in spec.columns]
        self.name, self.variants = type_name(org, rng, caps_rate=spec.caps_rate, trading_rate=spec.trading_rate)
        heavy = bool(HEAVY & set(self.variants))
        for key in keys:
            self.values[key] = self._value(key, ident)
        if heavy and not self.evidence:
            self._force_evidence(keys)
        if org.negative == "twin" and not self._placed(keys):
            where = "town" if "town" in keys else "province"
            self.values[where] = org.town if where == "town" else typed.province(org.province, org.town, rng)
            if self.values[where] in L.PLACEHOLDERS:
                self.values[where] = org.province
        self.values["name"] = self.name

    def _placed(self, keys: list[str]) -> bool:
        return any(self.values.get(k) not in (None, *L.PLACEHOLDERS) for k in ("town", "province") if k in keys)

    def _own_phone(self, national: str | None) -> object:
        if national is None:
            return _blank(self.rng)
        self.evidence = True
        return typed.phone(national, self.rng)

    def _value(self, key: str, ident: object) -> object:
        org, rng = self.org, self.rng
        if key == "name":
            return self.name
        if key in {"practice_no", "member_id"}:
            return ident
        if key == "reg_no":
            return ident if ident is not None else _blank(rng, 0.3)
        if key == "address":
            return typed.address(org.address, rng) if rng.random() < 0.6 else _blank(rng)
        if key == "postal":
            return org.postal if rng.random() < 0.5 else None
        if key == "town":
            return (org.town if rng.random() < 0.9 else org.town.upper()) if rng.random() < 0.75 else _blank(rng)
        if key == "province":
            return typed.province(org.province, org.town, rng) if rng.random() < 0.8 else None
        if key == "landline":
            if org.switchboard and rng.random() < 0.35:
                return typed.phone(org.switchboard, rng)
            return self._own_phone(org.landline) if rng.random() < 0.8 else _blank(rng)
        if key == "mobile":
            return self._own_phone(org.mobile) if org.mobile and rng.random() < 0.6 else _blank(rng, 0.03)
        if key == "landline_or_switch":
            if org.switchboard and rng.random() < 0.4:
                return typed.phone(org.switchboard, rng)
            if rng.random() < 0.8:
                return self._own_phone(org.landline or org.mobile)
            return _blank(rng)
        if key == "phone_any":
            return self._phone_any()
        if key == "fax":
            return self._own_phone(org.fax) if org.fax and rng.random() < 0.7 else _blank(rng, 0.03)
        if key in EMAIL_KEYS:
            return self._email(two_ok=key == "email_any")
        if key == "website":
            return self._website()
        if key == "category":
            return rng.choice(L.CATEGORIES) if org.family == "vet" and rng.random() < 0.7 else None
        if key == "type":
            return rng.choice(["Co-op", "CO-OP", "Agri"] if org.family == "coop" else ["Vet", "Veterinary", "Animal Health"])
        if key == "contact_name":
            return _full_name(rng.choice(org.people), rng) if org.people and rng.random() < 0.7 else None
        if key == "status":
            return rng.choice(L.STATUSES) or None
        if key == "notes":
            return (rng.choice(L.NOTES) or None) if rng.random() < 0.4 else None
        if key == "last_contact":
            return _date(rng)
        if key == "updated":
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
            return day.strftime(rng.choice(["%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d"]))
        if key == "reg_status":
            return rng.choice(["Active", "Active", "Active", "In deregistration", "Dormant"])
        if key == "reg_date":
            return dt.datetime(rng.randint(1996, 2023), rng.randint(1, 12), rng.randint(1, 28))
        raise KeyError(key)

    def _phone_any(self) -> object:
        org, rng = self.org, self.rng
        numbers = [n for n in (org.landline, org.mobile) if n]
        roll = rng.random()
        if org.switchboard and roll < 0.3:
            if org.landline and rng.random() < 0.4:
                self.evidence = True
                return typed.two_phones(org.switchboard, org.landline, rng)
            return typed.phone(org.switchboard, rng)
        if len(numbers) == 2 and roll < 0.45:
            self.evidence = True
            return typed.two_phones(numbers[0], numbers[1], rng)
        if roll < 0.85:
            return self._own_phone(rng.choice(numbers))
        return _blank(rng, 0.3)

    def _email(self, two_ok: bool) -> object:
        org, rng = self.org, self.rng
        if org.chain_email and rng.random() < 0.25:
            return typed.email(org.chain_email, rng)
        if org.emails and rng.random() < 0.65:
            self.evidence = True
            chosen = org.emails if two_ok and rng.random() < 0.4 else [rng.choice(org.emails)]
            return typed.emails(chosen, rng)
        return _blank(rng)

    def _website(self) -> object:
        org, rng = self.org, self.rng
        if org.website and rng.random() < 0.55:
            if not org.chain:
                self.evidence = True
            return typed.website(org.website, rng)
        if org.chain_site and rng.random() < 0.4:
            return typed.website(org.chain_site, rng)
        if org.directory_url and rng.random() < 0.6:
            return typed.directory(org.directory_url, rng)
        return _blank(rng)

    def _force_evidence(self, keys: list[str]) -> None:
        org, rng = self.org, self.rng
        phone_keys = [k for k in keys if k in PHONE_KEYS and k != "fax"]
        email_keys = [k for k in keys if k in EMAIL_KEYS]
        own_number = org.landline or org.mobile
        if phone_keys and own_number and (not org.emails or not email_keys or rng.random() < 0.6):
            key = "mobile" if "mobile" in phone_keys and org.mobile and not org.landline else phone_keys[0]
            self.values[key] = typed.phone(org.mobile if key == "mobile" else own_number, rng)
        elif email_keys and org.emails:
            self.values[email_keys[0]] = typed.email(org.emails[0], rng)
        else:
            key = phone_keys[0] if phone_keys else "name"
            if key == "name":  # nowhere to put evidence: type the name lightly instead
                self.name, self.variants = type_name(org, rng, heavy_ok=False)
                return
            self.values[key] = typed.phone(own_number, rng)
        self.evidence = True


def person_row(person: Person, spec: SheetSpec, rng: random.Random, ref: object, org_name: str | None) -> dict:
    def cased(text: str) -> str:
        return text.upper() if rng.random() < 0.05 else text
    values = {"org_ref": ref, "org_name": org_name, "salutation": person.salutation or None,
              "first": cased(person.first), "last": cased(person.last), "role": person.role if rng.random() < 0.8 else None,
              "p_mobile": typed.phone(person.mobile, rng) if rng.random() < 0.8 else _blank(rng),
              "p_email": typed.email(person.email, rng) if person.email and rng.random() < 0.85 else _blank(rng)}
    return {c.key: values[c.key] for c in spec.columns}


def _full_name(person: Person, rng: random.Random) -> str:
    return typed.pick(rng, [(f"{person.first} {person.last}", 6), (f"{person.salutation} {person.last}".strip(), 2),
                            (f"{person.first}", 1), (f"{person.last}, {person.first}", 1)])


def _date(rng: random.Random) -> object:
    day = dt.datetime(2025, 1, 6) + dt.timedelta(days=rng.randint(0, 300))
    return typed.pick(rng, [(day, 7), (day.strftime("%Y/%m/%d"), 1), (day.strftime("%d %b %Y"), 1),
                            (day.strftime("%d/%m/%Y"), 1), (None, 1)])
