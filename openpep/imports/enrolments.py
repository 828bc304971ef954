"""Which school each child attends, as councils export it from their education system."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.children.models import Child, Enrolment
from openpep.people.models import LocalAuthority, School

from .reading import HeaderProblem, Problem, Report, parse_date, read_csv

COLUMNS = {
    "CHILD": ("CHILD ID", "LOCAL ID"),
    "UPN": (),
    "URN": ("SCHOOL URN",),
    "START DATE": ("STARTS ON", "START"),
    "END DATE": ("ENDS ON", "END"),
}
REQUIRED = ["URN", "START DATE"]
TEXT = {"CHILD": Child._meta.get_field("local_id").max_length}
BATCH = 500
SUMMARY = "Imported from the council's enrolments file"


@dataclass
class Row:
    line: int
    urn: str
    starts_on: datetime.date
    ends_on: datetime.date | None


@dataclass
class ChildRows:
    key: str
    line: int
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def import_enrolments(
    path: str, authority: LocalAuthority, *, dry_run: bool = False, progress: Callable[[str, int], None] | None = None
) -> Report:
    """Upsert each child's enrolments (by school and start date). An enrolment with no end
    date closes the child's previous open one the day before it starts. A child with any
    wrong row is left as it was. Side effects: audit entries (actor None), in batches of
    one transaction each.
    """
    report = Report("import_enrolments", dry_run=dry_run)
    children: dict[str, ChildRows] = {}
    try:
        rows = read_csv(path, COLUMNS, REQUIRED, progress, text=TEXT)
        first = next(rows, None)
        if first is not None and "CHILD" not in first[1] and "UPN" not in first[1]:
            raise HeaderProblem([Problem(path, 1, "CHILD", "missing from the header row: give CHILD or UPN")])
        for line, values, unreadable in [first] if first else []:
            _add(path, line, values, children, unreadable)
        for line, values, unreadable in rows:
            _add(path, line, values, children, unreadable)
    except HeaderProblem as error:
        report.problems.extend(error.problems)
        return report
    report.read = len(children)
    urns = sorted({row.urn for child in children.values() for row in child.rows})
    known = set()
    for start in range(0, len(urns), 1000):
        known.update(School.objects.filter(urn__in=urns[start : start + 1000]).values_list("urn", flat=True))
    for child in children.values():
        for row in child.rows:
            if row.urn not in known:
                child.problems.append(
                    Problem(path, row.line, "URN", f"there is no school with URN {row.urn}: import GIAS first")
                )
    valid, done = [], set()
    for child in children.values():
        if child.problems:
            report.problems.extend(child.problems)
            report.rejected += 1
        else:
            valid.append(child)
    for start in range(0, len(valid), BATCH):
        _write(path, valid[start : start + BATCH], authority, report, done)
    report.problems.sort(key=lambda p: p.line)
    return report


def _add(path: str, line: int, values: dict, children: dict[str, ChildRows], unreadable: list[Problem]) -> None:
    local_id, upn = values.get("CHILD", ""), values.get("UPN", "").upper()
    if unreadable and (any(p.column in ("CHILD", "UPN") for p in unreadable) or not (local_id or upn)):
        key = f"line {line}"  # whose row it is cannot be told: it is reported on its own
        children[key] = ChildRows(key, line, problems=list(unreadable))
        return
    if not local_id and not upn:
        column = "CHILD" if "CHILD" in values else "UPN"
        key = f"line {line}"
        children[key] = ChildRows(key, line, problems=[Problem(path, line, column, "is empty: which child is this?")])
        return
    key = f"CHILD {local_id}" if local_id else f"UPN {upn}"
    child = children.setdefault(key, ChildRows(key, line))
    if unreadable:
        child.problems.extend(unreadable)
        return
    problems = []
    urn = values["URN"]
    if not (len(urn) == 6 and urn.isdigit()):
        problems.append(Problem(path, line, "URN", f"{urn!r} is not a URN: give 6 digits"))
    dates = {}
    for column in ("START DATE", "END DATE"):
        if not values.get(column):
            if column == "START DATE":
                problems.append(Problem(path, line, column, "is empty"))
            dates[column] = None
            continue
        try:
            dates[column] = parse_date(values[column])
        except ValueError as error:
            problems.append(Problem(path, line, column, str(error)))
    starts_on, ends_on = dates.get("START DATE"), dates.get("END DATE")
    if starts_on and ends_on and ends_on < starts_on:
        problems.append(Problem(path, line, "END DATE", f"{values['END DATE']} is before the start date"))
    for other in child.rows:
        if not problems and other.urn == urn and other.starts_on == starts_on:
            problems.append(
                Problem(path, line, "START DATE", f"this enrolment is given again (first on line {other.line})")
            )
    if problems:
        child.problems.extend(problems)
    else:
        child.rows.append(Row(line, urn, starts_on, ends_on))


def _write(path: str, batch: list[ChildRows], authority: LocalAuthority, report: Report, done: set) -> None:
    with transaction.atomic():
        local_ids = [c.key.removeprefix("CHILD ") for c in batch if c.key.startswith("CHILD ")]
        upns = [c.key.removeprefix("UPN ") for c in batch if c.key.startswith("UPN ")]
        found = {}
        for child in Child.objects.filter(Q(local_id__in=local_ids) | Q(upn__in=upns), local_authority=authority):
            found[f"CHILD {child.local_id}"] = child
            if child.upn:
                found[f"UPN {child.upn}"] = child
        schools = {s.urn: s for s in School.objects.filter(urn__in={r.urn for c in batch for r in c.rows})}
        current: dict[int, list[Enrolment]] = {}
        for enrolment in Enrolment.objects.filter(child__in=found.values()).select_related("school"):
            current.setdefault(enrolment.child_id, []).append(enrolment)
        new, changed = [], []
        for rows in batch:
            child = found.get(rows.key)
            problems = []
            if child is None:
                what = rows.key.replace("CHILD", "child").replace("UPN", "a child with UPN")
                column = rows.key.split(" ")[0]
                problems.append(Problem(path, rows.line, column, f"there is no {what} in {authority.name}"))
            elif child.pk in done:
                problems.append(
                    Problem(
                        path, rows.line, rows.key.split(" ")[0], "this child is also given by their other identifier"
                    )
                )
            else:
                done.add(child.pk)
            planned = None if problems else _plan(path, child, rows, schools, current.get(child.pk, []))
            if isinstance(planned, Problem):
                problems.append(planned)
            if problems:
                report.problems.extend(problems)
                report.rejected += 1
                continue
            created, updated = planned
            new.extend(created)
            changed.extend(updated)
            if created or updated:
                report.created += bool(created)
                report.updated += bool(updated) and not created
            else:
                report.unchanged += 1
        report.extra["enrolments created"] = report.extra.get("enrolments created", 0) + len(new)
        report.extra["enrolments updated"] = report.extra.get("enrolments updated", 0) + len(changed)
        if report.dry_run:
            return
        # Closing before opening, one row at a time, so that "one open enrolment" holds throughout.
        changed.sort(key=lambda change: change[0].ends_on is None)
        for enrolment, old, now in changed:
            enrolment.save(update_fields=["ends_on"])
            record(None, Verb.UPDATED, enrolment, summary=f"{SUMMARY}: {enrolment.school.name}", before=old, after=now)
        Enrolment.objects.bulk_create(new)
        for enrolment in new:
            record(
                None,
                Verb.ENROLLED,
                enrolment,
                summary=f"{SUMMARY}: on roll at {enrolment.school.name}",
                after={
                    "school": enrolment.school.urn,
                    "starts_on": enrolment.starts_on.isoformat(),
                    "ends_on": enrolment.ends_on.isoformat() if enrolment.ends_on else None,
                },
            )


def _plan(path: str, child: Child, rows: ChildRows, schools: dict, existing: list[Enrolment]):
    """New enrolments and (enrolment, before, after) changes for one child, or why not."""
    by_key = {(e.school.urn, e.starts_on): e for e in existing}
    before = {id(e): e.ends_on for e in existing}
    new = []
    for row in rows.rows:
        enrolment = by_key.get((row.urn, row.starts_on))
        if enrolment is None:
            enrolment = Enrolment(child=child, school=schools[row.urn], starts_on=row.starts_on)
            new.append(enrolment)
        enrolment.ends_on = row.ends_on
        enrolment.line = row.line
    everything = sorted([*existing, *new], key=lambda e: e.starts_on)
    open_one = None
    for enrolment in everything:
        if enrolment.ends_on is not None:
            continue
        if open_one is not None:
            if open_one.starts_on == enrolment.starts_on:
                return Problem(
                    path,
                    getattr(enrolment, "line", rows.line),
                    "START DATE",
                    f"two schools start on {enrolment.starts_on:%d/%m/%Y} with no end date",
                )
            open_one.ends_on = enrolment.starts_on - datetime.timedelta(days=1)
        open_one = enrolment
    changed = []
    for enrolment in existing:
        if enrolment.ends_on != before[id(enrolment)]:
            old = before[id(enrolment)]
            changed.append(
                (
                    enrolment,
                    {"ends_on": old.isoformat() if old else None},
                    {"ends_on": enrolment.ends_on.isoformat() if enrolment.ends_on else None},
                )
            )
    return new, changed
