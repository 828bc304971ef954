"""The e-mail to someone the Virtual School head adds: at an address of a council with single sign-on
it says to sign in with the council account, with the sign-in page's link and no password to set
(``people.sign_in_elsewhere``, which ``openpep.sso`` fills in); anyone else still gets the link to set
a password."""

import pytest
from django.core import mail
from django.urls import reverse

from openpep.people.enums import Role
from openpep.people.models import User
from tests.fixtures import sign_in

PROVIDER = {
    "name": "your Testshire council account",
    "issuer": "https://login.testshire.example",
    "client_id": "openpep",
    "client_secret": "secret",
    "authorization_endpoint": "https://login.testshire.example/authorize",
    "token_endpoint": "https://login.testshire.example/token",
    "jwks_uri": "https://login.testshire.example/keys",
    "domains": ["testshire.example"],
}


@pytest.fixture
def head(world, client, settings):
    settings.OIDC_PROVIDERS = {world.authority.code: PROVIDER}
    sign_in(client, world.vs_admin)
    return client


def add(client, email, django_capture_on_commit_callbacks):
    form = {"full_name": "Nell Newcomer", "email": email, "job_title": "", "role": Role.VS_OFFICER}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:staff_add"), form, follow=True)
    assert response.redirect_chain[-1][0] == reverse("people:staff")
    [message] = mail.outbox
    assert message.to == [email] and message.subject == "Your OpenPEP account for Testshire VS"
    return response.content.decode(), message.body


def test_a_council_account_is_told_to_sign_in_with_it(head, django_capture_on_commit_callbacks):
    page, body = add(head, "nell.newcomer@testshire.example", django_capture_on_commit_callbacks)

    assert "Sign in with your Testshire council account: you have no separate OpenPEP password." in body
    assert "http://testserver/sign-in/\n" in body
    assert "password/set/" not in body and "Set your password" not in body
    assert "Nell Newcomer has been added and told to sign in with their council account" in page
    assert not User.objects.get(email="nell.newcomer@testshire.example").has_usable_password()


def test_anyone_else_still_gets_the_link_to_set_a_password(head, django_capture_on_commit_callbacks):
    page, body = add(head, "nell.newcomer@elsewhere.example", django_capture_on_commit_callbacks)

    assert "Set your password here" in body and "http://testserver/password/set/" in body
    assert "council account" not in body
    assert "Nell Newcomer has been added and sent a link to set their password" in page


def test_an_approved_access_request_at_a_council_address_is_told_to_sign_in_with_it(
    head, world, django_capture_on_commit_callbacks
):
    """A school's teacher whose address is at the council's domain (a maintained school on the council's
    e-mail) has no OpenPEP password to set: the approval says to sign in with the council account."""
    from openpep.people import services
    from openpep.people.models import AccessRequest

    request = AccessRequest.objects.create(
        full_name="Tia Teacher",
        email="tia.teacher@testshire.example",
        school=world.school,
        role=Role.SCHOOL_STAFF,
        status="pending",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_access_request(world.vs_admin, request, base_url="http://testserver")

    [message] = mail.outbox
    assert "Sign in with your Testshire council account: you have no separate OpenPEP password." in message.body
    assert "http://testserver/sign-in/\n" in message.body and "password/set/" not in message.body
