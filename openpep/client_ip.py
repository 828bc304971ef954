"""Who is signing in, from where: the client address django-axes counts failures by, and the page
it answers a locked-out sign-in with.

Behind N trusted reverse proxies (settings.TRUSTED_PROXIES), each appends the address it received
the request from to X-Forwarded-For, so the client is the N-th entry from the right; anything to
the left of it was sent by the client and may be forged. With no trusted proxy (the default) the
header is ignored and the address is the connection's own (REMOTE_ADDR).
"""

from django.conf import settings
from django.shortcuts import render


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Fewer hops than trusted proxies: the request did not come through all of them.
    return hops[-proxies] if len(hops) >= proxies else remote


def username(request, credentials) -> str:
    """The e-mail address typed, as one account: case and spaces do not make a fresh counter."""
    # A council sign-in's answer (openpep.sso) has no form: it counts against the address it started with.
    typed = (
        (credentials or {}).get("username")
        or request.POST.get("username")
        or getattr(request, "openpep_sign_in_email", "")
        or ""
    )
    return typed.strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """The 429 page: locked out from this address (django-axes), or the account paused after
    failures from many addresses (``openpep.lockout``)."""
    if getattr(request, "axes_account_paused", False):
        context = {"account_paused": True, "seconds": settings.LOCKOUT_ACCOUNT_PAUSE_SECONDS}
    else:
        context = {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    return render(request, "auth/locked_out.html", context, status=429)
