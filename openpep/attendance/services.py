"""Writing attendance: a batch of sessions upserted, and the figures they change worked out again."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import LocalAuthority

from .enums import ATTENDED, COUNTS, POSSIBLE, SUSPENSION, Counts, academic_year, year_bounds
from .models import AttendanceDay, AttendanceYear


@dataclass(frozen=True)
class Figures:
    """What a run of sessions adds up to."""

    possible: int
    attended: int
    authorised: int
    unauthorised: int
    suspensions: int
    suspension_sessions: int

    @property
    def suspension_days(self) -> Decimal:
        """A day is two sessions."""
        return Decimal(self.suspension_sessions) / 2

    @property
    def attendance_percent(self) -> Decimal | None:
        if not self.possible:
            return None
        return (Decimal(100 * self.attended) / self.possible).quantize(Decimal("0.1"), ROUND_HALF_UP)


def figures(codes: Iterable[str]) -> Figures:
    """The figures of ``codes``, the child's sessions in date order (AM before PM; blanks skipped).

    Attendance = sessions attended (present or at an approved educational activity) over possible
    sessions. A suspension is a run of E sessions: another possible session ends it, a session that
    is not possible (a closure, an inset day) does not, as a suspension runs over school days."""
    counted = {Counts.PRESENT: 0, Counts.APPROVED: 0, Counts.AUTHORISED: 0, Counts.UNAUTHORISED: 0}
    suspensions = suspension_sessions = 0
    in_run = False
    for code in codes:
        if not code:
            continue
        counts = COUNTS[code]
        if counts not in POSSIBLE:
            continue
        counted[counts] += 1
        if code == SUSPENSION:
            suspension_sessions += 1
            suspensions += not in_run
            in_run = True
        else:
            in_run = False
    return Figures(
        possible=sum(counted.values()),
        attended=sum(counted[c] for c in ATTENDED),
        authorised=counted[Counts.AUTHORISED],
        unauthorised=counted[Counts.UNAUTHORISED],
        suspensions=suspensions,
        suspension_sessions=suspension_sessions,
    )


def recompute(child_ids: Iterable[int], years: Iterable[int]) -> None:
    """Work out again each child's ``AttendanceYear`` for each academic year, from their days at
    every school (in date order; two schools' rows of one day both count, as both registers do).
    Derived data, not audited: the write of the days it comes from is. Side effects: upserts
    (or, for a year with no days left, deletes) ``AttendanceYear`` rows."""
    child_ids, years = sorted(set(child_ids)), sorted(set(years))
    for year in years:
        first, last = year_bounds(year)
        days: dict[int, list[AttendanceDay]] = {}
        rows = AttendanceDay.objects.filter(child_id__in=child_ids, date__range=(first, last)).order_by(
            "child_id", "date", "school_id"
        )
        for day in rows:
            days.setdefault(day.child_id, []).append(day)
        summaries = []
        for child_id, found in days.items():
            total = figures(code for day in found for code in (day.am, day.pm))
            summaries.append(
                AttendanceYear(
                    child_id=child_id,
                    year=year,
                    to_date=found[-1].date,
                    possible=total.possible,
                    attended=total.attended,
                    authorised=total.authorised,
                    unauthorised=total.unauthorised,
                    suspensions=total.suspensions,
                    suspension_sessions=total.suspension_sessions,
                    suspension_days=total.suspension_days,
                    attendance_percent=total.attendance_percent,
                )
            )
        AttendanceYear.objects.bulk_create(
            summaries,
            update_conflicts=True,
            unique_fields=["child", "year"],
            update_fields=[
                "to_date",
                "possible",
                "attended",
                "authorised",
                "unauthorised",
                "suspensions",
                "suspension_sessions",
                "suspension_days",
                "attendance_percent",
            ],
        )
        AttendanceYear.objects.filter(child_id__in=set(child_ids) - set(days), year=year).delete()


@dataclass
class Saved:
    created: int = 0  # sessions
    updated: int = 0
    unchanged: int = 0


def save_sessions(
    authority: LocalAuthority,
    sessions: dict[tuple[int, int, datetime.date], dict[str, str]],
    *,
    schools: dict[int, str],
    summary: str,
    dry_run: bool = False,
    actor=None,
) -> Saved:
    """Upsert one batch of sessions: ``{(child id, school id, date): {"am": code, "pm": code}}``,
    each giving one session or both; a session not given keeps what it was. Only what differs is
    written, so a second run of the same file writes nothing. ``schools`` names each school's URN
    for the audit. Side effects, in one transaction: ``AttendanceDay`` rows created or updated, one
    audit entry (by ``actor``, none for a command, on the authority) for the batch when anything changed, and the
    children's ``AttendanceYear`` figures worked out again."""
    saved = Saved()
    if not sessions:
        return saved
    with transaction.atomic():
        child_ids = {child for child, _, _ in sessions}
        dates = [date for _, _, date in sessions]
        existing = {
            (d.child_id, d.school_id, d.date): d
            for d in AttendanceDay.objects.filter(
                child_id__in=child_ids,
                school_id__in={school for _, school, _ in sessions},
                date__range=(min(dates), max(dates)),
            )
        }
        write = []
        for (child_id, school_id, date), given in sessions.items():
            day = existing.get((child_id, school_id, date))
            if day is None:
                day = AttendanceDay(child_id=child_id, school_id=school_id, date=date)
                saved.created += len(given)
            else:
                differ = sum(getattr(day, session) != code for session, code in given.items())
                saved.updated += differ
                saved.unchanged += len(given) - differ
                if not differ:
                    continue
            for session, code in given.items():
                setattr(day, session, code)
            write.append(day)
        if dry_run or not write:
            return saved
        AttendanceDay.objects.bulk_create(
            write, update_conflicts=True, unique_fields=["child", "school", "date"], update_fields=["am", "pm"]
        )
        written = [day.date for day in write]
        record(
            actor,
            Verb.UPDATED,
            authority,
            summary=f"{summary}: {saved.created + saved.updated} sessions of {len({d.child_id for d in write})} "
            f"children, {min(written):%d/%m/%Y} to {max(written):%d/%m/%Y}",
            after={
                "schools": sorted({schools[d.school_id] for d in write}),
                "children": sorted({d.child_id for d in write}),
                "sessions created": saved.created,
                "sessions updated": saved.updated,
            },
        )
        recompute({d.child_id for d in write}, {academic_year(d.date) for d in write})
    return saved
