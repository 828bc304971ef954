import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from openpep.audit.enums import Verb
from openpep.audit.services import record

from .enums import AUTHORITY_ROLES
from .models import LocalAuthority, Membership, Team, User


@transaction.atomic
def add_staff(
    actor: User, authority: LocalAuthority, *, full_name, email, job_title, role, team, base_url
) -> User:
    """Create a member of staff with one role, and e-mail them a link to set
    their password. Side effects: audit entries; one e-mail, sent after commit."""
    user = User.objects.create_user(email=email, full_name=full_name, job_title=job_title)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(
        user=user, role=role, team=team, local_authority=authority if role in AUTHORITY_ROLES else None
    )
    record(actor, Verb.CREATED, user, summary=f"Added {full_name} ({email})", after={"email": email})
    record(
        actor,
        Verb.CREATED,
        membership,
        summary=f"Gave {full_name} the role {membership.get_role_display()}",
        after={"role": role, "team": team.name if team else None},
    )
    link = base_url + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    transaction.on_commit(lambda: send_welcome(user, authority, link))
    return user


def send_welcome(user: User, authority: LocalAuthority, link: str) -> None:
    context = {"user": user, "authority": authority, "link": link}
    send_mail(
        subject=render_to_string("people/email/welcome_subject.txt", context).strip(),
        message=render_to_string("people/email/welcome.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def add_team(actor: User, team: Team) -> Team:
    team.save()
    record(actor, Verb.CREATED, team, summary=f"Added the team {team.name}", after={"name": team.name})
    return team


def end_sessions(user: User) -> None:
    """End every session of `user`, on every device: the session epoch is part of the hash each
    session keeps (``User._get_session_auth_hash``), so raising it makes them all stale."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


@transaction.atomic
def deactivate(actor: User | None, user: User, *, reason: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions end now."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    end_sessions(user)
    record(actor, Verb.UPDATED, user, summary=f"Disabled {user.full_name}: {reason}"[:300], after={"is_active": False})


def dormant_accounts(now=None):
    """Active accounts nobody has signed in to for ``DORMANT_AFTER_DAYS`` (never signed in counts
    from when the account was made)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.DORMANT_AFTER_DAYS)
    return User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )


def disable_dormant_accounts(now=None) -> int:
    """The worker's daily job: disable every dormant account, each audited (actor: none)."""
    disabled = 0
    for user in dormant_accounts(now).order_by("pk"):
        deactivate(None, user, reason=f"not used for {settings.DORMANT_AFTER_DAYS} days")
        disabled += 1
    return disabled
