"""The DfE's validation rules for the SSDA903 return that the 903 import's own checks match.

A council's data team validates its return against the DfE's rules, each known by a code
(101, 144, 501…). Where a problem the import reports is one of those rules, the problem
carries the rule's code, so the team can match it to its own validation. Where an import
check has no DfE equivalent (a child given twice, a UPN already another council's, a field
too long to store), nothing is added.

Source: Data to Insight's open-source 903 validator, github.com/data-to-insight/csc-validator-be-903,
``lac_validator/rules/lac<year>/rule_<code>.py`` (codes, messages and code lists as written
there; its ``INT`` and ``EPI`` checks are its own, not the DfE's, so they are not here).

Most rules code a check the import makes anyway. Those that are the DfE's checks alone (dates
after the collection year ends, an episode of less than a day, a child too young for a legal
status or placement) are made only in a year whose rules have them, with the rule's age
(``Rule.age``): ``ssda903._check_year_rules``.

Rules are kept by collection year, as that validator keeps them: each year is the previous
year's rules with that year's additions and changes (a new ``Rule`` for the same code) and
deletions. Next year's changes are a new entry in ``RULESETS``, never an edit of a past one.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum


class Check(StrEnum):
    """The import's own checks that a DfE rule can match."""

    SEX = "SEX is not a code for sex"
    DOB_DATE = "DOB is not a date"
    UPN = "UPN is not a valid UPN"
    UPN_TWICE = "the same UPN is given for two children"
    DECOM_DATE = "DECOM is not a date"
    DEC_DATE = "DEC is not a date"
    RNE = "RNE is not a reason for new episode code"
    LS = "LS is not a legal status code"
    PLACE = "PLACE is not a placement type code"
    ENDS_BEFORE_START = "DEC is before DECOM"
    PREVIOUS_OPEN = "an episode starts while the previous one has no DEC"
    OVERLAP = "an episode starts before the previous one's DEC"
    BEFORE_BIRTH = "the first episode starts before DOB"
    BEFORE_1991 = "DECOM is before 14 October 1991"
    # Checks made only where the collection year's rules have them, with their parameters (the year's end, an age).
    DOB_AFTER_YEAR = "DOB is after the collection year ends"
    DEC_AFTER_YEAR = "DEC is after the collection year ends"
    SAME_DAY = "DEC is the same day as DECOM"
    STARTED_ADULT = "RNE is S and the child is 18 or over at DECOM"
    LS_AGE = "LS is {values} and the child is under {age} at DECOM"
    PLACE_AGE = "PLACE is {values} and the child is under {age} at DECOM"


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    check: Check
    #: For a code-list rule, the codes the DfE accepts that year: the rule matches a value not among them.
    valid: frozenset[str] | None = None
    #: For a rule about particular values, those values: the rule matches only them.
    values: frozenset[str] | None = None
    #: For an age rule, the age (in whole years at DECOM) the child must have reached.
    age: int | None = None

    def matches(self, value: str) -> bool:
        if self.valid is not None and value in self.valid:
            return False
        return self.values is None or value in self.values

    @property
    def check_text(self) -> str:
        """What the import checks, for the docs' table: the check, with the rule's values and age."""
        return self.check.format(values=" or ".join(sorted(self.values or ())), age=self.age)


def _year(previous: dict[str, Rule], *, added=(), deleted=()) -> dict[str, Rule]:
    """A collection year's rules: the previous year's, less those deleted, with those added or changed."""
    rules = {code: rule for code, rule in previous.items() if code not in deleted}
    rules.update({rule.code: rule for rule in added})
    return rules


LEGAL_STATUSES = frozenset("C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3".split())
RNE_CODES = frozenset("S P L T U B".split())
#: The Children Act 1989 came into force: no episode of care starts before (rule 353).
FIRST_EPISODE_DAY = datetime.date(1991, 10, 14)
PLACEMENTS_2022 = frozenset("A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1".split())
PLACEMENTS_2025 = (PLACEMENTS_2022 - {"H5", "P2", "Z1"}) | {"K3", "Z11", "Z12", "Z13", "Z14"}
#: Every placement type code of any year kept here.
PLACEMENTS_ANY = PLACEMENTS_2022 | PLACEMENTS_2025

