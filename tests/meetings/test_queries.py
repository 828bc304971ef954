"""The lesson-time warning, against a fixed calendar and a fixed "now"; the Virtual School's answer."""

import datetime

import pytest

from openpep.meetings import services
from openpep.meetings.enums import MeetingRole, Response
from openpep.meetings.models import LONDON, Invitation
from openpep.meetings.queries import lesson_time_warning, virtual_school_answer
from tests.builders import cast_of, fresh, schedule_meeting, start

D = datetime.date
T = datetime.time
BEFORE = datetime.datetime(2027, 1, 1, 9, 0, tzinfo=LONDON)  # "now": every meeting below is still to come


def warning_for(world, day, start_time, minutes=60, *, now=BEFORE):
    """The warning for the PEP's meeting (scheduled, or moved) to ``day`` at ``start_time``."""
    pep = world.child.peps.first() or start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw, held_on=day, start_time=start_time, planned_minutes=minutes)
    return lesson_time_warning(fresh(pep), meeting, now=now)


def test_a_meeting_in_lesson_time_on_a_school_day_is_warned(world, calendar):
    assert warning_for(world, D(2027, 3, 2), T(10, 0)) == (
        "This meeting is in lesson time: Tuesday 2 March 2027, 10:00 to 11:00, is during Oak Primary's school day "
        "(08:45 to 15:15). Do not take Amira out of lessons unless it is necessary."
    )


@pytest.mark.parametrize(
    ("start_time", "minutes", "warned"),
    [
        (T(15, 15), 60, False),  # starts as the school day ends
        (T(7, 45), 60, False),  # ends as the school day starts
        (T(7, 45), 61, True),  # runs a minute into it
        (T(14, 45), 60, True),  # runs over the end of the day
        (T(12, 0), 30, True),  # lunchtime is still the school day
    ],
)
def test_only_a_meeting_that_overlaps_the_school_day_is_warned(start_time, minutes, warned, world, calendar):
    assert bool(warning_for(world, D(2027, 3, 2), start_time, minutes)) is warned


@pytest.mark.parametrize(
    "day",
    [
        D(2027, 2, 16),  # February half-term
        D(2027, 3, 6),  # a Saturday
        D(2027, 5, 3),  # Early May bank holiday, in the summer term
        D(2027, 4, 6),  # the Easter break, between terms
    ],
)
def test_a_meeting_on_a_day_without_school_is_not_warned(day, world, calendar):
    assert warning_for(world, day, T(10, 0)) == ""


def test_the_school_day_is_the_schools_own(world, calendar):
    world.school.day_starts, world.school.day_ends = T(8, 30), T(14, 30)
    world.school.save()

    assert warning_for(world, D(2027, 3, 2), T(14, 30)) == ""
    assert "(08:30 to 14:30)" in warning_for(world, D(2027, 3, 3), T(8, 0))


def test_without_term_dates_any_working_day_is_warned(world):
    assert "Tuesday 2 March 2027" in warning_for(world, D(2027, 3, 2), T(10, 0))
    assert warning_for(world, D(2027, 3, 6), T(10, 0)) == ""  # still not a Saturday


def test_a_meeting_already_over_is_not_warned(world, calendar):
    after = datetime.datetime(2027, 3, 2, 11, 0, tzinfo=LONDON)

    assert warning_for(world, D(2027, 3, 2), T(10, 0), now=after) == ""


def test_a_cancelled_meeting_is_not_warned(world, calendar):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw, held_on=D(2027, 3, 2), start_time=T(10, 0))
    meeting = services.cancel(world.sw, fresh(pep))

    assert lesson_time_warning(fresh(pep), meeting, now=BEFORE) == ""


def _vs(*responses):
    return [Invitation(role=MeetingRole.VIRTUAL_SCHOOL, response=r) for r in responses] + [
        Invitation(role=MeetingRole.DESIGNATED_TEACHER, response=Response.ATTENDING)
    ]


@pytest.mark.parametrize(
    ("responses", "said"),
    [
        ((Response.PENDING,), "The Virtual School has not answered yet"),
        ((Response.ATTENDING,), "The Virtual School has accepted"),
        ((Response.APOLOGIES,), "The Virtual School sent apologies"),
        ((Response.APOLOGIES, Response.ATTENDING), "The Virtual School has accepted"),  # one officer is enough
        ((Response.APOLOGIES, Response.PENDING), "The Virtual School has not answered yet"),
        ((), "The Virtual School has not been invited"),
    ],
)
def test_the_virtual_schools_answer_is_said_plainly(responses, said):
    assert virtual_school_answer(_vs(*responses)) == said
