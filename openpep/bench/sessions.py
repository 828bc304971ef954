"""Signed-in sessions for the benchmark, made directly in the session store.

The benchmark never drives the sign-in form: whatever signing in takes (a password, a second
factor) is decided here, in ``make_session``, the one place that makes a signed-in session."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string


def make_session(user) -> str:
    """A session of ``user`` signed in, saved in the configured session store: the value of the
    session cookie (``settings.SESSION_COOKIE_NAME``) that a client sends to be that user."""
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # A second factor, once sign-in asks for one, is marked as passed here.
    store.set_expiry(None)
    store.create()
    return store.session_key
