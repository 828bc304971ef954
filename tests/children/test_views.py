"""The child's pages through the test client: forms, errors kept on the page, and who may act."""

import datetime

import pytest
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children.models import Child, Enrolment, Placement
from openpep.people.enums import Role
from tests.fixtures import make_user, sign_in, today

VALID_UPN = "M201123456780"
WRONG_CHECK_LETTER = "A201123456780"


def _details(child, **changes):
    """The edit form as the browser would post it, with ``changes`` typed in."""
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth_0": child.date_of_birth.day,
        "date_of_birth_1": child.date_of_birth.month,
        "date_of_birth_2": child.date_of_birth.year,
        "gender": child.gender,
        "upn": child.upn,
        "local_id": child.local_id,
        "care_start_date_0": child.care_start_date.day,
        "care_start_date_1": child.care_start_date.month,
        "care_start_date_2": child.care_start_date.year,
        "iro": child.iro_id or "",
    }
    return data | changes


def _new_child(world, **changes):
    data = {
        "first_name": "Dara",
        "last_name": "Newcome",
        "date_of_birth_0": "14",
        "date_of_birth_1": "2",
        "date_of_birth_2": "2015",
        "gender": "1",
        "upn": VALID_UPN,
        "local_id": "DAR0042",
        "care_start_date_0": "1",
        "care_start_date_1": "9",
        "care_start_date_2": "2025",
        "iro": world.iro.pk,
        "social_worker": world.sw.pk,
        "legal_status": "C1",
        "placement_type": "U6",
        "carer_name": "Pat Carer",
        "school": world.school.pk,
    }
    return data | changes


def test_child_edit_with_wrong_check_letter_shows_error_and_keeps_typing(world, client):
    sign_in(client, world.sw)

    response = client.post(
        reverse("children:edit", args=[world.child.pk]),
        _details(world.child, upn=WRONG_CHECK_LETTER, first_name="Amira-Rose"),
    )

    assert response.status_code == 200
    assert "valid UPN" in response.context["form"].errors["upn"][0]
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Enter a valid UPN: 13 characters, starting with its check letter" in page
    assert f'value="{WRONG_CHECK_LETTER}"' in page
    assert 'value="Amira-Rose"' in page
    child = Child.objects.get(pk=world.child.pk)
    assert (child.upn, child.first_name) == ("", "Amira")
    assert AuditEntry.objects.count() == 0


def test_child_edit_with_upn_in_lower_case_saves_it_in_capitals(world, client):
    sign_in(client, world.vs)

    response = client.post(reverse("children:edit", args=[world.child.pk]), _details(world.child, upn="m201123456780"))

    assert response.status_code == 302
    assert Child.objects.get(pk=world.child.pk).upn == VALID_UPN
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.verb, entry.summary, entry.before["upn"], entry.after["upn"]) == (
        world.vs,
        "updated",
        "Edited details of Amira Test",
        "",
        VALID_UPN,
    )
    # The record's own timestamp is listed as a change too (update_child snapshots every field).
    assert (sorted(entry.before), sorted(entry.after)) == (["upn"], ["upn"])


def test_child_edit_with_upn_typed_in_groups_saves_it_without_spaces(world, client):
    sign_in(client, world.vs)

    response = client.post(
        reverse("children:edit", args=[world.child.pk]), _details(world.child, upn="M201 1234 56780")
    )

    assert response.status_code == 302
    assert Child.objects.get(pk=world.child.pk).upn == VALID_UPN


def test_child_edit_by_social_worker_of_other_team_is_not_found_and_changes_nothing(world, client):
    sign_in(client, world.sw_other)

    response = client.post(reverse("children:edit", args=[world.child.pk]), _details(world.child, first_name="X"))

    assert response.status_code == 404
    assert Child.objects.get(pk=world.child.pk).first_name == "Amira"


def test_child_add_with_wrong_check_letter_creates_nothing(world, client):
    sign_in(client, world.sw)

    response = client.post(reverse("children:add"), _new_child(world, upn=WRONG_CHECK_LETTER))

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert f'value="{WRONG_CHECK_LETTER}"' in response.content.decode()
    assert 'value="Dara"' in response.content.decode()
    assert Child.objects.count() == 2
    assert AuditEntry.objects.count() == 0


