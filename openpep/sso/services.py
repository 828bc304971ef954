"""What signing in with a council's account writes: the second factor it vouched for, and the
refusals, each audited."""

import logging

import django_otp
from django.db import transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import LocalAuthority, User

from .config import Provider
from .models import CouncilSignIn

log = logging.getLogger(__name__)

AUTHORITY_KEY = "sso_authority"  # the council whose provider signed this session in


def signed_in(request, user: User, provider: Provider, claims: dict) -> bool:
    """After ``auth.login``: remember which council signed the session in (for signing out of it too),
    and when its ID token says the person gave a second factor there, mark the session verified as
    django-otp does. Returns whether it did."""
    request.session[AUTHORITY_KEY] = provider.authority_code
    if not provider.vouches_for_second_factor(claims):
        return False
    with transaction.atomic():
        device, _ = CouncilSignIn.objects.get_or_create(
            user=user,
            authority_code=provider.authority_code,
            defaults={"name": f"Council sign-in ({provider.authority_code})", "confirmed": True},
        )
        CouncilSignIn.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
    django_otp.login(request, device)
    return True


def refused(provider: Provider | None, email: str, reason: str) -> None:
    """A sign-in through a council's provider that OpenPEP refused, audited on the council (actor: the
    account the e-mail typed names, when there is one). Never says more to the page than that it failed."""
    authority = LocalAuthority.objects.filter(code=provider.authority_code).first() if provider else None
    actor = User.objects.filter(email__iexact=email).first() if email else None
    log.warning("Council sign-in refused (%s): %s", provider.authority_code if provider else "no provider", reason)
    target = authority or actor
    if target is None:
        return
    who = actor.full_name if actor else (email or "someone")
    record(actor, Verb.REFUSED, target, summary=f"Council sign-in of {who} refused: {reason}", after={"email": email})
