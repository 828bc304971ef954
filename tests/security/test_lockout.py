"""Lockout (django-axes): failures are counted per account and client address together; the Nth
answers 429 with a GOV.UK page; a forged X-Forwarded-For cannot make failures count against
someone else's address; a successful sign-in starts the count again."""

import pytest
from django.conf import settings
from django.urls import reverse

from openpep.client_ip import client_ip
from tests.fixtures import PASSWORD

ATTACKER, VICTIM, PROXY, OTHER = "203.0.113.66", "198.51.100.7", "10.0.0.2", "192.0.2.9"
LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(client, user, password="wrong-password-here", **meta):
    client.logout()
    return client.post(reverse("login"), {"username": user.email, "password": password}, **meta)


def signed_in(response) -> bool:
    """The sign-in form took the password (a wrong one shows the form again, a lockout is 429);
    whatever comes next, a second factor for one, is not what these tests are about."""
    return response.status_code == 302 and response["Location"] != reverse("login")


def fail(client, user, times, **meta):
    for _ in range(times):
        response = attempt(client, user, **meta)
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()


def test_locks_out_after_the_limit_with_a_429_page(client, world):
    assert LIMIT == 5
    fail(client, world.sw, LIMIT - 1, REMOTE_ADDR=ATTACKER)

    response = attempt(client, world.sw, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 429
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts to sign in</h1>' in page
    assert "try again in 15 minutes" in page
    assert 'class="govuk-template__body"' in page  # the service's own layout
    # Now even the right password is refused from there...
    locked = attempt(client, world.sw, PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == 429
    assert not locked.wsgi_request.user.is_authenticated
    # ...but not for another account from the same address, nor this account from elsewhere.
    assert signed_in(attempt(client, world.dt, PASSWORD, REMOTE_ADDR=ATTACKER))
    assert signed_in(attempt(client, world.sw, PASSWORD, REMOTE_ADDR=VICTIM))


def test_the_address_and_case_of_the_email_do_not_give_fresh_tries(client, world):
    fail(client, world.sw, LIMIT - 1, REMOTE_ADDR=ATTACKER)
    response = client.post(
        reverse("login"), {"username": f"  {world.sw.email.upper()} ", "password": "x"}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429


def test_a_successful_sign_in_resets_the_count(client, world):
    fail(client, world.sw, LIMIT - 1, REMOTE_ADDR=VICTIM)
    assert signed_in(attempt(client, world.sw, PASSWORD, REMOTE_ADDR=VICTIM))

    fail(client, world.sw, LIMIT - 1, REMOTE_ADDR=VICTIM)  # would have locked without the reset

    assert signed_in(attempt(client, world.sw, PASSWORD, REMOTE_ADDR=VICTIM))


def test_forged_forwarded_for_is_ignored_without_a_trusted_proxy(client, world):
    """Served directly (TRUSTED_PROXIES=0, the default), X-Forwarded-For is the client's own word."""
    assert settings.TRUSTED_PROXIES == 0
    for _ in range(LIMIT + 2):
        attempt(client, world.sw, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM)

    assert signed_in(attempt(client, world.sw, PASSWORD, REMOTE_ADDR=VICTIM))
    assert attempt(client, world.sw, PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429


def test_behind_a_proxy_the_real_address_counts_not_the_forged_one(client, world, settings):
    """One proxy appends the address it saw: the attacker's forged entry stays to its left."""
    settings.TRUSTED_PROXIES = 1
    for _ in range(LIMIT + 2):
        attempt(client, world.sw, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{VICTIM}, {ATTACKER}")

    victim = attempt(client, world.sw, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM)
    assert signed_in(victim)
    # Someone else behind the same proxy is not locked out either: the proxy's address is not what counts.
    assert signed_in(attempt(client, world.sw, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER))
    # The attacker is, whatever they forge.
    attacker = attempt(client, world.sw, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{OTHER}, {ATTACKER}")
    assert attacker.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, ATTACKER, VICTIM, ATTACKER),
        (0, ATTACKER, "", ATTACKER),
        (1, PROXY, f"{VICTIM}, {ATTACKER}", ATTACKER),
        (1, PROXY, ATTACKER, ATTACKER),
        (2, PROXY, f"{VICTIM}, {ATTACKER}, 10.0.0.1", ATTACKER),
        # Fewer entries than trusted proxies: it did not come through them, so the connection counts.
        (2, ATTACKER, VICTIM, ATTACKER),
        (1, ATTACKER, "", ATTACKER),
    ],
)
def test_client_ip(rf, settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
