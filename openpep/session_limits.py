"""How long a sign-in lasts: SESSION_IDLE_SECONDS without a request, and SESSION_ABSOLUTE_SECONDS
after signing in whatever happens (OWASP ASVS 5.0 §7.3).

The times are kept in the session as seconds since the epoch, so a test moves the clock by
writing them. When a session has run out, the middleware signs the person out and the sign-in
page says why; if the request that found it out was posting a PEP section's form, what it
carried is first kept as that person's draft (``openpep.drafts``), so nothing typed is lost.

Pages warn SESSION_WARNING_SECONDS before the idle limit (``static/timeout.js``, through
data- attributes on <body>) and offer to stay signed in: ``keep_alive`` is the request that does.

Recording the activity is a write of the session, so a GET records it only when the last one
recorded is SESSION_TOUCH_SECONDS old (a POST always does): reading pages then costs no write.
The idle limit still runs from the last activity recorded, and the page's countdown is told how
much of it is left (``idle_left``), so the warning and the sign-out stay in step.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.decorators import login_required
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

SIGNED_IN_AT = "openpep_signed_in_at"
LAST_SEEN_AT = "openpep_last_seen_at"
#: Sent by the page's script on its own requests (keep-alive, autosave): they get a 401, not a redirect.
BACKGROUND_HEADER = "X-OpenPEP-Background"

IDLE, ABSOLUTE = "idle", "absolute"


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} seconds"


def why(reason: str, kept: bool) -> str:
    if reason == IDLE:
        text = (
            f"You were signed out because you had not used OpenPEP for {_duration(settings.SESSION_IDLE_SECONDS)}. "
            "This protects children's information on a computer left unattended."
        )
    else:
        text = (
            f"You were signed out because you had been signed in for {_duration(settings.SESSION_ABSOLUTE_SECONDS)}, "
            "the longest a sign-in lasts."
        )
    if kept:
        text += " We kept what you had typed: sign in again to check it and save it."
    return text + " Sign in again to carry on."


def expired(session, now: float) -> str | None:
    """Why this session has run out (IDLE or ABSOLUTE), or None while it has not."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    if now - signed_in_at >= settings.SESSION_ABSOLUTE_SECONDS:
        return ABSOLUTE
    if now - last_seen_at >= settings.SESSION_IDLE_SECONDS:
        return IDLE
    return None


def start(session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


@receiver(user_logged_in, dispatch_uid="openpep.session_limits.start")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        start(request.session)


def sign_out(request, reason: str, *, kept: bool = False) -> None:
    logout(request)
    messages.warning(request, why(reason, kept))


class SessionLimitsMiddleware:
    """Ends a session that has run out; otherwise records this request as the last activity.

    It works in ``process_view``, after CsrfViewMiddleware's, so a forged cross-site POST can
    neither keep a draft in someone's name nor count as their activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        now = time.time()
        if session.get(SIGNED_IN_AT) is None:  # signed in before this middleware was there
            start(session, now)
            return None
        reason = expired(session, now)
        if reason is None:
            touch_every = min(settings.SESSION_TOUCH_SECONDS, settings.SESSION_IDLE_SECONDS / 10)
            if request.method != "GET" or now - session[LAST_SEEN_AT] >= touch_every:
                session[LAST_SEEN_AT] = now
            return None
        kept = False
        if request.method == "POST":
            from openpep.drafts.services import keep_from_expired_session

            kept = keep_from_expired_session(user, request) is not None
        sign_out(request, reason, kept=kept)
        if request.headers.get(BACKGROUND_HEADER):
            return JsonResponse({"signed_out": reason, "sign_in": reverse("login")}, status=401)
        # Now anonymous: a page that needs signing in sends the person to the sign-in page and back.
        return None


def timeout_settings(request) -> dict:
    """For <body>'s data- attributes, read by static/timeout.js."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    idle = settings.SESSION_IDLE_SECONDS
    last_seen_at = request.session.get(LAST_SEEN_AT)
    left = idle if last_seen_at is None else max(0, int(last_seen_at + idle - time.time()))
    return {
        "session_timeout": {
            "idle": idle,
            "idle_left": left,
            "warning": min(settings.SESSION_WARNING_SECONDS, idle),
        }
    }


@login_required
@require_POST
def keep_alive(request):
    """ "Stay signed in": this request is the activity (the middleware has recorded it)."""
    return JsonResponse({"idle_seconds": settings.SESSION_IDLE_SECONDS})


@require_POST
def timed_out(request):
    """The page's script posts here when its countdown reaches the idle limit (after keeping what
    was typed as a draft): the person is signed out and comes back to the page after signing in."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("home")
    if request.user.is_authenticated:
        sign_out(request, IDLE, kept=request.POST.get("kept") == "1")
    return redirect(f"{reverse('login')}?{urlencode({'next': back})}")


app_name = "session"
urlpatterns = [
    path("keep-alive/", keep_alive, name="keep_alive"),
    path("timed-out/", timed_out, name="timed_out"),
]
