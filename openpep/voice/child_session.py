"""A child's code opened in a browser: a value signed for its invitation, kept in the (anonymous)
session under the purpose's own key, valid for ``VOICE_SESSION_SECONDS`` and checked on every
request against an invitation of that purpose still open. It is not a sign-in: it grants no staff
page, and signing in or out ends it (``receivers.drop_child_session``; the session is flushed or
cycled). "Have your say" and "My plan" (``openpep.myplan``) both keep theirs here."""

from django.conf import settings
from django.core import signing

from .enums import Purpose
from .models import Invitation

#: The session key of each purpose's child session.
KEYS = {Purpose.HAVE_YOUR_SAY: "voice", Purpose.MY_PLAN: "my_plan"}
SALT = "openpep.voice.child-session"


def start(request, invitation: Invitation) -> None:
    """Remember in this browser that the code of ``invitation`` was typed (a new session key)."""
    request.session.cycle_key()
    value = {"i": invitation.pk, "h": invitation.code_hash[:16]}
    request.session[KEYS[Purpose(invitation.purpose)]] = signing.dumps(value, salt=SALT)


def end(request, purpose: Purpose) -> None:
    request.session.pop(KEYS[purpose], None)


def end_all(request) -> None:
    for key in KEYS.values():
        request.session.pop(key, None)


def invitation_of(request, purpose: Purpose) -> Invitation | None:
    """The open invitation of ``purpose`` this browser opened with its code, else None (and the value
    is dropped)."""
    value = request.session.get(KEYS[purpose])
    if not value:
        return None
    try:
        found = signing.loads(value, salt=SALT, max_age=settings.VOICE_SESSION_SECONDS)
        invitation = Invitation.objects.select_related("child", "pep").get(pk=found["i"], purpose=purpose)
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist):
        end(request, purpose)
        return None
    if invitation.code_hash[:16] != found.get("h") or not invitation.is_open:
        end(request, purpose)
        return None
    return invitation