def test_child_add_creates_child_placement_enrolment_and_audit(world, client):
    sign_in(client, world.sw)

    response = client.post(reverse("children:add"), _new_child(world))

    child = Child.objects.get(local_id="DAR0042")
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[child.pk])
    assert (
        child.full_name,
        child.date_of_birth,
        child.upn,
        child.local_authority,
        child.social_worker,
        child.iro,
        child.care_start_date,
    ) == (
        "Dara Newcome",
        datetime.date(2015, 2, 14),
        VALID_UPN,
        world.authority,
        world.sw,
        world.iro,
        datetime.date(2025, 9, 1),
    )
    assert list(
        Placement.objects.filter(child=child).values_list("starts_on", "legal_status", "placement_type", "carer_name")
    ) == [(datetime.date(2025, 9, 1), "C1", "U6", "Pat Carer")]
    assert list(Enrolment.objects.filter(child=child).values_list("school", "starts_on", "ends_on")) == [
        (world.school.pk, datetime.date(2025, 9, 1), None)
    ]
    assert list(
        AuditEntry.objects.order_by("pk").values_list("actor", "verb", "target_type", "child_id", "summary")
    ) == [
        (world.sw.pk, "created", "children.child", child.pk, "Added Dara Newcome"),
        (
            world.sw.pk,
            "placed",
            "children.placement",
            child.pk,
            "First placement: U6 – Foster placement with other foster carer, other from 2025-09-01",
        ),
        (world.sw.pk, "enrolled", "children.enrolment", child.pk, "On roll at Oak Primary"),
    ]


def test_child_add_then_detail_is_seen_by_the_school_but_not_the_other_school(world, client):
    sign_in(client, world.vs)
    client.post(reverse("children:add"), _new_child(world))
    child = Child.objects.get(local_id="DAR0042")

    sign_in(client, world.dt)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
    sign_in(client, world.dt_other)
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404


def test_child_add_by_designated_teacher_is_refused(world, client):
    sign_in(client, world.dt)

    response = client.post(reverse("children:add"), _new_child(world))

    assert response.status_code == 403
    assert Child.objects.count() == 2


@pytest.fixture
def sw_same_team(world):
    return make_user("sw3@test.example", "Sue Next", Role.SOCIAL_WORKER, team=world.team)


def test_reallocate_by_team_manager_moves_child_and_old_social_worker_loses_it(world, client, sw_same_team):
    sign_in(client, world.tm)

    response = client.post(reverse("children:reallocate", args=[world.child.pk]), {"social_worker": sw_same_team.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[world.child.pk])
    assert Child.objects.get(pk=world.child.pk).social_worker == sw_same_team
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.verb, entry.summary, entry.before, entry.after) == (
        world.tm,
        "allocated",
        "Allocated Amira Test to Sue Next (was Sam Worker)",
        {"social_worker": "sw@test.example"},
        {"social_worker": "sw3@test.example"},
    )
    sign_in(client, world.sw)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404
    sign_in(client, sw_same_team)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200


def test_reallocate_to_other_team_sends_team_manager_back_to_the_list(world, client):
    sign_in(client, world.tm)

    response = client.post(reverse("children:reallocate", args=[world.child.pk]), {"social_worker": world.sw_other.pk})

    assert response["Location"] == reverse("children:list")
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404
    sign_in(client, world.sw_other)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200


def test_reallocate_by_the_allocated_social_worker_is_refused(world, client, sw_same_team):
    sign_in(client, world.sw)

    response = client.post(reverse("children:reallocate", args=[world.child.pk]), {"social_worker": sw_same_team.pk})

    assert response.status_code == 403
    assert Child.objects.get(pk=world.child.pk).social_worker == world.sw


def test_reallocate_to_someone_who_is_not_a_social_worker_shows_error(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(reverse("children:reallocate", args=[world.child.pk]), {"social_worker": world.dt.pk})

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert Child.objects.get(pk=world.child.pk).social_worker == world.sw


def test_change_of_school_through_view_moves_the_child(world, client):
    sign_in(client, world.sw)
    day = today()

    response = client.post(
        reverse("children:school", args=[world.child.pk]),
        {"school": world.other_school.pk, "starts_on_0": day.day, "starts_on_1": day.month, "starts_on_2": day.year},
    )

    assert response.status_code == 302
    assert list(Enrolment.objects.filter(child=world.child, ends_on__isnull=True).values_list("school", flat=True)) == [
        world.other_school.pk
    ]
    sign_in(client, world.dt)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 404
    sign_in(client, world.dt_other)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200


def test_change_of_school_starting_before_current_one_shows_error_on_the_date(world, client):
    sign_in(client, world.sw)

    response = client.post(
        reverse("children:school", args=[world.child.pk]),
        {"school": world.other_school.pk, "starts_on_0": "1", "starts_on_1": "9", "starts_on_2": "2023"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"starts_on": ["The new school must start after 1 September 2023"]}
    assert Enrolment.objects.filter(child=world.child).count() == 1
