"""Session limits through the test client: the clock is moved by writing the times the
middleware keeps in the session (no sleeping)."""

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from openpep.session_limits import BACKGROUND_HEADER, LAST_SEEN_AT, SIGNED_IN_AT
from tests.fixtures import sign_in

CHILDREN = "/children/"
MINUTE = 60
HOUR = 60 * MINUTE


def _signed_in(client, user):
    sign_in(client, user)
    assert client.get(CHILDREN).status_code == 200  # the middleware has started the session's clock


def _move_clock(client, *, idle: float = 0, signed_in: float | None = None) -> None:
    """As if the last request was ``idle`` seconds ago and sign-in ``signed_in`` seconds ago."""
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = now - idle
    session[SIGNED_IN_AT] = now - (signed_in if signed_in is not None else idle)
    session.save()


def _signed_out_to_sign_in(response, back: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (location.path, parse_qs(location.query)) == (reverse("login"), {"next": [back]})


def test_the_limits_default_to_30_minutes_idle_and_12_hours_and_come_from_the_environment():
    from django.conf import settings

    assert (settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS) == (30 * MINUTE, 12 * HOUR)
    assert settings.SESSION_WARNING_SECONDS == 2 * MINUTE
    # The cookie outlives the idle limit, so the middleware still knows whose session ended.
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_SECONDS


def test_the_limits_are_read_from_the_environment(monkeypatch):
    import importlib

    import openpep.settings as project_settings

    monkeypatch.setenv("SESSION_IDLE_SECONDS", "600")
    monkeypatch.setenv("SESSION_ABSOLUTE_SECONDS", "3600")
    monkeypatch.setenv("SESSION_WARNING_SECONDS", "30")
    try:
        reloaded = importlib.reload(project_settings)
        assert (reloaded.SESSION_IDLE_SECONDS, reloaded.SESSION_ABSOLUTE_SECONDS) == (600, 3600)
        assert reloaded.SESSION_WARNING_SECONDS == 30
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_activity_within_the_idle_limit_keeps_the_session_and_counts_as_activity(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=29 * MINUTE, signed_in=5 * HOUR)

    assert client.get(CHILDREN).status_code == 200
    assert time.time() - client.session[LAST_SEEN_AT] < 5  # this request was the last activity


def test_after_30_minutes_idle_the_person_is_signed_out_and_told_why(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=30 * MINUTE + 1)

    response = client.get(CHILDREN)

    _signed_out_to_sign_in(response, CHILDREN)
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner" in page
    assert "You were signed out because you had not used OpenPEP for 30 minutes" in page
    # Signed out for good: the next request is anonymous too.
    _signed_out_to_sign_in(client.get(CHILDREN), CHILDREN)


def test_after_12_hours_the_person_is_signed_out_however_active(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=10, signed_in=12 * HOUR + 1)

    response = client.get(CHILDREN)

    _signed_out_to_sign_in(response, CHILDREN)
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had been signed in for 12 hours" in page


def test_the_limits_follow_the_settings(world, client, settings):
    settings.SESSION_IDLE_SECONDS = 60
    _signed_in(client, world.sw)
    _move_clock(client, idle=59)
    assert client.get(CHILDREN).status_code == 200
    _move_clock(client, idle=61)
    _signed_out_to_sign_in(client.get(CHILDREN), CHILDREN)


def test_signing_in_again_starts_a_new_session_clock(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=31 * MINUTE)
    client.get(CHILDREN)  # signed out

    _signed_in(client, world.sw)

    assert time.time() - client.session[SIGNED_IN_AT] < 5


def test_the_pages_script_is_answered_401_rather_than_redirected(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=31 * MINUTE)

    response = client.post(reverse("session:keep_alive"), headers={BACKGROUND_HEADER: "1"})

    assert response.status_code == 401
    assert json.loads(response.content) == {"signed_out": "idle", "sign_in": reverse("login")}
    assert "_auth_user_id" not in client.session


def test_stay_signed_in_is_activity(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=29 * MINUTE)

    assert client.post(reverse("session:keep_alive")).status_code == 200

    _move_clock(client, idle=0, signed_in=HOUR)  # (what the keep-alive wrote, as of now)
    assert client.get(CHILDREN).status_code == 200


def test_the_keep_alive_refuses_get(world, client):
    _signed_in(client, world.sw)
    assert client.get(reverse("session:keep_alive")).status_code == 405


def test_the_pages_countdown_signs_out_and_comes_back_after_signing_in(world, client):
    _signed_in(client, world.sw)

    response = client.post(reverse("session:timed_out"), {"next": "/children/?page=2", "kept": "1"})

    assert response["Location"] == f"{reverse('login')}?next=%2Fchildren%2F%3Fpage%3D2"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used OpenPEP for 30 minutes" in page
    assert "We kept what you had typed" in page


def test_the_countdown_never_sends_anyone_elsewhere(world, client):
    _signed_in(client, world.sw)
    response = client.post(reverse("session:timed_out"), {"next": "https://evil.example/"})
    assert response["Location"] == f"{reverse('login')}?next=%2F"


@pytest.mark.django_db
def test_a_forged_cross_site_post_is_refused_before_the_session_is_looked_at(world):
    client = Client(enforce_csrf_checks=True)
    _signed_in(client, world.sw)
    _move_clock(client, idle=31 * MINUTE)

    assert client.post(reverse("session:keep_alive")).status_code == 403
    assert client.session.get("_auth_user_id")  # nothing was done in their name, not even signing out


def test_signed_in_pages_carry_the_limits_for_the_warning_and_public_pages_do_not(world, client):
    page = client.get(reverse("login")).content.decode()
    assert "data-session-idle" not in page and "session-timeout" not in page

    _signed_in(client, world.sw)
    page = client.get(CHILDREN).content.decode()

    assert 'data-session-idle="1800"' in page and 'data-session-warning="120"' in page
    assert f'data-session-keep-alive="{reverse("session:keep_alive")}"' in page
    assert '<dialog class="openpep-timeout" id="session-timeout"' in page
    assert '<script type="module" src="/static/timeout.' in page


def test_reading_pages_writes_the_session_at_most_once_a_minute(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _signed_in(client, world.sw)
    _move_clock(client, idle=30, signed_in=HOUR)
    recorded = client.session[LAST_SEEN_AT]

    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHILDREN).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert client.session[LAST_SEEN_AT] == recorded  # 30 seconds ago is recent enough

    _move_clock(client, idle=61, signed_in=HOUR)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHILDREN).status_code == 200
    assert [q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert time.time() - client.session[LAST_SEEN_AT] < 5  # a minute old: this request recorded


def test_a_post_always_records_the_activity(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=10, signed_in=HOUR)

    assert client.post(reverse("session:keep_alive"), HTTP_X_OPENPEP_BACKGROUND="1").status_code == 200

    assert time.time() - client.session[LAST_SEEN_AT] < 5


def test_the_page_counts_down_from_the_last_activity_recorded(world, client):
    _signed_in(client, world.sw)
    _move_clock(client, idle=50, signed_in=HOUR)

    page = client.get(CHILDREN).content.decode()

    left = int(page.split('data-session-idle-left="', 1)[1].split('"', 1)[0])
    assert 30 * MINUTE - 55 <= left <= 30 * MINUTE - 50  # the 50 seconds since count: this GET did not
