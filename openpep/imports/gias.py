"""Schools anywhere in England, from the Get Information about Schools establishments CSV."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.people.enums import SchoolPhase
from openpep.people.models import LocalAuthority, School

from .reading import HeaderProblem, Problem, Report, read_csv

COLUMNS = {
    "URN": (),
    "LA (code)": (),
    "LA (name)": (),
    "EstablishmentNumber": (),
    "EstablishmentName": (),
    "PhaseOfEducation (name)": (),
    "TypeOfEstablishment (name)": (),
    "EstablishmentStatus (name)": (),
}
REQUIRED = list(COLUMNS)[:6]
TEXT = {
    "EstablishmentName": School._meta.get_field("name").max_length,
    "LA (name)": LocalAuthority._meta.get_field("name").max_length,
}
BATCH = 1000
SUMMARY = "Imported from the GIAS establishments file"

PHASES = {
    "nursery": SchoolPhase.NURSERY,
    "primary": SchoolPhase.PRIMARY,
    "middle deemed primary": SchoolPhase.MIDDLE,
    "middle deemed secondary": SchoolPhase.MIDDLE,
    "secondary": SchoolPhase.SECONDARY,
    "all-through": SchoolPhase.ALL_THROUGH,
    "16 plus": SchoolPhase.SIXTEEN_PLUS,
}
NOT_APPLICABLE = "not applicable"
FIELDS = ["laestab", "name", "phase", "local_authority_id"]


def phase_of(phase_name: str, type_name: str) -> str | None:
    """SchoolPhase for a GIAS row; special and alternative provision go by type, as GIAS
    gives most of them the phase "Not applicable". None: not a phase OpenPEP knows."""
    kind = type_name.lower()
    if "special" in kind:
        return SchoolPhase.SPECIAL
    if "alternative provision" in kind or "pupil referral" in kind:
        return SchoolPhase.ALTERNATIVE
    return PHASES.get(phase_name.strip().lower())


@dataclass
class Row:
    line: int
    urn: str
    la_code: str
    la_name: str
    laestab: str
    name: str
    phase: str


def _parse(path: str, line: int, values: dict) -> tuple[Row | None, list[Problem], bool]:
    """The row, its problems, and whether it is to be skipped (no phase of education)."""
    problems = []

    def problem(column, message):
        problems.append(Problem(path, line, column, message))

    urn, la_code, number = values["URN"], values["LA (code)"], values["EstablishmentNumber"]
    if not re.fullmatch(r"\d{6}", urn):
        problem("URN", f"{urn!r} is not a URN: give 6 digits")
    if not re.fullmatch(r"\d{3}", la_code):
        problem("LA (code)", f"{la_code!r} is not an LA code: give 3 digits")
    if not values["LA (name)"]:
        problem("LA (name)", "is empty")
    if number and not re.fullmatch(r"\d{1,4}", number):
        problem("EstablishmentNumber", f"{number!r} is not an establishment number: give up to 4 digits")
    name = values["EstablishmentName"]
    if not name:
        problem("EstablishmentName", "is empty")
    phase_name = values["PhaseOfEducation (name)"]
    phase = phase_of(phase_name, values.get("TypeOfEstablishment (name)", ""))
    skip = False
    if phase is None:
        if phase_name.lower() == NOT_APPLICABLE:
            skip = True
        else:
            known = ", ".join(sorted(PHASES))
            problem("PhaseOfEducation (name)", f"{phase_name!r} is not a phase of education ({known})")
    if problems or skip:
        return None, problems, skip
    laestab = la_code + number.zfill(4) if number else ""
    return Row(line, urn, la_code, values["LA (name)"], laestab, name, phase), [], False


def import_gias(path: str, *, dry_run: bool = False, progress: Callable[[str, int], None] | None = None) -> Report:
    """Upsert every school of the file by URN, and its local authority by LA code.

    Rows whose phase of education is "Not applicable" (and not special or alternative
    provision) are skipped. Side effects: audit entries (actor None) for each school
    and authority created or changed, written in batches, one transaction each.
    """
    report = Report("import_gias", dry_run=dry_run)
    authorities = {la.code: la for la in LocalAuthority.objects.all()}
    checked_names: set[str] = set()
    seen: dict[str, int] = {}
    batch: list[Row] = []
    try:
        for line, values, unreadable in read_csv(path, COLUMNS, REQUIRED, progress, text=TEXT):
            report.read += 1
            row, problems, skip = (None, unreadable, False) if unreadable else _parse(path, line, values)
            if row is not None and row.urn in seen:
                problems = [Problem(path, line, "URN", f"URN {row.urn} is given again (first on line {seen[row.urn]})")]
                row = None
            if problems:
                report.problems.extend(problems)
                report.rejected += 1
            elif skip:
                report.skipped += 1
            else:
                seen[row.urn] = line
                batch.append(row)
                if len(batch) >= BATCH:
                    _write(batch, authorities, checked_names, report)
                    batch = []
        _write(batch, authorities, checked_names, report)
    except HeaderProblem as error:
        report.problems.extend(error.problems)
    return report


def _authority(row: Row, authorities: dict, checked: set, report: Report) -> LocalAuthority:
    authority = authorities.get(row.la_code)
    if authority is None:
        authority = LocalAuthority(code=row.la_code, name=row.la_name)
        if not report.dry_run:
            authority.save()
            record(None, Verb.CREATED, authority, summary=f"{SUMMARY}: {authority.name}", after=snapshot(authority))
        authorities[row.la_code] = authority
        report.extra["authorities created"] = report.extra.get("authorities created", 0) + 1
    elif row.la_code not in checked and authority.name != row.la_name:
        before = snapshot(authority, ["name"])
        authority.name = row.la_name
        if not report.dry_run:
            authority.save(update_fields=["name"])
            record(
                None,
                Verb.UPDATED,
                authority,
                summary=f"{SUMMARY}: {authority.name}",
                before=before,
                after=snapshot(authority, ["name"]),
            )
        report.extra["authorities renamed"] = report.extra.get("authorities renamed", 0) + 1
    checked.add(row.la_code)
    return authority


def _write(batch: list[Row], authorities: dict, checked: set, report: Report) -> None:
    if not batch:
        return
    with transaction.atomic():
        existing = {s.urn: s for s in School.objects.filter(urn__in=[row.urn for row in batch])}
        new, changed = [], []
        for row in batch:
            authority = _authority(row, authorities, checked, report)
            school = existing.get(row.urn)
            if school is None:
                new.append(
                    School(urn=row.urn, laestab=row.laestab, name=row.name, phase=row.phase, local_authority=authority)
                )
                continue
            before = snapshot(school, FIELDS)
            school.laestab, school.name, school.phase = row.laestab, row.name, row.phase
            school.local_authority = authority
            old, now = changes(before, snapshot(school, FIELDS))
            if now:
                changed.append((school, old, now))
            else:
                report.unchanged += 1
        report.created += len(new)
        report.updated += len(changed)
        if report.dry_run:
            return
        School.objects.bulk_create(new)
        for school in new:
            record(None, Verb.CREATED, school, summary=f"{SUMMARY}: {school.name}", after=snapshot(school))
        School.objects.bulk_update([school for school, _, _ in changed], FIELDS)
        for school, old, now in changed:
            record(None, Verb.UPDATED, school, summary=f"{SUMMARY}: {school.name}", before=old, after=now)
