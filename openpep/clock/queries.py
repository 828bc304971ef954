"""When the next review falls due and the next meeting could be, from the council's calendar alone,
and an authority's calendar as its admin page shows it. A PEP's own due dates are ``plans.due``'s,
which builds on these (the clock imports nothing of ``plans``).

These raise ``NoTermDates`` when a school-day count runs into an academic year the authority has
not entered: a page should show that message (it tells the Virtual School what to do) rather than
a date that may be wrong.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from openpep.people.models import LocalAuthority

from .calendar import NoTermDates, SchoolCalendar
from .models import Holiday, Term, Timescales


def review_due_after(
    authority: LocalAuthority, day: datetime.date, calendar: SchoolCalendar | None = None
) -> datetime.date:
    """When a PEP signed off on ``day`` must next be reviewed: the end of the term after ``day``'s term.
    (For showing beside the next meeting in Section D, with ``day`` today.)"""
    return _review_due(calendar or SchoolCalendar(authority), day)


def suggested_next_meeting(
    authority: LocalAuthority, day: datetime.date | None = None, calendar: SchoolCalendar | None = None
) -> tuple[datetime.date, datetime.date] | None:
    """The next PEP meeting the clock suggests for a PEP finished on ``day`` (today): the school
    day that leaves the authority's ``submit_after_meeting_school_days`` before the next review
    is due (``review_due_after``), so the PEP that meeting starts can be submitted in time.
    Returns (the suggested day, the due date); None when the terms needed are not entered."""
    calendar = calendar or SchoolCalendar(authority)
    day = day or timezone.localdate()
    try:
        due = _review_due(calendar, day)
        lead = Timescales.for_authority(authority).submit_after_meeting_school_days
        suggested = calendar.subtract_school_days(due, lead)
    except NoTermDates:
        return None
    return (suggested if suggested > day else due), due


def _review_due(calendar: SchoolCalendar, signed_off: datetime.date) -> datetime.date:
    return calendar.next_term_after(calendar.term_at_or_before(signed_off).ends_on).ends_on


@dataclass(frozen=True)
class Year:
    """One academic year of an authority's calendar, as the admin page lists it."""

    academic_year: str
    terms: list[Term]
    holidays: list[Holiday]
    school_days: int | None  # None until all three terms are entered
    problem: str  # why the school days cannot be counted, if they cannot


def calendar_years(authority: LocalAuthority) -> list[Year]:
    """The authority's terms and holidays grouped by academic year, newest last (two queries)."""
    terms = list(Term.objects.filter(local_authority=authority))
    holidays = list(Holiday.objects.filter(local_authority=authority))
    calendar = SchoolCalendar(authority, terms=terms, holidays=holidays)
    years = []
    for year in sorted({t.academic_year for t in terms} | {h.academic_year for h in holidays}):
        try:
            school_days, problem = calendar.school_days_in(year), ""
        except NoTermDates as error:
            school_days, problem = None, str(error)
        years.append(
            Year(
                year,
                [t for t in terms if t.academic_year == year],
                [h for h in holidays if h.academic_year == year],
                school_days,
                problem,
            )
        )
    return years
