"""Children and their periods of care from the SSDA903 return's Header and Episodes tables.

The Episodes ``URN`` column is the Ofsted number of the placement provider, not a school.
``Placement`` has nowhere for it that no school could ever see, so it is not read at all;
nor are the postcodes (HOME_POST, PL_POST), which would locate a carer.

A problem that is one of the DfE's validation rules for the return carries the rule's code
(``dfe_rules.py``), by the rules of the collection year given, or else of the collection
year (1 April to 31 March) of the latest date in the Episodes file.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.children.enums import Gender, LegalStatus, PlacementType
from openpep.children.models import Child, Placement, validate_upn
from openpep.people.models import LocalAuthority

from .dfe_rules import (
    FIRST_EPISODE_DAY,
    PLACEMENTS_ANY,
    RNE_CODES,
    RULESETS,
    Check,
    birthday,
    collection_end,
    collection_year,
    rule_for,
    rules_of,
    ruleset_year,
)
from .reading import HeaderProblem, Problem, Report, parse_date, read_csv

HEADER_COLUMNS = {name: () for name in ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")}
HEADER_REQUIRED = ["CHILD", "SEX", "DOB", "UPN"]
EPISODE_COLUMNS = {
    name: ()
    for name in (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    )
}
EPISODE_REQUIRED = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC"]
TEXT = {"CHILD": Child._meta.get_field("local_id").max_length}
# UN1–UN10: the DfE's codes for why a child has no UPN.
NO_UPN = {f"UN{i}" for i in range(1, 11)}
# The DfE's codes for sex: 1 and 2 until 2023-24, M, F (and U, unknown) from 2024-25.
SEXES = {"1": Gender.MALE.value, "2": Gender.FEMALE.value, "M": Gender.MALE.value, "F": Gender.FEMALE.value}
BATCH = 500
CHILD_FIELDS = ["date_of_birth", "gender", "upn", "care_start_date"]
PLACEMENT_FIELDS = ["ends_on", "legal_status", "placement_type"]


@dataclass(frozen=True)
class Found(Problem):
    """A problem found by a check that a DfE rule may match: which rule is known once the year is."""

    check: Check | None = None
    value: str = ""

    def coded(self, year: str) -> Problem:
        rule = rule_for(year, self.check, self.value) if self.check else None
        return Problem(self.path, self.line, self.column, self.message, rule.code if rule else "")


@dataclass
class Episode:
    line: int
    starts_on: datetime.date
    ends_on: datetime.date | None
    new_period: bool
    legal_status: str
    placement_type: str


@dataclass
class ChildRows:
    local_id: str
    line: int
    date_of_birth: datetime.date | None = None
    gender: str = ""
    upn: str = ""
    care_start_date: datetime.date | None = None
    episodes: list[Episode] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def import_903(
    header_path: str,
    episodes_path: str,
    authority: LocalAuthority,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    year: str | None = None,
) -> Report:
    """Create or update each child of the Header (by the authority and CHILD) and a
    placement for each of their episodes (by start date). A child with any wrong row is
    left as it was. ``year`` (a key of ``RULESETS``) chooses the DfE rules whose codes the
    problems carry; by default, those of the latest date in the Episodes file. Side
    effects: audit entries (actor None) for every child and placement created or changed,
    in batches of one transaction each.
    """
    if year is not None and year not in RULESETS:
        raise ValueError(f"no DfE rules are kept for the collection year {year!r}")
    report = Report("import_903", dry_run=dry_run)
    report.extra = {"placements created": 0, "placements updated": 0}
    try:
        children = _read_header(header_path, report, progress)
        _read_episodes(episodes_path, children, report, progress)
    except HeaderProblem as error:
        report.problems.extend(error.problems)
        return report
    report.read = len(children)
    # The year the return is for ends on its 31 March: that of --year, else of the latest date (even past the
    # last year whose rules are kept, so a later return is not refused for being later).
    if year is None:
        dates = [d for c in children.values() for e in c.episodes for d in (e.starts_on, e.ends_on) if d]
        latest = max(dates, default=None)
        year = ruleset_year(latest)
        ends = collection_end(collection_year(latest) if latest else year)
    else:
        ends = collection_end(year)
    report.extra["DfE rules of the collection year"] = year
    upns: dict[str, list[ChildRows]] = {}
    for child in children.values():
        _check_episodes(header_path, episodes_path, child)
        _check_year_rules(header_path, episodes_path, child, year, ends)
        if child.upn:
            upns.setdefault(child.upn, []).append(child)
    # A UPN given for two children is refused for both: which of them it is, is not known.
    for upn, given in upns.items():
        for child in given if len(given) > 1 else ():
            other = given[1] if given[0] is child else given[0]
            more = f" and {len(given) - 2} more" if len(given) > 2 else ""
            child.problems.append(
                Found(
                    header_path,
                    child.line,
                    "UPN",
                    f"UPN {upn} is also given for child {other.local_id}{more}",
                    check=Check.UPN_TWICE,
                )
            )
    valid = []
    for child in children.values():
        if child.problems:
            report.problems.extend(child.problems)
            report.rejected += 1
        else:
            valid.append(child)
    for start in range(0, len(valid), BATCH):
        _write(valid[start : start + BATCH], authority, header_path, episodes_path, report)
    report.problems = [p.coded(year) if isinstance(p, Found) else p for p in report.problems]
    report.problems.sort(key=lambda p: (p.path != header_path, p.line))
    return report


def _read_header(path: str, report: Report, progress) -> dict[str, ChildRows]:
    children: dict[str, ChildRows] = {}
    for line, values, unreadable in read_csv(path, HEADER_COLUMNS, HEADER_REQUIRED, progress, text=TEXT):
        local_id = values["CHILD"]
        if unreadable and local_id and not any(p.column == "CHILD" for p in unreadable):
            # Whose row it is, is known: that child is rejected with it.
            child = children.setdefault(local_id, ChildRows(local_id, line))
            child.problems.extend(unreadable)
            continue
        if unreadable:
            report.problems.extend(unreadable)
            report.rejected += 1
            continue
        if not local_id:
            report.problems.append(Problem(path, line, "CHILD", "is empty"))
            report.rejected += 1
            continue
        if local_id in children:
            first = children[local_id]
            first.problems.append(
                Problem(path, line, "CHILD", f"child {local_id} is given again (first on line {first.line})")
            )
            continue
        child = children[local_id] = ChildRows(local_id, line)

        def problem(column, message, check, value="", child=child, line=line):
            child.problems.append(Found(path, line, column, message, check=check, value=value))

        sex = values["SEX"].upper()
        if sex in SEXES:
            child.gender = SEXES[sex]
        else:
            problem(
                "SEX",
                f"{values['SEX']!r} is not a code for sex OpenPEP can record: give 1 or M (male), 2 or F (female)",
                Check.SEX,
                sex,
            )
        try:
            child.date_of_birth = parse_date(values["DOB"])
        except ValueError as error:
            problem("DOB", str(error), Check.DOB_DATE)
        upn = values["UPN"].upper()
        if upn and upn not in NO_UPN:
            try:
                validate_upn(upn)
                child.upn = upn
            except ValidationError as error:
                problem("UPN", f"{upn!r}: {error.messages[0]}", Check.UPN)
    return children


def _read_episodes(path: str, children: dict[str, ChildRows], report: Report, progress) -> None:
    for line, values, unreadable in read_csv(path, EPISODE_COLUMNS, EPISODE_REQUIRED, progress, text=TEXT):
        child = children.get(values["CHILD"])
        if unreadable:
            (child.problems if child is not None else report.problems).extend(unreadable)
            continue
        if child is None:
            report.problems.append(Problem(path, line, "CHILD", f"child {values['CHILD']!r} is not in the Header file"))
            continue
        problems = []
        dates = {}
        for column, check in (("DECOM", Check.DECOM_DATE), ("DEC", Check.DEC_DATE)):
            if column == "DEC" and not values[column]:
                dates[column] = None
                continue
            try:
                dates[column] = parse_date(values[column])
            except ValueError as error:
                problems.append(Found(path, line, column, str(error), check=check))
        if dates.get("DECOM") and dates["DECOM"] < FIRST_EPISODE_DAY:
            problems.append(
                Found(
                    path,
                    line,
                    "DECOM",
                    f"{values['DECOM']} is before 14/10/1991, when the Children Act 1989 came into force",
                    check=Check.BEFORE_1991,
                )
            )
        if dates.get("DECOM") and dates.get("DEC") and dates["DEC"] < dates["DECOM"]:
            problems.append(
                Found(
                    path,
                    line,
                    "DEC",
                    f"{values['DEC']} is before the episode starts ({values['DECOM']})",
                    check=Check.ENDS_BEFORE_START,
                )
            )
        if values["RNE"] and values["RNE"].upper() not in RNE_CODES:
            problems.append(
                Found(
                    path,
                    line,
                    "RNE",
                    f"{values['RNE']!r} is not a reason for new episode code of the SSDA903: "
                    f"give {', '.join(sorted(RNE_CODES))}",
                    check=Check.RNE,
                    value=values["RNE"],
                )
            )
        if values["LS"] not in LegalStatus.values:
            problems.append(
                Found(
                    path,
                    line,
                    "LS",
                    f"{values['LS']!r} is not a legal status code of the SSDA903",
                    check=Check.LS,
                    value=values["LS"],
                )
            )
        if values["PLACE"] not in PlacementType.values:
            problems.append(
                Found(
                    path,
                    line,
                    "PLACE",
                    f"{values['PLACE']!r} is a placement type code OpenPEP does not know yet"
                    if values["PLACE"] in PLACEMENTS_ANY
                    else f"{values['PLACE']!r} is not a placement type code of the SSDA903",
                    check=Check.PLACE,
                    value=values["PLACE"],
                )
            )
        if problems:
            child.problems.extend(problems)
            continue
        child.episodes.append(
            Episode(line, dates["DECOM"], dates["DEC"], values["RNE"].upper() == "S", values["LS"], values["PLACE"])
        )


def _check_episodes(header_path: str, path: str, child: ChildRows) -> None:
    """Episodes must follow one another; the child entered care at the start of the latest period."""
    if not child.episodes:
        if not child.problems:
            child.problems.append(Problem(header_path, child.line, "CHILD", f"child {child.local_id} has no episodes"))
        return
    child.episodes.sort(key=lambda e: e.starts_on)
    first = child.episodes[0]
    if child.date_of_birth and first.starts_on < child.date_of_birth:
        child.problems.append(
            Found(
                path,
                first.line,
                "DECOM",
                f"the child's first episode starts on {first.starts_on:%d/%m/%Y}, "
                f"before their date of birth ({child.date_of_birth:%d/%m/%Y})",
                check=Check.BEFORE_BIRTH,
            )
        )
    period_start = first.starts_on
    for previous, episode in zip(child.episodes, child.episodes[1:], strict=False):
        if previous.ends_on is None or previous.ends_on > episode.starts_on:
            what = "repeats" if previous.starts_on == episode.starts_on else "overlaps"
            child.problems.append(
                Found(
                    path,
                    episode.line,
                    "DECOM",
                    f"this episode {what} the one on line {previous.line}",
                    check=Check.PREVIOUS_OPEN if previous.ends_on is None else Check.OVERLAP,
                )
            )
        elif episode.new_period or previous.ends_on < episode.starts_on:
            period_start = episode.starts_on
    child.care_start_date = period_start


def _check_year_rules(header_path: str, path: str, child: ChildRows, year: str, ends: datetime.date) -> None:
    """The checks that are the collection year's DfE rules only, with that year's parameters: dates after the
    year ends (301, 385), an episode of less than a day (355), and the child's age when an episode starts
    (352, 358, 370–374). Each refuses the child only in a year whose rules have it."""

    def problem(file, line, column, message, check, value=""):
        child.problems.append(Found(file, line, column, message, check=check, value=value))

    born = child.date_of_birth
    if born and rules_of(year, Check.DOB_AFTER_YEAR) and born > ends:
        problem(
            header_path,
            child.line,
            "DOB",
            f"{born:%d/%m/%Y} is after the collection year ends ({ends:%d/%m/%Y})",
            Check.DOB_AFTER_YEAR,
        )
    for episode in child.episodes:
        if episode.ends_on and episode.ends_on > ends and rules_of(year, Check.DEC_AFTER_YEAR):
            problem(
                path,
                episode.line,
                "DEC",
                f"{episode.ends_on:%d/%m/%Y} is after the collection year ends ({ends:%d/%m/%Y})",
                Check.DEC_AFTER_YEAR,
            )
        if episode.ends_on == episode.starts_on and rules_of(year, Check.SAME_DAY):
            problem(
                path,
                episode.line,
                "DEC",
                f"the episode ends on the day it starts ({episode.starts_on:%d/%m/%Y}): "
                "a period of less than 24 hours is not an episode of care",
                Check.SAME_DAY,
            )
        if born is None:
            continue
        for rule in rules_of(year, Check.STARTED_ADULT) if episode.new_period else ():
            if episode.starts_on >= birthday(born, rule.age):
                problem(
                    path,
                    episode.line,
                    "DECOM",
                    f"the child started to be looked after on {episode.starts_on:%d/%m/%Y}, aged {rule.age} or over "
                    f"(born {born:%d/%m/%Y})",
                    Check.STARTED_ADULT,
                )
        for column, check, value in (
            ("LS", Check.LS_AGE, episode.legal_status),
            ("PLACE", Check.PLACE_AGE, episode.placement_type),
        ):
            for rule in rules_of(year, check):
                if rule.matches(value) and episode.starts_on < birthday(born, rule.age):
                    problem(
                        path,
                        episode.line,
                        column,
                        f"{value!r} is for a child of at least {rule.age}: this episode starts on "
                        f"{episode.starts_on:%d/%m/%Y}, before their {rule.age}th birthday (born {born:%d/%m/%Y})",
                        check,
                        value,
                    )


def _write(
    batch: list[ChildRows], authority: LocalAuthority, header_path: str, episodes_path: str, report: Report
) -> None:
    summary = "Imported from the SSDA903 return"
    with transaction.atomic():
        existing = {
            c.local_id: c
            for c in Child.objects.filter(local_authority=authority, local_id__in=[r.local_id for r in batch])
        }
        taken = {
            c.upn: c
            for c in Child.objects.filter(upn__in=[r.upn for r in batch if r.upn]).only(
                "upn", "local_id", "local_authority_id"
            )
        }
        placements: dict[int, list[Placement]] = {}
        for placement in Placement.objects.filter(child__in=existing.values()):
            placements.setdefault(placement.child_id, []).append(placement)
        new_children, changed_children, new_placements, changed_placements = [], [], [], []
        for rows in batch:
            owner = taken.get(rows.upn)
            if owner is not None and (owner.local_authority_id, owner.local_id) != (authority.pk, rows.local_id):
                report.problems.append(
                    Problem(header_path, rows.line, "UPN", f"UPN {rows.upn} belongs to another child")
                )
                report.rejected += 1
                continue
            child = existing.get(rows.local_id)
            planned = _plan_placements(child, rows, episodes_path, placements.get(child.pk, []) if child else [])
            if isinstance(planned, Problem):
                report.problems.append(planned)
                report.rejected += 1
                continue
            if child is None:
                child = Child(
                    local_authority=authority,
                    local_id=rows.local_id,
                    first_name="Child",
                    last_name=rows.local_id,
                    date_of_birth=rows.date_of_birth,
                    gender=rows.gender,
                    upn=rows.upn,
                    care_start_date=rows.care_start_date,
                )
                new_children.append(child)
                report.created += 1
            else:
                before = snapshot(child, CHILD_FIELDS)
                child.date_of_birth, child.gender = rows.date_of_birth, rows.gender
                child.upn, child.care_start_date = rows.upn, rows.care_start_date
                old, now = changes(before, snapshot(child, CHILD_FIELDS))
                if now:
                    changed_children.append((child, old, now))
                    report.updated += 1
                else:
                    report.unchanged += 1
            for placement in planned[0]:
                placement.child = child
            new_placements.extend(planned[0])
            changed_placements.extend(planned[1])
        report.extra["placements created"] += len(new_placements)
        report.extra["placements updated"] += len(changed_placements)
        if report.dry_run:
            return
        Child.objects.bulk_create(new_children)
        for child in new_children:
            record(None, Verb.CREATED, child, summary=f"{summary}: child {child.local_id}", after=snapshot(child))
        now_time = timezone.now()
        for child, _, _ in changed_children:
            child.updated_at = now_time
        Child.objects.bulk_update([c for c, _, _ in changed_children], CHILD_FIELDS + ["updated_at"])
        for child, old, now in changed_children:
            record(None, Verb.UPDATED, child, summary=f"{summary}: child {child.local_id}", before=old, after=now)
        # Closing before opening, one row at a time, so that "one open placement" holds throughout.
        changed_placements.sort(key=lambda change: change[0].ends_on is None)
        for placement, old, now in changed_placements:
            placement.save(update_fields=PLACEMENT_FIELDS)
            record(
                None,
                Verb.UPDATED,
                placement,
                summary=f"{summary}: episode from {placement.starts_on}",
                before=old,
                after=now,
            )
        Placement.objects.bulk_create(new_placements)
        for placement in new_placements:
            record(
                None,
                Verb.PLACED,
                placement,
                summary=f"{summary}: episode from {placement.starts_on}",
                after=snapshot(placement),
            )


def _plan_placements(
    child: Child | None, rows: ChildRows, episodes_path: str, current: list[Placement]
) -> tuple[list, list] | Problem:
    """The placements to create and the (placement, before, after) changes, or why the child cannot be imported."""
    new, changed = [], []
    by_start = {p.starts_on: p for p in current}
    for episode in rows.episodes:
        placement = by_start.pop(episode.starts_on, None)
        if placement is None:
            new.append(
                Placement(
                    starts_on=episode.starts_on,
                    ends_on=episode.ends_on,
                    legal_status=episode.legal_status,
                    placement_type=episode.placement_type,
                )
            )
            continue
        before = snapshot(placement, PLACEMENT_FIELDS)
        placement.ends_on = episode.ends_on
        placement.legal_status, placement.placement_type = episode.legal_status, episode.placement_type
        old, now = changes(before, snapshot(placement, PLACEMENT_FIELDS))
        if now:
            changed.append((placement, old, now))
    # A placement recorded before (in OpenPEP, or an earlier return) and still open ends
    # the day before the next episode of the return starts.
    for placement in by_start.values():
        if placement.ends_on is not None:
            continue
        later = [e.starts_on for e in rows.episodes if e.starts_on > placement.starts_on]
        if later:
            before = snapshot(placement, PLACEMENT_FIELDS)
            placement.ends_on = min(later) - datetime.timedelta(days=1)
            old, now = changes(before, snapshot(placement, PLACEMENT_FIELDS))
            changed.append((placement, old, now))
        elif rows.episodes[-1].ends_on is None:
            return Problem(
                episodes_path,
                rows.episodes[-1].line,
                "DEC",
                f"child {rows.local_id} already has an open placement from {placement.starts_on:%d/%m/%Y}, "
                "after this episode starts",
            )
    return new, changed
