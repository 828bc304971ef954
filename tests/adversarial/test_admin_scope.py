"""Issue point 5: a Virtual School Head acts only on the accounts and access requests their council
is responsible for. Testshire's Ben attends Elm Academy, a school of Otherborough: that makes Elm
Academy's Designated Teacher and its access requests Otherborough's to manage, not Testshire's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.people import services
from openpep.people.enums import AccessRequestStatus, Role
from openpep.people.models import AccessRequest, Membership, User
from openpep.people.queries import access_requests_for, deciders_of, staff_for
from tests.fixtures import make_user, sign_in


@pytest.fixture
def other_head(world):
    return make_user("head2@other.example", "Oti Head", Role.VS_ADMIN, local_authority=world.other_authority)


def _pending(school, email="t@elm.example") -> AccessRequest:
    return AccessRequest.objects.create(
        full_name="Tia Teacher", email=email, school=school, role=Role.SCHOOL_STAFF, status=AccessRequestStatus.PENDING
    )


def _active(user) -> bool:
    return User.objects.get(pk=user.pk).is_active


def test_a_head_cannot_deactivate_the_teacher_of_another_councils_school_their_child_attends(world, client, tally):
    sign_in(client, world.vs_admin)

    tries = [
        client.get(reverse("people:staff_detail", args=[world.dt_other.pk])).status_code,
        client.post(reverse("people:staff_deactivate", args=[world.dt_other.pk])).status_code,
    ]
    tally("deactivations across councils", 2)

    assert tries == [404, 404]
    assert world.dt_other not in staff_for(world.vs_admin)
    with pytest.raises(PermissionDenied):
        services.deactivate(world.vs_admin, world.dt_other)
    assert _active(world.dt_other)
    assert not AuditEntry.objects.filter(target_type="people.user").exists()


def test_the_schools_own_council_still_deactivates_its_teacher(world, other_head, client):
    sign_in(client, other_head)

    response = client.post(reverse("people:staff_deactivate", args=[world.dt_other.pk]))

    assert response.status_code == 302 and not _active(world.dt_other)
    assert AuditEntry.objects.get(target_type="people.user").actor == other_head


def test_nobody_of_one_council_deactivates_someone_who_also_works_for_another(world, other_head, client, tally):
    # Dee is Oak Primary's DT (Testshire) and also on Elm Academy's staff (Otherborough).
    Membership.objects.create(
        user=world.dt, role=Role.SCHOOL_STAFF, school=world.other_school, starts_on=datetime.date(2020, 1, 1)
    )
    for head in (world.vs_admin, other_head):
        sign_in(client, head)
        page = client.get(reverse("people:staff_detail", args=[world.dt.pk]))
        response = client.post(reverse("people:staff_deactivate", args=[world.dt.pk]), follow=True)
        tally("deactivations across councils", 1)

        assert page.status_code == 200 and "Deactivate Dee Teacher" not in page.content.decode()
        assert "also works for" in page.content.decode()
        assert "also works for" in response.content.decode()
        assert _active(world.dt)
        with pytest.raises(ValidationError):
            services.deactivate(head, world.dt)
    assert not AuditEntry.objects.filter(target_type="people.user").exists()


def test_an_ended_role_elsewhere_does_not_stop_the_council_that_is_left(world, client):
    Membership.objects.create(
        user=world.dt,
        role=Role.SCHOOL_STAFF,
        school=world.other_school,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2021, 1, 1),
    )
    sign_in(client, world.vs_admin)

    client.post(reverse("people:staff_deactivate", args=[world.dt.pk]))

    assert not _active(world.dt)


def test_a_head_decides_no_access_request_of_another_councils_school(world, other_head, client, tally):
    request = _pending(world.other_school)
    sign_in(client, world.vs_admin)

    tries = [
        client.get(reverse("people:access_request", args=[request.pk])).status_code,
        client.post(reverse("people:access_request", args=[request.pk]), {"decision": "approve"}).status_code,
        client.post(
            reverse("people:access_request", args=[request.pk]), {"decision": "reject", "reason": "No"}
        ).status_code,
    ]
    tally("access-request decisions across councils", 3)

    assert tries == [404, 404, 404]
    assert request not in access_requests_for(world.vs_admin)
    for decide in (
        lambda: services.approve_access_request(world.vs_admin, request, base_url="http://testserver"),
        lambda: services.reject_access_request(world.vs_admin, request, reason="No"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    assert AccessRequest.objects.get().status == AccessRequestStatus.PENDING
    assert not User.objects.filter(email="t@elm.example").exists()


def test_only_the_schools_own_council_is_asked_to_decide(world, other_head):
    elm, oak = _pending(world.other_school), _pending(world.school, email="t@oak.example")

    assert deciders_of(elm) == [other_head]
    assert deciders_of(oak) == [world.vs_admin]
    assert set(access_requests_for(other_head)) == {elm}
    assert set(access_requests_for(world.vs_admin)) == {oak}
