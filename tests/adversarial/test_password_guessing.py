"""Password guessing across many addresses (issue 15, point 9).

django-axes locks an account out from one address after a few wrong passwords from there. Before
this, 30 wrong passwords from 6 addresses and the right one from a 7th signed in. Now the account
has a limit of its own across addresses: after ``LOCKOUT_ACCOUNT_FAILURES`` failures within the
lockout's window, signing in to it is paused for ``LOCKOUT_ACCOUNT_PAUSE_SECONDS`` after each
failure, even with the right password, and its owner is e-mailed once about the attempts.
"""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db.models import F, Sum
from django.urls import reverse

from tests.fixtures import PASSWORD

PER_ADDRESS = settings.AXES_FAILURE_LIMIT
PER_ACCOUNT = settings.LOCKOUT_ACCOUNT_FAILURES
PAUSE = settings.LOCKOUT_ACCOUNT_PAUSE_SECONDS
WRONG = "Tr0ub4dor&3-guess"


def address(n: int) -> str:
    return f"203.0.113.{n + 1}"


def attempt(client, email, password, n):
    client.logout()
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address(n))


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] != reverse("login")


def guess_from_many_addresses(client, email, addresses=6, each=PER_ADDRESS) -> list[int]:
    return [attempt(client, email, WRONG, n).status_code for n in range(addresses) for _ in range(each)]


def time_passes(seconds: float) -> None:
    """Move every recorded failure back in time, as waiting would."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(seconds=seconds))


def test_thirty_wrong_from_six_addresses_then_the_right_one_from_a_seventh_is_refused(client, world, tally):
    assert (PER_ADDRESS, PER_ACCOUNT, PAUSE) == (5, 20, 60)

    statuses = guess_from_many_addresses(client, world.sw.email)
    response = attempt(client, world.sw.email, PASSWORD, 7)
    tally("wrong passwords for one account from many addresses", len(statuses))

    assert response.status_code == 429 and not signed_in(response)
    assert not response.wsgi_request.user.is_authenticated
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Too many attempts to sign in</h1>' in page
    assert "many wrong passwords for this account, from more than one place" in page
    assert "You can try again in 60 seconds." in page
    # Counted up to the limit (the 5th from each address already answered 429 by axes); then
    # paused, and what the pause refused was not counted.
    assert statuses.count(200) == 4 * 4 and statuses[19] == 429
    assert AccessAttempt.objects.aggregate(n=Sum("failures_since_start"))["n"] == PER_ACCOUNT


def test_the_pause_is_short_and_each_later_failure_starts_it_again(client, world):
    guess_from_many_addresses(client, world.sw.email, addresses=4)  # 20: the limit
    assert attempt(client, world.sw.email, PASSWORD, 9).status_code == 429

    time_passes(PAUSE + 1)
    assert attempt(client, world.sw.email, WRONG, 10).status_code == 429  # one guess, then paused again
    assert attempt(client, world.sw.email, PASSWORD, 9).status_code == 429

    time_passes(PAUSE + 1)
    assert signed_in(attempt(client, world.sw.email, PASSWORD, 9))  # the owner, a minute later


def test_fewer_failures_across_addresses_lock_nobody_out(client, world):
    guess_from_many_addresses(client, world.sw.email, addresses=4, each=4)  # 16, each address below its limit

    assert signed_in(attempt(client, world.sw.email, PASSWORD, 9))
    assert mail.outbox == []


def test_the_owner_is_emailed_once_about_the_attempts_and_never_a_password(client, world):
    guess_from_many_addresses(client, world.sw.email)
    time_passes(PAUSE + 1)
    attempt(client, world.sw.email, WRONG, 10)  # the same burst: no second e-mail

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.sw.email]
    assert message.subject == "Failed attempts to sign in to your OpenPEP account"
    assert "with a wrong password 20 times in the 15 minutes up to" in message.body
    assert "from 4 internet addresses:\n203.0.113.1\n203.0.113.2\n203.0.113.3\n203.0.113.4\n" in message.body
    assert WRONG not in message.body and PASSWORD not in message.body
    # Someone else's account is untouched: neither paused nor told.
    assert signed_in(attempt(client, world.dt.email, PASSWORD, 3))


def test_an_address_with_no_account_is_paused_alike_and_nobody_is_emailed(client, world):
    statuses = guess_from_many_addresses(client, "nobody-here@test.example")

    assert statuses[19:] == [429] * 11
    assert mail.outbox == []
