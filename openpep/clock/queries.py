"""Due dates of the statutory clock, and an authority's calendar as its admin page shows it.

Due dates raise ``NoTermDates`` when a school-day count runs into an academic
year the authority has not entered: a page should show that message (it tells
the Virtual School what to do) rather than a date that may be wrong.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from openpep.children.models import Child
from openpep.people.models import LocalAuthority
from openpep.plans.enums import DecisionOutcome, Occasion
from openpep.plans.models import Pep
from openpep.plans.queries import previous_pep

from .calendar import NoTermDates, SchoolCalendar, add_working_days
from .models import Holiday, Term, Timescales

#: The keys of ``due_dates``, each None when it does not apply to the PEP (or is not known yet).
DUE_KEYS = (
    "initial_started",  # initial PEP: started, working days after entering care
    "initial_ready",  # initial PEP: ready for the first review
    "review",  # termly review: by the end of the term after the previous PEP's
    "change_of_school",  # change of school: school days after the new school's start
    "views",  # child's views: school days before the meeting
    "school_section",  # school section returned: school days after the meeting
    "submitted",  # submitted to the Virtual School: school days after the meeting
)


def due_dates(pep: Pep, calendar: SchoolCalendar | None = None) -> dict[str, datetime.date | None]:
    """Every statutory date that applies to ``pep``, keyed as ``DUE_KEYS`` (``calendar``: the
    child's authority's, when the caller has it already)."""
    child = pep.child
    timescales = Timescales.for_authority(child.local_authority)
    calendar = calendar or SchoolCalendar(child.local_authority)
    due: dict[str, datetime.date | None] = dict.fromkeys(DUE_KEYS)
    if pep.occasion == Occasion.INITIAL:
        due["initial_started"] = add_working_days(child.care_start_date, timescales.initial_start_working_days)
        due["initial_ready"] = add_working_days(child.care_start_date, timescales.initial_ready_working_days)
    elif pep.occasion == Occasion.REVIEW:
        previous = previous_pep(pep, before=pep)
        if previous is not None:
            due["review"] = _review_due(calendar, signed_off_on(previous))
    elif pep.occasion == Occasion.CHANGE_OF_SCHOOL:
        enrolments = child.enrolments.order_by("-starts_on")
        enrolment = (enrolments.filter(school_id=pep.school_id) if pep.school_id else enrolments).first()
        if enrolment is not None:
            due["change_of_school"] = calendar.add_school_days(
                enrolment.starts_on, timescales.change_of_school_school_days
            )
    meeting = meeting_date(pep)
    if meeting is not None:
        due["views"] = calendar.subtract_school_days(meeting, timescales.views_before_meeting_school_days)
        due["school_section"] = calendar.add_school_days(
            meeting, timescales.school_section_after_meeting_school_days
        )
        due["submitted"] = calendar.add_school_days(meeting, timescales.submit_after_meeting_school_days)
    return due


def next_pep_due(child: Child) -> datetime.date | None:
    """When the child's next PEP must be ready: the initial PEP's date until one
    is signed off; then the end of the term after the last signed-off PEP's term,
    or sooner when the child has changed school since. None once the child has
    left care (placements recorded, none open)."""
    placements = list(child.placements.values_list("ends_on", flat=True))
    if placements and None not in placements:
        return None
    timescales = Timescales.for_authority(child.local_authority)
    last = previous_pep(child)
    if last is None:
        return add_working_days(child.care_start_date, timescales.initial_ready_working_days)
    calendar = SchoolCalendar(child.local_authority)
    signed_off = signed_off_on(last)
    due = _review_due(calendar, signed_off)
    moved = child.enrolments.filter(starts_on__gt=signed_off).order_by("-starts_on").first()
    if moved is not None:
        due = min(due, calendar.add_school_days(moved.starts_on, timescales.change_of_school_school_days))
    return due


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


def signed_off_on(pep: Pep) -> datetime.date:
    """The day the Virtual School signed off ``pep`` — for a correction, the day
    the PEP it corrects was signed off, since the plan counted for that term."""
    while pep.corrects_id is not None:
        pep = pep.corrects
    decision = pep.decisions.filter(outcome=DecisionOutcome.SIGNED_OFF).order_by("-decided_at").first()
    return timezone.localtime(decision.decided_at if decision else pep.updated_at).date()


def meeting_date(pep: Pep) -> datetime.date | None:
    """The day of the PEP's meeting: from its meeting (unless cancelled), else the
    next meeting agreed in the previous PEP's Section D."""
    try:
        if pep.meeting.cancelled_at is None:
            return pep.meeting.held_on
    except ObjectDoesNotExist:
        pass
    previous = previous_pep(pep, before=pep)
    try:
        planned = previous.school_section.next_meeting_at if previous else None
    except ObjectDoesNotExist:
        planned = None
    return timezone.localtime(planned).date() if planned else None


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
