"""A PEP's statutory due dates: the PEP clock, above the calendar's arithmetic (``clock.calendar``).

``due_dates`` works them out from the PEP, its meeting, the child's school and the council's
calendar; ``refresh_pep_clock`` stores them in ``clock.PepClock`` after every committed change of
a PEP (``signals.pep_changed``), after a change of the council's calendar or timescales
(``clock.signals.calendar_changed``) and daily (the worker's job), so task lists, reminders and
dashboards read them in a constant number of queries.

Due dates raise ``NoTermDates`` when a school-day count runs into an academic year the authority
has not entered: a page should show that message (it tells the Virtual School what to do) rather
than a date that may be wrong."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone

from openpep.children.models import Child
from openpep.clock.calendar import NoTermDates, SchoolCalendar, add_working_days
from openpep.clock.models import PepClock, Timescales
from openpep.clock.queries import review_due_after

from .enums import DecisionOutcome, Occasion, Status
from .models import Pep
from .queries import previous_pep


class DueKey(models.TextChoices):
    """The keys of ``due_dates``, each labelled as a PEP's page shows it."""

    INITIAL_STARTED = "initial_started", "Initial PEP started by"  # working days after entering care
    INITIAL_READY = "initial_ready", "Initial PEP ready for the first review by"
    REVIEW = "review", "Review PEP due by"  # the end of the term after the previous PEP's
    CHANGE_OF_SCHOOL = "change_of_school", "New PEP after the change of school due by"  # school days after the start
    VIEWS = "views", "Child's views recorded by"  # school days before the meeting
    SCHOOL_SECTION = "school_section", "School section returned by"  # school days after the meeting
    SUBMITTED = "submitted", "Submitted to the Virtual School by"  # school days after the meeting


def due_dates(
    pep: Pep, calendar: SchoolCalendar | None = None, timescales: Timescales | None = None
) -> dict[DueKey, datetime.date | None]:
    """Every statutory date that applies to ``pep``, each None when it does not apply (or is not known
    yet); ``calendar`` and ``timescales``: the child's authority's, when the caller has them already."""
    child = pep.child
    timescales = timescales or Timescales.for_authority(child.local_authority)
    calendar = calendar or SchoolCalendar(child.local_authority)
    due: dict[DueKey, datetime.date | None] = dict.fromkeys(DueKey)
    if pep.occasion == Occasion.INITIAL and child.care_start_date is not None:
        due[DueKey.INITIAL_STARTED] = add_working_days(child.care_start_date, timescales.initial_start_working_days)
        due[DueKey.INITIAL_READY] = add_working_days(child.care_start_date, timescales.initial_ready_working_days)
    elif pep.occasion == Occasion.REVIEW:
        previous = previous_pep(pep, before=pep)
        if previous is not None:
            due[DueKey.REVIEW] = review_due_after(child.local_authority, signed_off_on(previous), calendar)
    elif pep.occasion == Occasion.CHANGE_OF_SCHOOL:
        enrolments = child.enrolments.order_by("-starts_on")
        enrolment = (enrolments.filter(school_id=pep.school_id) if pep.school_id else enrolments).first()
        if enrolment is not None:
            due[DueKey.CHANGE_OF_SCHOOL] = calendar.add_school_days(
                enrolment.starts_on, timescales.change_of_school_school_days
            )
    meeting = meeting_date(pep)
    if meeting is not None:
        due[DueKey.VIEWS] = calendar.subtract_school_days(meeting, timescales.views_before_meeting_school_days)
        due[DueKey.SCHOOL_SECTION] = calendar.add_school_days(
            meeting, timescales.school_section_after_meeting_school_days
        )
        due[DueKey.SUBMITTED] = calendar.add_school_days(meeting, timescales.submit_after_meeting_school_days)
    return due


def next_pep_due(child: Child) -> datetime.date | None:
    """When the child's next PEP must be ready: the initial PEP's date until one
    is signed off; then the end of the term after the last signed-off PEP's term,
    or sooner when the child has changed school since. None once the child has
    left care (placements recorded, none open), and for a child never in care."""
    placements = list(child.placements.values_list("ends_on", flat=True))
    if (placements and None not in placements) or child.care_start_date is None:
        return None
    timescales = Timescales.for_authority(child.local_authority)
    last = previous_pep(child)
    if last is None:
        return add_working_days(child.care_start_date, timescales.initial_ready_working_days)
    calendar = SchoolCalendar(child.local_authority)
    signed_off = signed_off_on(last)
    due = review_due_after(child.local_authority, signed_off, calendar)
    moved = child.enrolments.filter(starts_on__gt=signed_off).order_by("-starts_on").first()
    if moved is not None:
        due = min(due, calendar.add_school_days(moved.starts_on, timescales.change_of_school_school_days))
    return due


def signed_off_on(pep: Pep) -> datetime.date:
    """The day the Virtual School signed off ``pep`` — for a correction, the day
    the PEP it corrects was signed off, since the plan counted for that term."""
    while pep.corrects_id is not None:
        pep = pep.corrects
    if "own_signed_off_at" in pep.__dict__:  # read with it (``previous_pep``)
        return timezone.localtime(pep.own_signed_off_at or pep.updated_at).date()
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


def refresh_pep_clock(pep_id: int) -> PepClock | None:
    """Work out and store one PEP's due dates (``due_dates``). A signed-off
    PEP keeps the dates it had. Derived data: not audited."""
    pep = Pep.objects.select_related("child__local_authority").filter(pk=pep_id).first()
    if pep is None or pep.status == Status.SIGNED_OFF:
        return None
    values = {"pep_due": None, "views_due": None, "school_section_due": None, "submit_due": None, "problem": ""}
    try:
        due = due_dates(pep)
    except NoTermDates as error:
        values["problem"] = str(error)[:300]
    else:
        values.update(
            pep_due=due[DueKey.INITIAL_READY] or due[DueKey.REVIEW] or due[DueKey.CHANGE_OF_SCHOOL],
            views_due=due[DueKey.VIEWS],
            school_section_due=due[DueKey.SCHOOL_SECTION],
            submit_due=due[DueKey.SUBMITTED],
        )
    clock, _ = PepClock.objects.update_or_create(pep=pep, defaults=values)
    return clock


def refresh_open_pep_clocks(authority_id: int | None = None) -> int:
    """Recompute every PEP in progress (of one authority): after a calendar change,
    and daily by the worker, since a due date can depend on the date itself."""
    peps = Pep.objects.exclude(status=Status.SIGNED_OFF)
    if authority_id is not None:
        peps = peps.filter(child__local_authority_id=authority_id)
    ids = list(peps.values_list("pk", flat=True))
    for pep_id in ids:
        refresh_pep_clock(pep_id)
    return len(ids)
