"""Checks other apps' forms call. Imports nothing above ``clock.models``, so that
``plans.forms`` can use it without importing the due-date queries (which read PEPs)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from openpep.people.models import LocalAuthority

from .calendar import NoTermDates, SchoolCalendar, long_date


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
