"""The next PEP meeting, recorded in Section D, must fall on a school day in term time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from openpep.clock.validators import validate_next_meeting

D = datetime.date


def _message(authority, when) -> str:
    with pytest.raises(ValidationError) as raised:
        validate_next_meeting(authority, when)
    return raised.value.messages[0]


def test_a_meeting_in_the_christmas_holiday_is_refused_saying_so(world, calendar):
    when = timezone.make_aware(datetime.datetime(2026, 12, 26, 14, 30))

    assert _message(world.authority, when) == (
        "The next meeting must be on a school day in term time: 26 December 2026 is in the Christmas holiday"
    )


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2026, 10, 27), "27 October 2026 is a school holiday (October half-term)"),
        (D(2026, 5, 4), "4 May 2026 is a bank holiday (May Day)"),
        (D(2026, 11, 7), "7 November 2026 is a Saturday"),
        (D(2026, 4, 13), "13 April 2026 is a school holiday (INSET day)"),
        (D(2026, 8, 20), "20 August 2026 is in the summer holiday"),
    ],
)
def test_a_meeting_on_a_day_without_school_is_refused_with_the_reason(world, calendar, day, reason):
    assert _message(world.authority, day) == f"The next meeting must be on a school day in term time: {reason}"


def test_a_meeting_on_a_school_day_is_accepted(world, calendar):
    assert validate_next_meeting(world.authority, timezone.make_aware(datetime.datetime(2026, 11, 9, 15))) is None


def test_the_meeting_day_is_the_local_day_not_the_utc_one(world, calendar):
    # 23:30 UTC on Friday 23 October 2026 is 00:30 on Saturday in London (British Summer Time).
    when = datetime.datetime(2026, 10, 23, 23, 30, tzinfo=datetime.UTC)

    assert _message(world.authority, when).endswith("24 October 2026 is a Saturday")


def test_a_meeting_in_a_year_without_term_dates_asks_for_them(world, calendar):
    assert _message(world.authority, D(2027, 9, 8)) == (
        "Testshire has no term dates for 2027-28 yet: "
        "a Virtual School admin must enter them before school days can be counted"
    )


def test_another_authoritys_calendar_is_not_used(world, calendar):
    assert _message(world.other_authority, D(2026, 11, 9)).startswith("Otherborough has no term dates for 2026-27")
