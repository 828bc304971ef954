"""Section D's next meeting: suggested from the statutory clock on a school day, and checked
against the school's day with the same lesson-time rule as the meeting the social worker
schedules (``clock.validators.lesson_time_warning``, one rule used by both): a warning, the
page coming back once with it, never a refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpep.clock.calendar import long_date
from openpep.clock.models import Term
from openpep.clock.queries import suggested_next_meeting
from openpep.clock.services import add_entries
from openpep.meetings.queries import lesson_time_warning
from openpep.plans.models import SchoolSection
from tests.builders import cast_of, complete_section_d, fresh, schedule_meeting, start
from tests.fixtures import sign_in

D = datetime.date
T = datetime.time


@pytest.fixture
def terms(world):
    """Terms for last year, this year and next, whatever today is, so the clock can always count."""
    this = timezone.localdate().year
    entries = []
    for year in range(this - 2, this + 2):
        entries += [
            Term(name="autumn", starts_on=D(year, 9, 2), ends_on=D(year, 12, 18)),
            Term(name="spring", starts_on=D(year + 1, 1, 4), ends_on=D(year + 1, 3, 25)),
            Term(name="summer", starts_on=D(year + 1, 4, 12), ends_on=D(year + 1, 7, 21)),
        ]
    add_entries(world.vs_admin, world.authority, entries)


def test_the_clock_suggests_a_school_day_that_leaves_time_to_submit_before_the_review_is_due(world, calendar):
    # Finished on 2 December 2026 (autumn term): the next review is due at the end of the spring
    # term, Thursday 25 March 2027; ten school days before it (the authority's time to submit
    # after the meeting) is Thursday 11 March 2027.
    assert suggested_next_meeting(world.authority, D(2026, 12, 2)) == (D(2027, 3, 11), D(2027, 3, 25))
    # A council with no terms entered: no suggestion rather than a wrong one.
    assert suggested_next_meeting(world.other_authority, D(2026, 12, 2)) is None


@pytest.mark.parametrize(
    ("start_time", "in_lessons"),
    [(T(8, 0), True), (T(7, 30), False), (T(10, 0), True), (T(15, 0), True), (T(15, 15), False), (T(16, 0), False)],
)
def test_one_rule_for_the_scheduled_meeting_and_section_ds_next_meeting(world, terms, client, start_time, in_lessons):
    """The school's day is 08:45 to 15:15: an hour's meeting warns when it overlaps it, on both pages."""
    pep = start(cast_of(world))
    day = suggested_next_meeting(world.authority)[0]
    meeting = schedule_meeting(pep, world.sw, held_on=day, start_time=start_time)
    section = complete_section_d(pep, world.dt)
    SchoolSection.objects.filter(pk=section.pk).update(
        next_meeting_at=timezone.make_aware(datetime.datetime.combine(day, start_time))
    )

    scheduled = lesson_time_warning(fresh(pep), meeting)
    sign_in(client, world.dt)
    page = client.get(reverse("plans:section_d", args=[pep.pk])).content.decode()

    when = f"{day:%A} {day.day} {day:%B %Y}, {start_time:%H:%M} to {T(start_time.hour + 1, start_time.minute):%H:%M}"
    expected = (
        f"is in lesson time: {when}, is during Oak Primary's school day (08:45 to 15:15). "
        "Do not take Amira out of lessons unless it is necessary."
    )
    assert scheduled == (f"This meeting {expected}" if in_lessons else "")
    assert (f"The next meeting {expected}".replace("'", "&#x27;") in page) is in_lessons
    assert ('id="lesson-time"' in page) is in_lessons


def test_no_warning_out_of_term_on_either_page(world, terms, client):
    pep = start(cast_of(world))
    saturday = suggested_next_meeting(world.authority)[0]
    while saturday.weekday() != 5:
        saturday += datetime.timedelta(days=1)
    meeting = schedule_meeting(pep, world.sw, held_on=saturday, start_time=T(10, 0))
    section = complete_section_d(pep, world.dt)
    SchoolSection.objects.filter(pk=section.pk).update(
        next_meeting_at=timezone.make_aware(datetime.datetime.combine(saturday, T(10, 0)))
    )
    sign_in(client, world.dt)

    assert lesson_time_warning(fresh(pep), meeting) == ""
    assert 'id="lesson-time"' not in client.get(reverse("plans:section_d", args=[pep.pk])).content.decode()


def _section_d_form(day: datetime.date, time: str) -> dict:
    return {
        "sen_status": "N",
        "suspensions": "0",
        "suspension_days": "0",
        "permanent_exclusions": "0",
        "education_story": "Joined Oak Primary in Year 4",
        "next_meeting_on_0": str(day.day),
        "next_meeting_on_1": str(day.month),
        "next_meeting_on_2": str(day.year),
        "next_meeting_time": time,
        "lock_version": "",
    }


def test_a_next_meeting_in_lesson_time_is_saved_and_the_page_comes_back_once_with_the_warning(world, terms, client):
    pep = start(cast_of(world))
    day = suggested_next_meeting(world.authority)[0]
    url = reverse("plans:section_d", args=[pep.pk])
    sign_in(client, world.dt)

    response = client.post(url, _section_d_form(day, "10:00"))

    assert (response.status_code, response["Location"]) == (302, url)
    saved = SchoolSection.objects.get(pep=pep)
    assert timezone.localtime(saved.next_meeting_at) == timezone.make_aware(datetime.datetime.combine(day, T(10, 0)))
    page = client.get(url).content.decode()
    assert "The next meeting is in lesson time" in page and "Go back to the PEP" in page


def test_a_next_meeting_after_school_goes_back_to_the_pep(world, terms, client):
    pep = start(cast_of(world))
    day = suggested_next_meeting(world.authority)[0]
    sign_in(client, world.dt)

    response = client.post(reverse("plans:section_d", args=[pep.pk]), _section_d_form(day, "16:00"))

    assert response["Location"] == reverse("plans:detail", args=[pep.pk]) + "#section-d"


def test_section_d_suggests_the_next_meeting_after_school_while_none_is_saved(world, terms, client):
    pep = start(cast_of(world))
    day, due = suggested_next_meeting(world.authority)
    url = reverse("plans:section_d", args=[pep.pk])
    sign_in(client, world.dt)

    response = client.get(url)

    form = response.context["form"]
    assert (form.initial["next_meeting_on"], form.initial["next_meeting_time"]) == (day, T(15, 15))
    hint = f"Suggested: {long_date(day)} at 15:15, after school. The next review is due by {long_date(due)}."
    assert hint in response.content.decode()

    saved = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), T(16, 30)))
    complete_section_d(pep, world.dt)
    SchoolSection.objects.filter(pep=pep).update(next_meeting_at=saved)
    form = client.get(url).context["form"]
    assert (form.initial["next_meeting_on"], form.initial["next_meeting_time"]) == (saved.date(), T(16, 30))