_2022_23 = _year(
    {},
    added=[
        Rule("101", "Gender code is not valid.", Check.SEX, valid=frozenset({"1", "2"})),
        Rule("102", "Date of birth is not a valid date.", Check.DOB_DATE),
        Rule(
            "168",
            "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
            Check.UPN,
        ),
        Rule("141", "Date episode began is not a valid date.", Check.DECOM_DATE),
        Rule("147", "Date episode ceased is not a valid date.", Check.DEC_DATE),
        Rule("143", "The reason for new episode code is not a valid code.", Check.RNE, valid=RNE_CODES),
        Rule("144", "The legal status code is not a valid code.", Check.LS, valid=LEGAL_STATUSES),
        Rule("146", "Placement type code is not a valid code.", Check.PLACE, valid=PLACEMENTS_2022),
        Rule(
            "356",
            "The date the episode ceased is before the date the same episode started.",
            Check.ENDS_BEFORE_START,
        ),
        Rule("142", "A new episode has started, but the previous episode has not ended.", Check.PREVIOUS_OPEN),
        Rule("501", "A new episode has started before the end date of the previous episode.", Check.OVERLAP),
        Rule("302", "First episode starts before child was born.", Check.BEFORE_BIRTH),
        Rule("353", "No episode submitted can start before 14 October 1991.", Check.BEFORE_1991),
        Rule("301", "Date of birth falls after the year ended.", Check.DOB_AFTER_YEAR),
        Rule(
            "385",
            "Date episode ceased must be on or before the end of the current collection year.",
            Check.DEC_AFTER_YEAR,
        ),
        Rule("355", "Episode appears to have lasted for less than 24 hours", Check.SAME_DAY),
        Rule("352", "Child who started to be looked after was aged 18 or over.", Check.STARTED_ADULT, age=18),
        Rule(
            "358",
            "Child with this legal status should not be under 10.",
            Check.LS_AGE,
            values=frozenset({"J1", "J2", "J3"}),
            age=10,
        ),
        Rule(
            "370",
            "Child in independent living should be at least 15.",
            Check.PLACE_AGE,
            values=frozenset({"P2"}),
            age=15,
        ),
        Rule(
            "371",
            "Child in semi-independent living accommodation not subject to children’s homes regulations should be "
            "at least 14.",
            Check.PLACE_AGE,
            values=frozenset({"H5"}),
            age=14,
        ),
        Rule(
            "372",
            "Child in youth custody or prison should be at least 10.",
            Check.PLACE_AGE,
            values=frozenset({"R5"}),
            age=10,
        ),
        Rule(
            "373",
            "Child placed in a school should be at least 4 years old.",
            Check.PLACE_AGE,
            values=frozenset({"S1"}),
            age=4,
        ),
        Rule(
            "374",
            "Child in residential employment should be at least 14 years old.",
            Check.PLACE_AGE,
            values=frozenset({"P3"}),
            age=14,
        ),
    ],
)
_2023_24 = _year(
    _2022_23,
    added=[
        Rule(
            "370",
            "Child in independent living should be at least 16.",
            Check.PLACE_AGE,
            values=frozenset({"P2"}),
            age=16,
        ),
        Rule(
            "371",
            "Child in semi-independent living accommodation not subject to children’s homes regulations should be "
            "at least 16.",
            Check.PLACE_AGE,
            values=frozenset({"H5"}),
            age=16,
        ),
    ],
)
_2024_25 = _year(
    _2023_24,
    deleted=["370"],
    added=[
        # "accomodation" as the validator spells it. K3 is a placement type OpenPEP refuses as not known yet
        # (without a code), so an episode this rule is about is never read.
        Rule(
            "371",
            "Child in supported accomodation not subject to children’s homes regulations should be at least 16.",
            Check.PLACE_AGE,
            values=frozenset({"K3"}),
            age=16,
        ),
        Rule("101", "The child or young person’s reported sex is not valid.", Check.SEX, valid=frozenset("MFU")),
        Rule("232", "Sex of the child/young person has been reported as unknown.", Check.SEX, values=frozenset("U")),
        # The validator's list has "k3" here (a slip it corrects to "K3" in 2025-26).
        Rule("146", "Placement type code is not a valid code.", Check.PLACE, valid=PLACEMENTS_2022 | {"K3"}),
    ],
)
_2025_26 = _year(
    _2024_25,
    added=[
        Rule(
            "146",
            "Placement type code is not a valid code.",
            Check.PLACE,
            valid=PLACEMENTS_2025,
        ),
        Rule("444", "Duplicate UPN has been reported", Check.UPN_TWICE),
    ],
)
# No change to these rules in 2026-27 (its new rules, 700–710, are about tables the import does not read).
_2026_27 = _year(_2025_26)

#: Each collection year's rules by code, oldest year first.
RULESETS: dict[str, dict[str, Rule]] = {
    "2022-23": _2022_23,
    "2023-24": _2023_24,
    "2024-25": _2024_25,
    "2025-26": _2025_26,
    "2026-27": _2026_27,
}


def collection_year(day: datetime.date) -> str:
    """The 903 collection year a day falls in: 1 April to 31 March, as ``"2024-25"``."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def ruleset_year(day: datetime.date | None) -> str:
    """The year whose rules apply to a return whose latest date is ``day``: its own collection
    year, or the nearest year kept here when it is before the first or after the last."""
    years = list(RULESETS)
    if day is None:
        return years[-1]
    year = collection_year(day)
    return min(max(year, years[0]), years[-1])


def collection_end(year: str) -> datetime.date:
    """The last day of a collection year given as ``"2024-25"``: 31 March 2025."""
    return datetime.date(int(year[:4]) + 1, 3, 31)


def birthday(born: datetime.date, age: int) -> datetime.date:
    """The day a child born on ``born`` turns ``age`` (28 February in a year with no 29th, as the validator's
    pandas ``DateOffset`` has it)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return born.replace(year=born.year + age, day=28)


def rules_of(year: str, check: Check) -> list[Rule]:
    """The rules of ``year`` made by ``check``: none where that year has no such rule."""
    return [rule for rule in RULESETS[year].values() if rule.check == check]


def rule_for(year: str, check: Check, value: str = "") -> Rule | None:
    """The DfE rule of ``year`` that a problem found by ``check`` (about ``value``) is, if any."""
    for rule in RULESETS[year].values():
        if rule.check == check and rule.matches(value):
            return rule
    return None


def table() -> list[tuple[str, str, list[str], str]]:
    """Every rule's wording with the collection years it applies to: (code, message, years, what the import
    checks)."""
    rows: dict[tuple[str, str, str], list[str]] = {}
    for year, rules in RULESETS.items():
        for rule in rules.values():
            rows.setdefault((rule.code, rule.message, rule.check_text), []).append(year)
    return sorted(
        ((code, message, years, check) for (code, message, check), years in rows.items()),
        key=lambda row: (int(row[0]), row[2][0]),
    )
