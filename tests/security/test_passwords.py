"""Passwords: at least 12 characters, not a common one, not numeric only, not like the person's
own details — on the one page where anyone sets a password (the link sent to new staff)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from openpep.demo import PASSWORD as DEMO_PASSWORD
from tests.fixtures import PASSWORD


def set_password_page(client, user):
    """Follows the e-mailed link: Django swaps the token for a session and redirects."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Shortpass1!", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("qwertyuiop123", "This password is too common."),
        ("738261947261534", "This password is entirely numeric."),
        ("sam.worker.test.example", "The password is too similar to the"),
    ],
)
def test_weak_password_is_refused_and_nothing_changes(client, world, password, message):
    user = world.sw
    user.email = "sam.worker@test.example"
    user.save()
    page = set_password_page(client, user)

    response = client.post(page, {"new_password1": password, "new_password2": password})

    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password(password)


def test_a_good_password_is_set_and_signs_in(client, world):
    page = set_password_page(client, world.dt)
    new = "plum tractor evening lantern"

    response = client.post(page, {"new_password1": new, "new_password2": new})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    signed_in = client.post(reverse("login"), {"username": world.dt.email, "password": new})
    assert signed_in.status_code == 302  # the form took the new password (a wrong one shows it again)
    assert signed_in["Location"] != reverse("login")


@pytest.mark.parametrize("password", [PASSWORD, DEMO_PASSWORD])
def test_the_shared_test_and_demo_passwords_would_be_accepted(password):
    validate_password(password)


def test_validators_are_configured():
    with pytest.raises(ValidationError) as refused:
        validate_password("abc123")
    assert {error.code for error in refused.value.error_list} >= {"password_too_short", "password_too_common"}
