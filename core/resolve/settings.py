"""The `resolution:` section of a profile: thresholds, name clean-up lists, evidence weights.

Defaults are tuned for the generic profile; a sector profile overrides only what differs.
Every field here is read by the resolver, so a profile key always changes behaviour.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Ordered longest first at use, so "(Pty) Ltd" is removed as one piece rather than "Ltd" alone.
LEGAL_FORMS_DEFAULT = [
    "Proprietary Limited", "Pty Ltd", "Pty Limited", "Pty", "Private Limited", "Limited", "Ltd",
    "Close Corporation", "CC", "Incorporated", "Inc", "Corporation", "Corp", "LLC", "LLP", "PLC",
    "NPC", "NPO", "SOC Ltd", "SOC", "Co Ltd", "GmbH", "BV", "Pvt Ltd",
    # Afrikaans forms of the same (South African registers): (Edms) Bpk = (Pty) Ltd, BK = CC
    "Eiendoms Beperk", "Edms Bpk", "Edms", "Bpk", "Beperk", "Beslote Korporasie", "BK",
    "RF",  # "(RF) (Pty) Ltd": ring-fenced, a legal form, not a branch in brackets
    # NPC and NPO written out, as registers do
    "Non Profit Company", "Non-Profit Company", "Nonprofit Company", "Not For Profit Company",
    "Non Profit Organisation", "Non-Profit Organisation", "Non Profit Organization", "Non-Profit Organization",
    "Ldt", "Pyt",  # "Ltd" and "Pty" with two letters swapped, as hurried typing leaves them
]

# Only what the prefix and consonant-skeleton rule (core.resolve.names.abbreviates) cannot read:
# "Tech" is left to it, as it may be short for "Technical" as well as "Technology".
ABBREVIATIONS_DEFAULT = {
    "&": "and", "intl": "international", "int'l": "international", "natl": "national",
    "sa": "south africa", "rsa": "south africa", "co": "company", "cie": "company",
    "svc": "services", "svcs": "services", "serv": "services", "mgmt": "management",
    "assoc": "association", "dept": "department", "ctr": "centre", "cntr": "centre",
    "center": "centre", "med": "medical", "hosp": "hospital", "univ": "university",
    "bros": "brothers", "eng": "engineering", "engg": "engineering", "mfg": "manufacturing",
    "avn": "aviation", "grp": "group", "hldgs": "holdings",
    "mt": "mount", "pharm": "pharmacy", "acad": "academy", "sch": "school",
    # one word however a co-operative is written ("Co-op", "Coop", "Co-operative"; in Afrikaans
    # "Ko-op", "Koöperasie"): keys join "Co"/"Ko" to the "op..." written apart from it
    "coop": "cooperative", "koop": "cooperative", "kooperasie": "cooperative", "koperasie": "cooperative",
}

# Addresses anyone can open: a shared domain here says nothing about the organisation.
FREE_MAIL_DEFAULT = [
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.za", "yahoo.co.uk", "ymail.com",
    "hotmail.com", "hotmail.co.za", "hotmail.co.uk", "outlook.com", "live.com", "live.co.za",
    "msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me",
    "gmx.com", "gmx.net", "mail.com", "zoho.com", "yandex.com", "mweb.co.za", "telkomsa.net",
    "webmail.co.za", "vodamail.co.za", "iafrica.com", "absamail.co.za", "lantic.net",
    "polka.co.za", "cybersmart.co.za", "afrihost.co.za", "xsinet.co.za", "wol.co.za",
]


class EvidenceWeights(BaseModel):
    """Log-odds each piece of evidence adds; the sum goes through a logistic to a 0..1 score."""

    model_config = ConfigDict(extra="forbid")

    prior: float = Field(-1.5, description="where every pair starts: two rows are usually different")
    name_equal: float = 4.5
    name_near: float = Field(3.5, description="names differ only by spelling")
    name_partial: float = Field(1.0, description="one name adds words, or all words are loosely alike")
    name_kind_word: float = Field(1.25, description="one name adds, drops or swaps a word many organisations of "
                                  "the case use: with an own website, email domain or phone that agrees, a match")
    name_kind_confirmed: float = Field(2.5, description="names differ only by a kind change other organisations of "
                                       "the case make in their own rows: on its own, a question for the operator")
    name_acronym: float = 1.5
    name_slips: float = Field(0.0, description="names that differ only in words typed badly or cut short, kind "
                              "words or a town on one side: with two identifiers a match, with one a question "
                              "(at most name_partial: the bound counts on it)")
    name_differ: float = Field(-2.0, description="each name has words the other lacks")
    name_unrelated: float = -3.0
    number_conflict: float = Field(-4.0, description="'Clinic 1' / 'Clinic 2'")
    website: float = 2.5
    email: float = 2.5
    email_domain: float = 2.0
    phone: float = 2.5
    weak_value: float = Field(0.3, description="a shared value that many organisations also have")
    identifier_cap: float = Field(4.0, description="website+phone+email together count at most this")
    province_conflict: float = -6.0
    area_conflict: float = -1.0
    qualifier_conflict: float = Field(-2.0, description="'(Lanseria)' / '(Wonderboom)'")
    website_conflict: float = -1.0
    email_domain_conflict: float = -0.5


class ResolutionSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    match_threshold: float = Field(0.85, gt=0, lt=1, description="score at which a pair merges")
    review_threshold: float = Field(0.5, gt=0, lt=1, description="score at which a pair goes to review")
    near_similarity: float = Field(0.85, ge=0, le=1, description="token-sorted similarity of 'same name, typo'")
    token_similarity: float = Field(0.8, ge=0, le=1, description="two words count as the same word")
    unrelated_below: float = Field(0.6, ge=0, le=1, description="names less alike than this are unrelated")
    legal_forms: list[str] = Field(default_factory=lambda: list(LEGAL_FORMS_DEFAULT))
    trading_as: list[str] = Field(default_factory=lambda: ["t/a", "t / a", "t.a.", "trading as", "t/a:", "t/as",
                                                          "trading as:", "(t/a", "(trading as"])
    division_of: list[str] = Field(default_factory=lambda: ["a division of", "division of", "a subsidiary of",
                                                           "(a division of", "(division of", "(a subsidiary of"],
                                   description="'Y, a division of X': Y is the name, X an alias")
    leading_articles: list[str] = Field(default_factory=lambda: ["the"])
    abbreviations: dict[str, str] = Field(default_factory=lambda: dict(ABBREVIATIONS_DEFAULT))
    free_mail_domains: list[str] = Field(default_factory=lambda: list(FREE_MAIL_DEFAULT))
    shared_value_min_orgs: int = Field(3, ge=2, description="a value this many organisations share is weak")
    max_block_size: int = Field(20, ge=2, description="larger blocks are compared with neighbours only")
    neighbourhood_window: int = Field(5, ge=1, description="neighbours compared inside a large block")
    name_block_tokens: int = Field(3, ge=0, description="rarest name words used as blocking keys")
    name_prefix_length: int = Field(6, ge=0, description="0 turns the name-prefix block off")
    common_word_share: float = Field(0.01, ge=0, le=1, description="a name word this share of organisations "
                                     "use is a kind word: added, dropped or swapped it needs other evidence")
    common_word_min: int = Field(3, ge=2, description="…and at least this many organisations")
    learn_weights: bool = Field(False, description="weigh websites, emails, phones and places by the case "
                                "itself (u from random blocked pairs, m by EM over the scored pairs)")
    learn_min_pairs: int = Field(2000, ge=10, description="fewer scored pairs keep the profile's weights")
    learn_clamp: float = Field(2.5, ge=0, description="a learned weight stays this close to the profile's")
    em_iterations: int = Field(15, ge=1, le=200)
    guard_min_groups: int = Field(8, ge=2, description="a cluster of more rows than this may be held for review…")
    guard_size_factor: float = Field(6.0, ge=1, description="…when it is this many times the case's usual size")
    max_cluster_checks: int = Field(25, ge=1, description="members checked per cluster against chaining")
    weights: EvidenceWeights = Field(default_factory=EvidenceWeights)

    @model_validator(mode="after")
    def _slips_within_the_bound(self) -> ResolutionSettings:
        if self.weights.name_slips > self.weights.name_partial:
            raise ValueError("weights.name_slips must not be above weights.name_partial")
        return self

    @model_validator(mode="after")
    def _review_below_match(self) -> ResolutionSettings:
        if self.review_threshold > self.match_threshold:
            raise ValueError("review_threshold must not be above match_threshold")
        return self

    @property
    def match_logit(self) -> float:
        return _logit(self.match_threshold)

    @property
    def review_logit(self) -> float:
        return _logit(self.review_threshold)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))
