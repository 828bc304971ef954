"""PEP pages through the test client: nothing typed is lost, errors are summarised, objects are scoped."""

import pytest
from django.urls import reverse

from openpep.children import services as children_services
from openpep.meetings.models import Meeting
from openpep.plans.enums import Status
from openpep.plans.models import Arrangements, Attainment, Pep, Target
from tests.builders import (
    add_attainment,
    add_attendee,
    add_target,
    cast_of,
    complete_section_d,
    pep_in,
    record_meeting,
    record_views,
    start,
)
from tests.fixtures import sign_in, today


def _meeting_form(lock_version, **changes):
    data = {
        "held_on_0": "4",
        "held_on_1": "2",
        "held_on_2": "2026",
        "start_time": "09:30",
        "planned_minutes": "60",
        "venue": "Oak Primary, meeting room 2",
        "chair": "Sam Worker",
        "note_taker": "Dee Teacher",
        "notes": "",
        "agreed": "True",
        "lock_version": lock_version,
    }
    return data | changes


def test_meeting_saved_by_two_people_shows_both_versions_and_keeps_typing(world, client):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)
    url = reverse("meetings:edit", args=[pep.pk])
    sign_in(client, world.dt)
    assert client.get(url).context["form"]["lock_version"].value() == 1  # the DT opens the form
    sign_in(client, world.sw)
    assert client.post(url, _meeting_form(1, venue="The library")).status_code == 302
    sign_in(client, world.dt)

    response = client.post(url, _meeting_form(1, notes="Amira chose her own targets"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert "Sam Worker saved this while you were editing" in page
    assert "Their saved version" in page
    assert "The library" in page  # theirs
    assert "Amira chose her own targets</textarea>" in page  # mine, still in the form
    assert 'name="lock_version" value="2"' in page
    assert "Save my version" in page
    stored = Meeting.objects.get(pep=pep)
    assert (stored.venue, stored.notes, stored.lock_version) == ("The library", "", 2)


def test_meeting_saved_again_after_conflict_keeps_mine(world, client):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)
    url = reverse("meetings:edit", args=[pep.pk])
    sign_in(client, world.sw)
    client.post(url, _meeting_form(1, venue="The library"))
    sign_in(client, world.dt)
    client.post(url, _meeting_form(1, notes="Amira chose her own targets"))

    response = client.post(url, _meeting_form(2, notes="Amira chose her own targets"))

    assert response.status_code == 302
    stored = Meeting.objects.get(pep=pep)
    assert (stored.venue, stored.notes, stored.lock_version, stored.updated_by) == (
        "Oak Primary, meeting room 2",
        "Amira chose her own targets",
        3,
        world.dt,
    )


def test_section_c_not_full_time_without_reason_shows_error_summary_and_keeps_typing(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.sw)

    response = client.post(
        reverse("plans:section_c", args=[pep.pk]),
        {"setting": "Part-time timetable at Oak Primary", "full_time": "False", "carer_views": "Worried about Fridays"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert response.context["form"].errors == {
        "not_full_time_reason": ["Say why the child is not in full-time education, and the plan"]
    }
    assert "Part-time timetable at Oak Primary</textarea>" in page
    assert "Worried about Fridays</textarea>" in page
    assert Arrangements.objects.filter(pep=pep).exists() is False


def test_target_not_in_childs_words_is_refused_with_message(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)

    response = client.post(
        reverse("plans:target_add", args=[pep.pk]),
        {
            "outcome": "Improve reading",
            "area": "reading",
            "success_measure": "Reading age",
            "actions": "Phonics",
            "who": "Class teacher",
            "by_when_0": "17",
            "by_when_1": "7",
            "by_when_2": "2027",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "outcome": ["Write the outcome in the child's words, starting ‘I will…’ or ‘I can…’"]
    }
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert Target.objects.count() == 0


def test_move_page_lists_what_is_missing(world, client):
    pep = start(cast_of(world))
    record_views(pep, world.dt)
    sign_in(client, world.dt)

    response = client.get(reverse("plans:move", args=[pep.pk, "school_returned"]))

    assert response.status_code == 200
    assert response.context["problems"] == ["Complete Section D"]


def test_move_posted_when_not_ready_shows_problems_and_stays(world, client):
    pep = start(cast_of(world))
    record_views(pep, world.dt)
    sign_in(client, world.dt)

    response = client.post(reverse("plans:move", args=[pep.pk, "school_returned"]), {"note": ""})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Complete Section D"]
    assert Pep.objects.get(pk=pep.pk).status == Status.DRAFT


def test_move_needing_reasons_posted_without_shows_error_on_reasons(world, client):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    sign_in(client, world.sw)

    response = client.post(reverse("plans:move", args=[pep.pk, "draft"]), {"note": "  "})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Enter the reasons, so the person who amends it knows what to change"]
    }
    assert Pep.objects.get(pk=pep.pk).status == Status.SCHOOL_RETURNED


def test_move_through_view_moves_and_returns_to_pep(world, client):
    pep = start(cast_of(world))
    record_views(pep, world.dt)
    complete_section_d(pep, world.dt)
    sign_in(client, world.dt)

    response = client.post(reverse("plans:move", args=[pep.pk, "school_returned"]), {"note": ""})

    assert response["Location"] == reverse("plans:detail", args=[pep.pk])
    assert Pep.objects.get(pk=pep.pk).status == Status.SCHOOL_RETURNED


def test_start_pep_through_view_uses_current_school(world, client):
    sign_in(client, world.sw)

    response = client.post(
        reverse("plans:start", args=[world.child.pk]),
        {"phase": "statutory", "occasion": "initial", "views_recorded_by": "school"},
    )

    pep = Pep.objects.get()
    assert response["Location"] == reverse("plans:detail", args=[pep.pk])
    assert (pep.school, pep.status, pep.created_by) == (world.school, Status.DRAFT, world.sw)


def test_start_pep_through_view_while_one_is_open_shows_error(world, client):
    start(cast_of(world))
    sign_in(client, world.sw)

    response = client.post(
        reverse("plans:start", args=[world.child.pk]),
        {"phase": "statutory", "occasion": "initial", "views_recorded_by": "school"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This child already has a PEP in progress: finish it before starting another"
    ]
    assert Pep.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "editable"),
    [
        ("sw", {"a", "c", "meeting"}),
        ("dt", {"b", "d", "meeting"}),
        ("tm", set()),
        ("vs", set()),
        ("iro", set()),
    ],
)
def test_pep_pages_offer_only_the_sections_role_may_change(role, editable, world, client):
    pep = start(cast_of(world))
    sign_in(client, getattr(world, role))

    whole = client.get(reverse("plans:whole", args=[pep.pk]))
    tasks = client.get(reverse("plans:detail", args=[pep.pk]))

    assert whole.context["editable"] == editable
    assert (reverse("plans:section_d", args=[pep.pk]) in whole.content.decode()) is ("d" in editable)
    assert (reverse("plans:section_d", args=[pep.pk]) in tasks.content.decode()) is ("d" in editable)


# Rows of another PEP, reached through a PEP the user may edit: the row must be looked up in that PEP.


@pytest.fixture
def two_drafts(world):
    own = start(cast_of(world))
    other_cast = cast_of(world, world.other_child)
    other = start(other_cast)
    add_target(other, world.dt_other)
    add_attainment(other, world.dt_other)
    record_meeting(other, world.sw_other)
    add_attendee(other, world.sw_other)
    record_meeting(own, world.sw)
    return own, Pep.objects.get(pk=other.pk)


def test_target_of_another_pep_through_own_pep_is_not_found(world, client, two_drafts):
    own, other = two_drafts
    target = other.targets.get()
    sign_in(client, world.dt)

    assert client.get(reverse("plans:target_edit", args=[own.pk, target.pk])).status_code == 404
    assert client.post(reverse("plans:target_remove", args=[own.pk, target.pk])).status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_attainment_of_another_pep_through_own_pep_is_not_removed(world, client, two_drafts):
    own, other = two_drafts
    row = other.attainment.get()
    sign_in(client, world.dt)

    assert client.post(reverse("plans:attainment_remove", args=[own.pk, row.pk])).status_code == 404
    assert Attainment.objects.filter(pk=row.pk).exists()


def test_attendee_of_another_pep_through_own_pep_is_not_removed(world, client, two_drafts):
    own, other = two_drafts
    attendee = other.meeting.attendees.get()
    sign_in(client, world.sw)

    assert client.post(reverse("meetings:attendee_remove", args=[own.pk, attendee.pk])).status_code == 404
    assert other.meeting.attendees.count() == 1


def test_new_school_reads_previous_school_pep_in_full_and_old_school_keeps_its_own(world, client):
    cast = cast_of(world)
    signed_off = pep_in(cast, Status.SIGNED_OFF)
    open_pep = start(cast)
    children_services.change_school(world.sw, world.child, world.other_school, today())

    sign_in(client, world.dt_other)
    page = client.get(reverse("plans:whole", args=[signed_off.pk])).content.decode()
    assert "Joined Oak Primary in Year 4" in page  # Section D of the previous school
    assert "I will read a chapter book each week (1)" in page
    assert client.get(reverse("plans:section_d", args=[open_pep.pk])).status_code == 200

    sign_in(client, world.dt)
    assert client.get(reverse("plans:detail", args=[signed_off.pk])).status_code == 200
    assert client.get(reverse("plans:detail", args=[open_pep.pk])).status_code == 404
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404


def test_correct_through_view_starts_version_two(world, client):
    original = pep_in(cast_of(world), Status.SIGNED_OFF)
    sign_in(client, world.sw)

    response = client.post(reverse("plans:correct", args=[original.pk]))

    copy = Pep.objects.get(corrects=original)
    assert response["Location"] == reverse("plans:detail", args=[copy.pk])
    assert (copy.version, copy.status) == (2, Status.DRAFT)
