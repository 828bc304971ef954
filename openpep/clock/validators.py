"""Checks other apps' forms call. Imports nothing above ``clock.models``, so that
``plans.forms`` (and ``plans.views``) can use it without importing the due-date queries
(which read PEPs), and ``meetings`` shares the same rules."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from openpep.people.models import LocalAuthority, School

from .calendar import NoTermDates, SchoolCalendar, is_working_day, long_date

#: How long a meeting is taken to last when only its start is known (Section D's next meeting).
ASSUMED_MINUTES = 60


def is_school_day(day: datetime.date, authorities: Iterable[LocalAuthority | None]) -> bool:
    """From the first of ``authorities`` that has entered the year's term dates (the school's
    council, then the child's: a Virtual School enters its own); failing all, any working day
    counts, since a warning that may be needless is better than a missed one."""
    for authority in authorities:
        if authority is None:
            continue
        try:
            return SchoolCalendar(authority).is_school_day(day)
        except NoTermDates:
            continue
    return is_working_day(day)


def lesson_time_warning(
    school: School | None,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None = None,
    *,
    first_name: str,
    authorities: Iterable[LocalAuthority | None],
    what: str = "This meeting",
    now: datetime.datetime | None = None,
) -> str:
    """The one lesson-time rule, for the meeting the social worker schedules and for Section D's
    next meeting: a warning when a meeting still to come overlaps ``school``'s school day
    (``day_starts`` to ``day_ends``) on a school day. Empty when there is nothing to warn about:
    the seed asks not to take the child out of lessons unless necessary, but does not forbid it.
    ``ends_at`` defaults to ``ASSUMED_MINUTES`` after the start."""
    if school is None or starts_at is None:
        return ""
    starts = timezone.localtime(starts_at)
    ends = timezone.localtime(ends_at or starts_at + datetime.timedelta(minutes=ASSUMED_MINUTES))
    if ends <= (now or timezone.now()):
        return ""
    ends_on_the_day = ends.time() if ends.date() == starts.date() else datetime.time.max
    overlaps = starts.time() < school.day_ends and ends_on_the_day > school.day_starts
    if not overlaps or not is_school_day(starts.date(), authorities):
        return ""
    day = formats.date_format(starts.date(), "l j F Y")
    return (
        f"{what} is in lesson time: {day}, {starts:%H:%M} to {ends:%H:%M}, "
        f"is during {school.name}'s school day ({school.day_starts:%H:%M} to {school.day_ends:%H:%M}). "
        f"Do not take {first_name} out of lessons unless it is necessary."
    )


def validate_next_meeting(authority: LocalAuthority, when: datetime.date | datetime.datetime) -> None:
    """Refuse a next PEP meeting that is not on a school day of ``authority``'s
    calendar, saying why (a weekend, a bank holiday, a half-term, a break), or
    whose academic year has no term dates yet."""
    if isinstance(when, datetime.datetime):
        day = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    else:
        day = when
    try:
        reason = SchoolCalendar(authority).why_not_a_school_day(day)
    except NoTermDates as error:
        raise ValidationError(str(error), code="no_term_dates") from None
    if reason is not None:
        raise ValidationError(
            f"The next meeting must be on a school day in term time: {long_date(day)} is {reason}",
            code="not_a_school_day",
        )
