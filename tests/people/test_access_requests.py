"""A teacher asks for access: the public form with its school search, the signed link that
confirms the e-mail address, the Virtual School admin's queue, approval and rejection."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from openpep.audit.models import AuditEntry
from openpep.children.models import Child
from openpep.children.queries import children_for
from openpep.people import services
from openpep.people.enums import AccessRequestStatus, Role
from openpep.people.models import AccessRequest, Membership, School, User
from openpep.people.queries import access_requests_for
from openpep.plans.queries import peps_for
from tests.fixtures import make_user, sign_in

FORM = {
    "full_name": "Nia Newteacher",
    "email": "Nia.Newteacher@OakPrimary.example",
    "job_title": "Assistant head",
    "school_search": "oak",
    "role": Role.DESIGNATED_TEACHER,
}


def _ask(client, world, **changes):
    data = FORM | {"school": world.school.pk} | changes
    return client.post(reverse("access:request"), data)


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _confirmed(client, world, django_capture_on_commit_callbacks, **changes) -> AccessRequest:
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world, **changes)
    client.post(_link(mail.outbox[-1]))
    return AccessRequest.objects.get()


def test_the_sign_in_page_links_to_asking_for_access(client, db):
    response = client.get(reverse("login"))

    assert f'href="{reverse("access:request")}"' in response.content.decode()


def test_searching_by_name_lists_matching_schools_as_radios_keeping_what_was_typed(client, world):
    response = client.post(reverse("access:request"), FORM | {"find_school": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert 'type="radio"' in page and "Oak Primary, URN 100001 (Testshire)" in page
    assert "Elm Academy" not in page
    assert 'value="Nia Newteacher"' in page
    assert AccessRequest.objects.count() == 0


def test_searching_by_urn_finds_the_school(client, world):
    response = client.post(reverse("access:request"), FORM | {"school_search": "100002", "find_school": "1"})

    assert [s.name for s in response.context["form"].fields["school"].queryset] == ["Elm Academy"]


def test_a_search_that_matches_nothing_says_so(client, world):
    response = client.post(reverse("access:request"), FORM | {"school_search": "Zebra", "find_school": "1"})

    assert "No school matches ‘Zebra’" in response.content.decode()


def test_a_search_that_matches_many_shows_the_first_twenty_and_says_how_many(client, world):
    School.objects.bulk_create(
        School(urn=f"2000{i:02d}", name=f"Oakfield {i:02d}", phase="primary", local_authority=world.authority)
        for i in range(25)
    )

    response = client.post(reverse("access:request"), FORM | {"find_school": "1"})

    assert len(response.context["form"].fields["school"].queryset) == 20
    assert "Showing the first 20 of 26 schools" in response.content.decode()


def test_sending_without_a_school_asks_for_one_and_keeps_the_rest(client, world):
    response = client.post(reverse("access:request"), FORM | {"school_search": ""})

    assert response.context["form"].errors == {"school": ["Search for the school by its name or URN, then select it"]}
    assert 'value="Nia Newteacher"' in response.content.decode()


def test_a_request_is_recorded_unconfirmed_and_a_signed_link_is_e_mailed(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world)

    request = AccessRequest.objects.get()
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    assert (request.email, request.status, request.school, request.role) == (
        "nia.newteacher@oakprimary.example",
        AccessRequestStatus.UNVERIFIED,
        world.school,
        Role.DESIGNATED_TEACHER,
    )
    assert [m.to for m in mail.outbox] == [["nia.newteacher@oakprimary.example"]]
    assert _link(mail.outbox[0]).startswith("/request-access/confirm/")
    entry = AuditEntry.objects.get(target_type="people.accessrequest", verb="created")
    assert entry.actor is None and entry.after["school"] == "100001"


def test_asking_again_creates_no_second_request_and_resends_the_link_only_after_a_while(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world)
        _ask(client, world, full_name="Someone Else")
    assert AccessRequest.objects.count() == 1 and len(mail.outbox) == 1

    AccessRequest.objects.update(link_sent_at=timezone.now() - datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world)

    assert AccessRequest.objects.count() == 1 and len(mail.outbox) == 2
    assert AccessRequest.objects.get().full_name == "Nia Newteacher"


def test_an_address_with_an_account_gets_a_note_and_no_request(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world, email="DT@test.example")

    assert "Check your email" in response.content.decode()  # the page does not say the address is known
    assert AccessRequest.objects.count() == 0
    assert mail.outbox[0].subject == "You already have an OpenPEP account"


def test_opening_the_link_changes_nothing_until_the_teacher_confirms(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world)
    link = _link(mail.outbox[0])

    page = client.get(link)
    assert "Confirm your email address" in page.content.decode()
    assert AccessRequest.objects.get().status == AccessRequestStatus.UNVERIFIED

    confirmed = client.post(link)

    request = AccessRequest.objects.get()
    assert "Request sent" in confirmed.content.decode()
    assert request.status == AccessRequestStatus.PENDING and request.verified_at is not None
    assert AuditEntry.objects.filter(target_type="people.accessrequest", summary__contains="confirmed").count() == 1


def test_a_tampered_link_is_not_valid(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world)
    link = _link(mail.outbox[0])

    response = client.post(link[:-3] + "xyz/")

    assert "This link is not valid" in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequestStatus.UNVERIFIED


def test_an_expired_link_is_not_valid(client, world, monkeypatch):
    request = AccessRequest.objects.create(
        full_name="Nia Newteacher", email="nia@school.example", school=world.school, role=Role.SCHOOL_STAFF
    )
    made_at = time.time() - services.VERIFY_LINK_MAX_AGE.total_seconds() - 60
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: made_at)
        token = services.verification_token(request)

    response = client.post(reverse("access:verify", args=[token]))

    assert "This link is not valid" in response.content.decode()
    assert AccessRequest.objects.get().status == AccessRequestStatus.UNVERIFIED


def test_the_queue_shows_confirmed_requests_of_the_authoritys_own_schools(world):
    other_admin = make_user("head2@other.example", "Oti Head", Role.VS_ADMIN, local_authority=world.other_authority)
    made = {}
    for school in (world.school, world.other_school):
        for status in (AccessRequestStatus.UNVERIFIED, AccessRequestStatus.PENDING):
            made[school.urn, status] = AccessRequest.objects.create(
                full_name="T",
                email=f"{status}@{school.urn}.example",
                school=school,
                role=Role.SCHOOL_STAFF,
                status=status,
            )

    # Testshire's admin: its own school only, not Elm Academy in Otherborough, though Testshire's Ben is on roll.
    assert set(access_requests_for(world.vs_admin).filter(status="pending")) == {made["100001", "pending"]}
    # Otherborough's admin: its own school only; the officer of a Virtual School, no queue at all.
    assert set(access_requests_for(other_admin).filter(status="pending")) == {made["100002", "pending"]}
    assert list(access_requests_for(world.vs)) == []


def test_the_admin_approves_the_teacher_gets_an_account_at_the_school_and_a_link_to_set_a_password(
    client, world, django_capture_on_commit_callbacks
):
    request = _confirmed(client, world, django_capture_on_commit_callbacks)
    sign_in(client, world.vs_admin)
    queue = client.get(reverse("people:access_requests"))
    assert "Nia Newteacher" in queue.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:access_request", args=[request.pk]), {"decision": "approve"})

    assert response.status_code == 302
    user = User.objects.get(email="nia.newteacher@oakprimary.example")
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("role", "school")) == [
        (Role.DESIGNATED_TEACHER, world.school.pk)
    ]
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.user) == (AccessRequestStatus.APPROVED, world.vs_admin, user)
    approved = mail.outbox[-1]
    assert approved.subject == "Your access to OpenPEP has been approved" and approved.to == [user.email]
    assert AuditEntry.objects.filter(actor=world.vs_admin).count() == 3
    # The link sets the password (Django's password-reset tokens)...
    client.logout()
    form = client.get(_link(approved), follow=True)
    new_password = {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    client.post(form.redirect_chain[-1][0], new_password)
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")
    # ...and the new Designated Teacher sees the children on the school's roll, and their PEPs.
    assert list(children_for(User.objects.get(pk=user.pk))) == [world.child]


def test_the_admin_rejects_with_a_reason_which_the_teacher_is_sent(client, world, django_capture_on_commit_callbacks):
    request = _confirmed(client, world, django_capture_on_commit_callbacks)
    sign_in(client, world.vs_admin)
    url = reverse("people:access_request", args=[request.pk])

    empty = client.post(url, {"decision": "reject", "reason": ""})
    assert empty.context["form"].errors == {"reason": ["Enter reason for rejecting the request"]}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "The school tells us Nia left in July."})

    request.refresh_from_db()
    assert request.status == AccessRequestStatus.REJECTED
    assert not User.objects.filter(email=request.email).exists()
    assert "The school tells us Nia left in July." in mail.outbox[-1].body
    assert AuditEntry.objects.get(actor=world.vs_admin).after["reason"] == "The school tells us Nia left in July."


def test_a_decided_request_cannot_be_decided_again(world):
    request = AccessRequest.objects.create(
        full_name="T", email="t@s.example", school=world.school, role=Role.SCHOOL_STAFF, status="pending"
    )
    services.reject_access_request(world.vs_admin, request, reason="Not known to the school")

    with pytest.raises(Exception, match="already been decided"):
        services.approve_access_request(world.vs_admin, request, base_url="http://testserver")


def test_an_admin_of_an_authority_the_school_does_not_serve_finds_no_request(client, world):
    other_admin = make_user("head2@other.example", "Oti Head", Role.VS_ADMIN, local_authority=world.other_authority)
    request = AccessRequest.objects.create(
        full_name="T", email="t@s.example", school=world.school, role=Role.SCHOOL_STAFF, status="pending"
    )
    sign_in(client, other_admin)

    response = client.post(reverse("people:access_request", args=[request.pk]), {"decision": "approve"})

    assert response.status_code == 404
    assert AccessRequest.objects.get().status == AccessRequestStatus.PENDING


def test_other_school_staff_see_nothing_until_delegated(world):
    request = AccessRequest.objects.create(
        full_name="Sen Co", email="senco@s.example", school=world.school, role=Role.SCHOOL_STAFF, status="pending"
    )

    user = services.approve_access_request(world.vs_admin, request, base_url="http://testserver")

    fresh = User.objects.get(pk=user.pk)
    assert list(children_for(fresh)) == [] and list(peps_for(fresh)) == []


def test_confirming_the_address_e_mails_each_admin_who_may_decide_a_link_to_the_request(
    client, world, django_capture_on_commit_callbacks
):
    other_admin = make_user("head2@other.example", "Oti Head", Role.VS_ADMIN, local_authority=world.other_authority)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world, school=world.other_school.pk)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link_of_verify(client, world))

    request = AccessRequest.objects.get()
    # Elm Academy is Otherborough's: its admin decides, though Testshire's Ben is on its roll (Testshire's
    # admin, like the Virtual School officer, is not told).
    assert [m.to for m in mail.outbox] == [[other_admin.email]]
    assert all(len(m.to) == 1 for m in mail.outbox)
    for message in mail.outbox:
        assert message.subject == "A request for access to OpenPEP is waiting for your decision"
        assert "Nia Newteacher" in message.body and world.other_school.name in message.body
        assert _link(message) == reverse("people:access_request", args=[request.pk])
        for child in Child.objects.all():  # no child's data, not even a first name
            assert child.first_name not in message.body and child.last_name not in message.body
    entry = AuditEntry.objects.get(target_type="people.accessrequest", summary__contains="confirmed")
    assert entry.after["told"] == [other_admin.email]

    sign_in(client, other_admin)
    assert client.get(_link(mail.outbox[0])).status_code == 200


def test_only_the_admins_of_the_schools_own_authority_are_told_and_only_once(
    client, world, django_capture_on_commit_callbacks
):
    make_user("head2@other.example", "Oti Head", Role.VS_ADMIN, local_authority=world.other_authority)
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world)  # Oak Primary, Testshire's alone
    link = _link(mail.outbox[-1])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
        client.post(link)  # confirming again changes nothing and tells no one again

    assert [m.to for m in mail.outbox] == [[world.vs_admin.email]]


def _link_of_verify(client, world) -> str:
    return reverse("access:verify", args=[services.verification_token(AccessRequest.objects.get())])
