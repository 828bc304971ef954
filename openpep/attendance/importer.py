"""The schools' daily attendance: one row a session, as a school's management information system
exports it for the local authority (UPN, URN, DATE, SESSION, CODE), read through the imports' CSV
reader and reported line by line like the other imports."""

import datetime
from collections.abc import Callable

from openpep.children.models import Child
from openpep.imports.reading import HeaderProblem, Problem, Report, parse_date, read_csv
from openpep.people.models import LocalAuthority, School

from . import services
from .enums import COUNTS, Session

COLUMNS = {
    "UPN": ("PUPIL UPN",),
    "URN": ("SCHOOL URN",),
    "DATE": ("SESSION DATE", "ATTENDANCE DATE"),
    "SESSION": ("AM/PM", "AMPM", "AM PM"),
    "CODE": ("ATTENDANCE CODE", "MARK"),
}
REQUIRED = list(COLUMNS)
#: The import page's example file (a test imports it): dates either way, AM and PM, a code.
EXAMPLE = (
    ("M909410212101", "990102", "18/11/2026", "AM", "E"),
    ("M909410212101", "990102", "2026-11-18", "PM", "/"),
)
#: Sessions a batch (one transaction, one audit entry) holds.
BATCH = 5000
SUMMARY = "Imported from the schools' attendance file"


def import_attendance(
    path: str,
    authority: LocalAuthority,
    *,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
    actor=None,
) -> Report:
    """Upsert each session (by child, school, date and AM/PM) of the authority's children. A row
    with a problem — or naming a UPN that is none of the authority's children, or a URN of no
    school — is reported by line and column and the rest are imported. A session given twice in a
    batch with different codes is a problem of the second line. Side effects: ``AttendanceDay``
    rows, one audit entry per batch, the children's figures worked out again
    (``services.save_sessions``)."""
    report = Report("import_attendance", dry_run=dry_run)
    batch: list[tuple[int, dict[str, str]]] = []
    try:
        for line, values, unreadable in read_csv(path, COLUMNS, REQUIRED, progress):
            report.read += 1
            if unreadable:
                report.problems.extend(unreadable)
                report.rejected += 1
                continue
            problems = _check(path, line, values)
            if problems:
                report.problems.extend(problems)
                report.rejected += 1
                continue
            batch.append((line, values))
            if len(batch) >= BATCH:
                _write(path, batch, authority, report, actor)
                batch = []
    except HeaderProblem as error:
        report.problems.extend(error.problems)
        return report
    _write(path, batch, authority, report, actor)
    report.problems.sort(key=lambda p: p.line)
    return report


def _check(path: str, line: int, values: dict) -> list[Problem]:
    problems = []
    upn, urn = values["UPN"].upper(), values["URN"]
    if not upn:
        problems.append(Problem(path, line, "UPN", "is empty: whose attendance is this?"))
    elif len(upn) != 13 or not upn.isalnum() or not upn.isascii():
        problems.append(Problem(path, line, "UPN", f"{values['UPN']!r} is not a UPN: give its 13 characters"))
    if not (len(urn) == 6 and urn.isascii() and urn.isdigit()):
        problems.append(Problem(path, line, "URN", f"{urn!r} is not a URN: give 6 digits"))
    try:
        values["DATE"] = parse_date(values["DATE"])
    except ValueError as error:
        problems.append(Problem(path, line, "DATE", str(error)))
    session = values["SESSION"].upper()
    if session not in Session.values:
        problems.append(Problem(path, line, "SESSION", f"{values['SESSION']!r} is not a session: give AM or PM"))
    code = values["CODE"].upper()
    if code not in COUNTS:
        problems.append(
            Problem(path, line, "CODE", f"{values['CODE']!r} is not a national attendance code (the 2024 set)")
        )
    values.update(UPN=upn, SESSION=session, CODE=code)
    return problems


def _write(path: str, batch: list[tuple[int, dict]], authority: LocalAuthority, report: Report, actor) -> None:
    if not batch:
        return
    upns = {values["UPN"] for _, values in batch}
    children = dict(Child.objects.filter(local_authority=authority, upn__in=upns).values_list("upn", "pk"))
    schools = dict(School.objects.filter(urn__in={values["URN"] for _, values in batch}).values_list("urn", "pk"))
    sessions: dict[tuple[int, int, datetime.date], dict[str, str]] = {}
    lines: dict[tuple, int] = {}
    for line, values in batch:
        problems = []
        child, school = children.get(values["UPN"]), schools.get(values["URN"])
        if child is None:
            problems.append(
                Problem(path, line, "UPN", f"there is no child with UPN {values['UPN']} in {authority.name}")
            )
        if school is None:
            problems.append(
                Problem(path, line, "URN", f"there is no school with URN {values['URN']}: import GIAS first")
            )
        key = (child, school, values["DATE"])
        session = values["SESSION"].lower()
        given = sessions.get(key, {})
        if not problems and given.get(session, values["CODE"]) != values["CODE"]:
            problems.append(
                Problem(
                    path,
                    line,
                    "CODE",
                    f"this session is given again with another code (first on line {lines[(*key, session)]})",
                )
            )
        if problems:
            report.problems.extend(problems)
            report.rejected += 1
            continue
        sessions.setdefault(key, {})[session] = values["CODE"]
        lines.setdefault((*key, session), line)
    saved = services.save_sessions(
        authority,
        sessions,
        schools={pk: urn for urn, pk in schools.items()},
        summary=SUMMARY,
        dry_run=report.dry_run,
        actor=actor,
    )
    report.created += saved.created
    report.updated += saved.updated
    report.unchanged += saved.unchanged
