"""The school calendar pages: the Virtual School head's only, and what they show and save."""

import datetime

import pytest
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.clock.models import Holiday, Term, Timescales
from tests.fixtures import sign_in

PAGES = ["clock:calendar", "clock:term_add", "clock:holiday_add", "clock:import", "clock:timescales"]


def _entry(name: str, starts_on: datetime.date, ends_on: datetime.date) -> dict:
    """A term's or a holiday's form, as the day/month/year inputs post it."""
    data = {"name": name}
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        data |= {f"{field}_0": day.day, f"{field}_1": day.month, f"{field}_2": day.year}
    return data


@pytest.mark.parametrize("page", PAGES)
def test_the_virtual_school_head_sees_the_calendar_pages(world, client, page):
    sign_in(client, world.vs_admin)

    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["vs", "sw", "dt", "vs_other", "nobody"])
def test_anyone_else_gets_a_404(world, client, page, role):
    sign_in(client, getattr(world, role))

    assert client.get(reverse(page)).status_code == 404


def test_the_navigation_links_to_the_calendar_for_the_head_only(world, client):
    link = f'href="{reverse("clock:calendar")}"'
    sign_in(client, world.vs_admin)
    assert link in client.get(reverse("children:list")).content.decode()
    sign_in(client, world.vs)
    assert link not in client.get(reverse("children:list")).content.decode()


def test_the_calendar_lists_each_year_with_its_school_days(world, client, calendar):
    Term.objects.filter(academic_year="2026-27", name="summer").delete()
    sign_in(client, world.vs_admin)

    page = client.get(reverse("clock:calendar")).content.decode()

    assert "Academic year 2025-26" in page
    assert "194 school days" in page
    assert "Testshire&#x27;s term dates for 2026-27 have no Summer term yet" in page
    assert "Monday 26 October 2026" in page


@pytest.mark.parametrize("terms", [1, 3])
def test_the_calendar_page_takes_the_same_queries_for_1_and_3_terms(world, client, django_assert_num_queries, terms):
    for year in range(terms):
        Term.objects.create(
            local_authority=world.authority,
            name="autumn",
            starts_on=datetime.date(2030 + year, 9, 2),
            ends_on=datetime.date(2030 + year, 12, 18),
        )
    sign_in(client, world.vs_admin)
    client.get(reverse("clock:calendar"))  # the session, warmed

    # Session, user, the second factor that verified the session (django-otp), roles, authority; terms,
    # holidays, timescales (one query each); the header's task count (one). The session is not saved:
    # its activity was recorded a moment ago.
    with django_assert_num_queries(9):
        assert client.get(reverse("clock:calendar")).status_code == 200


def test_adding_a_term(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("clock:term_add"),
        _entry("autumn", datetime.date(2027, 9, 1), datetime.date(2027, 12, 17)),
    )

    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.local_authority, term.academic_year, term.name) == (world.authority, "2027-28", "autumn")
    assert AuditEntry.objects.get().summary == "Added Autumn term 2027-28: 1 September 2027 to 17 December 2027"


def test_a_term_overlapping_another_is_refused_on_the_page(world, client, calendar):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("clock:term_add"),
        _entry("summer", datetime.date(2027, 3, 1), datetime.date(2027, 7, 20)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "starts_on": ["The dates overlap the Spring term 2026-27 (4 January 2027 to 25 March 2027)"],
        "name": ["The Summer term of 2026-27 is already entered"],
    }


def test_a_holiday_ending_before_it_starts_is_refused_on_the_page(world, client, calendar):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("clock:holiday_add"),
        _entry("INSET day", datetime.date(2026, 11, 9), datetime.date(2026, 11, 6)),
    )

    assert response.context["form"].errors == {"ends_on": ["The last day must be the same as or after the first day"]}
    assert not Holiday.objects.filter(name="INSET day", starts_on=datetime.date(2026, 11, 9)).exists()


def test_adding_a_holiday(world, client, calendar):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("clock:holiday_add"),
        _entry("INSET day", datetime.date(2026, 11, 9), datetime.date(2026, 11, 9)),
    )

    assert response.status_code == 302
    assert Holiday.objects.filter(name="INSET day", starts_on=datetime.date(2026, 11, 9)).exists()


def test_deleting_a_term_and_a_holiday(world, client, calendar):
    sign_in(client, world.vs_admin)
    term = Term.objects.get(academic_year="2025-26", name="summer")
    holiday = Holiday.objects.get(name="October half-term", starts_on=datetime.date(2026, 10, 26))

    assert client.post(reverse("clock:term_delete", args=[term.pk])).status_code == 302
    assert client.post(reverse("clock:holiday_delete", args=[holiday.pk])).status_code == 302

    assert not Term.objects.filter(pk=term.pk).exists()
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert not Holiday.objects.filter(name="May half-term", starts_on=datetime.date(2026, 5, 25)).exists()


def test_another_authoritys_term_cannot_be_deleted(world, client):
    theirs = Term.objects.create(
        local_authority=world.other_authority,
        name="autumn",
        starts_on=datetime.date(2026, 9, 2),
        ends_on=datetime.date(2026, 12, 18),
    )
    sign_in(client, world.vs_admin)

    assert client.post(reverse("clock:term_delete", args=[theirs.pk])).status_code == 404
    assert Term.objects.filter(pk=theirs.pk).exists()


def test_deleting_needs_a_post(world, client, calendar):
    sign_in(client, world.vs_admin)
    term = Term.objects.first()

    assert client.get(reverse("clock:term_delete", args=[term.pk])).status_code == 405
    assert Term.objects.filter(pk=term.pk).exists()


def test_saving_the_timescales(world, client):
    sign_in(client, world.vs_admin)
    data = {name: getattr(Timescales(), name) for name in Timescales.FIELDS} | {"escalate_after_days": 5}

    response = client.post(reverse("clock:timescales"), data)

    assert response.status_code == 302
    assert Timescales.objects.get(local_authority=world.authority).escalate_after_days == 5
    assert AuditEntry.objects.get().after == {"escalate_after_days": 5}


def test_timescales_must_be_whole_numbers_of_at_least_one_and_ready_after_started(world, client):
    sign_in(client, world.vs_admin)
    data = {name: getattr(Timescales(), name) for name in Timescales.FIELDS}
    data |= {"views_before_meeting_school_days": 0, "initial_ready_working_days": 5}

    response = client.post(reverse("clock:timescales"), data)

    assert response.context["form"].errors == {
        "views_before_meeting_school_days": ["Ensure this value is greater than or equal to 1."],
        "initial_ready_working_days": ["An initial PEP cannot be ready before it is started"],
    }
    assert not Timescales.objects.exists()
