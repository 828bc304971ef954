"""The sign-in lockout's second limit: per account, across every address.

django-axes locks an account out from one address after ``LOCKOUT_FAILURES`` wrong passwords
from there (``settings.AXES_LOCKOUT_PARAMETERS``). An attacker with many addresses gets that many
guesses from each, so this handler adds a limit per account whatever the address: once the
account has had ``LOCKOUT_ACCOUNT_FAILURES`` failures within the lockout's window (the axes
cool-off, ``LOCKOUT_MINUTES``), signing in to it is paused for ``LOCKOUT_ACCOUNT_PAUSE_SECONDS``
after each failure — even with the right password, answered by the 429 page. An attempt refused
by the pause checks no password and is not counted, so the pause never lengthens itself: an
attacker gets one guess a pause, and the account's owner waits at most one pause. The owner is
e-mailed once per burst, when the account reaches the limit.

It reads axes' own records (``AccessAttempt``: one row per account, address and browser, its
failures and the time of the last), so nothing new is stored.
"""

import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Max, Sum
from django.utils import timezone

from openpep.mail import render_subject, render_text

log = logging.getLogger(__name__)


def account_failures(username: str, now) -> tuple[int, object]:
    """The account's failures from every address within the lockout's window, and the last one's time."""
    found = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - get_cool_off()).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return found["failures"] or 0, found["last"]


def pause_seconds() -> int:
    return settings.LOCKOUT_ACCOUNT_PAUSE_SECONDS


class AccountLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the pause per account (see the module's docstring)."""

    def _paused(self, request, credentials) -> bool:
        username = get_client_username(request, credentials)
        if not username:
            return False
        now = request.axes_attempt_time or timezone.now()
        failures, last = account_failures(username, now)
        return failures >= settings.LOCKOUT_ACCOUNT_FAILURES and (now - last).total_seconds() < pause_seconds()

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        request.axes_account_paused = self._paused(request, credentials)
        return request.axes_account_paused

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None and getattr(request, "axes_account_paused", False):
            # Refused by the pause before any password was checked: not a guess, not counted.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials) if request is not None else None
        if not username:
            return
        failures, _ = account_failures(username, request.axes_attempt_time)
        # Locked out from this address as well: its page, with the longer wait, is the one to show.
        if failures >= settings.LOCKOUT_ACCOUNT_FAILURES and not request.axes_locked_out:
            request.axes_account_paused = request.axes_locked_out = True
            request.axes_credentials = credentials
        if failures == settings.LOCKOUT_ACCOUNT_FAILURES:  # this failure reached the limit: a new burst
            tell_the_owner(username, request.axes_attempt_time)


def tell_the_owner(username: str, now) -> None:
    """E-mail the account's owner (if there is such an active account) how many wrong passwords
    were tried, from which addresses, until when. Never the passwords. A failure to send is logged:
    it must not change what the sign-in page answers."""
    user = get_user_model().objects.filter(email__iexact=username, is_active=True).first()
    if user is None:
        return
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - get_cool_off())
    context = {
        "user": user,
        "failures": sum(a.failures_since_start for a in attempts),
        "addresses": sorted({a.ip_address for a in attempts if a.ip_address}),
        "minutes": int(get_cool_off().total_seconds() // 60),
        "last": timezone.localtime(now),
        "pause": pause_seconds(),
        "service": settings.SERVICE_NAME,
    }
    try:
        send_mail(
            subject=render_subject("auth/email/failed_sign_ins_subject.txt", context),
            message=render_text("auth/email/failed_sign_ins.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:
        log.exception("Could not e-mail the owner of an account about failed sign-ins")
