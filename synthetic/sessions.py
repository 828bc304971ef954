"""Signed-in sessions for the benchmark, made directly in the session store.

The benchmark never drives the sign-in form: whatever signing in takes (a password, a second
factor) is decided here, in ``make_session``, the one place that makes a signed-in session."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpep import session_limits


def make_session(user) -> str:
    """A session of ``user`` signed in, saved in the configured session store: the value of the
    session cookie (``settings.SESSION_COOKIE_NAME``) that a client sends to be that user."""
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # The second factor passed, as django-otp marks it: with the person's confirmed authenticator app.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session_limits.start(store)  # as signing in does: the idle and absolute limits run from now
    store.set_expiry(None)
    store.create()
    return store.session_key
