"""The figures where people read them: the child's page and Section D, with the day they run to."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.attendance.enums import academic_year
from openpep.plans.models import SchoolSection
from tests.builders import cast_of, complete_section_d, start
from tests.fixtures import sign_in, today

from .conftest import register

SUSPENDED_ONCE = [("/", "\\")] * 3 + [("E", "E"), ("I", "N")]  # 6 of 10: 60.0%, one suspension, one day


def _year_start() -> datetime.date:
    return datetime.date(academic_year(today()), 9, 1)


def _last_day(first: datetime.date, count: int) -> datetime.date:
    day, seen = first, 0
    while True:
        if day.weekday() < 5:
            seen += 1
            if seen == count:
                return day
        day += datetime.timedelta(days=1)


def test_the_child_page_shows_this_years_figures_and_the_day_they_run_to(world, client):
    register(world.child, world.school, _year_start(), SUSPENDED_ONCE)
    to = _last_day(_year_start(), 5)
    sign_in(client, world.dt)

    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()

    assert f"From the school's attendance data to {to.day} {to:%B %Y}" in page
    assert "60.0%" in page and "Persistently absent" in page
    assert "4 of 10 (3 authorised, 1 unauthorised)" in page
    assert '<dt class="govuk-summary-list__key">Suspensions</dt><dd class="govuk-summary-list__value">1</dd>' in page


def test_last_years_data_is_not_this_years(world, client):
    register(world.child, world.school, _year_start() - datetime.timedelta(days=60), [("N", "N")] * 5)
    sign_in(client, world.sw)

    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()

    assert "No attendance data from Amira's school this academic year" in page
    assert "From the school's attendance data" not in page


def test_the_child_page_reads_the_figures_in_one_query_however_many_days(world, client):
    sign_in(client, world.sw)
    url = reverse("children:detail", args=[world.child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    register(world.child, world.school, _year_start(), [("/", "\\")] * 60)
    with CaptureQueriesContext(connection) as with_data:
        client.get(url)

    # The panel's one query is there either way (it finds nothing, or the year's one row).
    assert len(with_data) == len(without)
    assert sum("attendance_attendanceyear" in q["sql"] for q in with_data.captured_queries) == 1


def test_a_new_section_d_opens_with_the_figures_from_the_data_and_says_so(world, client):
    pep = start(cast_of(world))
    register(world.child, world.school, _year_start(), SUSPENDED_ONCE)
    to = _last_day(_year_start(), 5)
    sign_in(client, world.dt)

    response = client.get(reverse("plans:section_d", args=[pep.pk]))

    form = response.context["form"]
    assert (form["attendance_percent"].value(), form["suspensions"].value(), form["suspension_days"].value()) == (
        Decimal("60.0"),
        1,
        Decimal("1.0"),
    )
    page = response.content.decode()
    assert f"From the school's attendance data to {to.day} {to:%B %Y}: 60.0%" in page


def test_what_the_school_types_wins_over_the_data(world, client):
    pep = start(cast_of(world))
    register(world.child, world.school, _year_start(), SUSPENDED_ONCE)
    sign_in(client, world.dt)
    data = {
        "sen_status": "N",
        "education_story": "Joined in Year 4",
        "attendance_percent": "72.5",
        "suspensions": "2",
        "suspension_days": "1.5",
        "permanent_exclusions": "0",
    }

    response = client.post(reverse("plans:section_d", args=[pep.pk]), data)

    assert response.status_code == 302
    saved = SchoolSection.objects.get(pep=pep)
    assert (saved.attendance_percent, saved.suspensions, saved.suspension_days) == (Decimal("72.5"), 2, Decimal("1.5"))
    form = client.get(reverse("plans:section_d", args=[pep.pk])).context["form"]
    assert form["attendance_percent"].value() == Decimal("72.5")  # a saved section shows what was saved
    assert "attendance data" in form.fields["attendance_percent"].help_text  # and what the data says beside it


def test_a_saved_section_d_keeps_its_figures_when_data_arrives_later(world, client):
    pep = start(cast_of(world))
    complete_section_d(pep, world.dt)
    register(world.child, world.school, _year_start(), SUSPENDED_ONCE)
    sign_in(client, world.dt)

    form = client.get(reverse("plans:section_d", args=[pep.pk])).context["form"]

    assert (form["attendance_percent"].value(), form["suspensions"].value()) == (None, None)


def test_with_no_data_section_d_is_typed_as_before(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)

    form = client.get(reverse("plans:section_d", args=[pep.pk])).context["form"]

    assert form["attendance_percent"].value() is None
    assert "attendance data" not in form.fields["attendance_percent"].help_text
