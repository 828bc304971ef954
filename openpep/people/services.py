import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.mail import render_subject, render_text

from . import sign_in_elsewhere
from .enums import ACCESS_REQUEST_MOVES, AUTHORITY_ROLES, OPEN_ACCESS_REQUEST, AccessRequestStatus
from .models import AccessRequest, LocalAuthority, Membership, School, Team, User
from .queries import access_requests_for, deciders_of, roles_of, staff_for
from .rules import councils_blocking_deactivation

#: How long the link confirming an access request's e-mail address works.
VERIFY_LINK_MAX_AGE = datetime.timedelta(hours=48)
#: A repeated request for the same address sends the link again at most this often.
RESEND_AFTER = datetime.timedelta(minutes=15)
VERIFY_SALT = "openpep.people.access-request"


@transaction.atomic
def add_staff(actor: User, authority: LocalAuthority, *, full_name, email, job_title, role, team, base_url) -> User:
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
    account = sign_in_elsewhere.account_for(email)  # a council account: no password to set here
    link = base_url + reverse("login") if account else set_password_link(user, base_url)
    transaction.on_commit(lambda: send_welcome(user, authority, link, account=account))
    return user


def set_password_link(user: User, base_url: str) -> str:
    """A link to set a password, through Django's password-reset tokens (it works once)."""
    return base_url + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _mail(template: str, context: dict, to: str) -> None:
    send_mail(
        subject=render_subject(f"people/email/{template}_subject.txt", context),
        message=render_text(f"people/email/{template}.txt", context),
        from_email=None,
        recipient_list=[to],
    )


def verification_token(access_request: AccessRequest) -> str:
    return signing.dumps({"id": access_request.pk, "email": access_request.email}, salt=VERIFY_SALT)


def request_access(*, full_name: str, email: str, job_title: str, school: School, role: str, base_url: str) -> None:
    """A teacher asks for an account. Says nothing to the page about whether the address
    is known: what happens is told by e-mail, after commit —

    - an address with an account already: a note saying so, and nothing is recorded;
    - an address with a request open: nothing new; the confirmation link is sent again if
      the request is unconfirmed and the last link went more than ``RESEND_AFTER`` ago;
    - otherwise a new request, audited (no actor), and a link to confirm the address.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        transaction.on_commit(
            lambda: _mail("access_existing", {"name": full_name, "link": base_url + reverse("login")}, email)
        )
        return
    resend_before = timezone.now() - RESEND_AFTER
    with transaction.atomic():
        existing = AccessRequest.objects.select_for_update().filter(email=email, status__in=OPEN_ACCESS_REQUEST).first()
        if existing is None:
            try:
                with transaction.atomic():
                    access_request = AccessRequest.objects.create(
                        full_name=full_name, email=email, job_title=job_title, school=school, role=role
                    )
            except IntegrityError:  # the same address, at the same moment
                return
            record(
                None,
                Verb.CREATED,
                access_request,
                summary=f"{full_name} ({email}) asked for access to {school.name}",
                after={"email": email, "school": school.urn, "role": role},
            )
        elif existing.status == AccessRequestStatus.UNVERIFIED and existing.link_sent_at < resend_before:
            access_request = existing
            access_request.link_sent_at = timezone.now()
            access_request.save(update_fields=["link_sent_at"])
        else:
            return
        link = base_url + reverse("access:verify", args=[verification_token(access_request)])
        context = {"request": access_request, "link": link, "hours": int(VERIFY_LINK_MAX_AGE.total_seconds() // 3600)}
        transaction.on_commit(lambda: _mail("access_verify", context, email))


def request_from_token(token: str) -> AccessRequest | None:
    """The request a confirmation link is for, while the link is valid: signed by us, not
    expired, and for a request still waiting for its address to be confirmed (or just confirmed)."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_LINK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return (
        AccessRequest.objects.select_related("school")
        .filter(pk=data.get("id"), email=data.get("email"), status__in=OPEN_ACCESS_REQUEST)
        .first()
    )


@transaction.atomic
def verify_access_request(access_request: AccessRequest, *, base_url: str) -> AccessRequest:
    """The address is confirmed: the request joins the Virtual Schools' queue, and those who may
    decide it (``queries.deciders_of``) are e-mailed a link to it. Side effects: audit entry (naming
    who was told); one e-mail to each decider, sent after commit. Confirming again sends nothing."""
    access_request = AccessRequest.objects.select_for_update().select_related("school").get(pk=access_request.pk)
    if access_request.status != AccessRequestStatus.UNVERIFIED:
        return access_request
    deciders = deciders_of(access_request)
    move_access_request(
        None,
        access_request,
        AccessRequestStatus.PENDING,
        summary=f"{access_request.email} confirmed their email address",
        after={"told": [admin.email for admin in deciders]},
        verified_at=timezone.now(),
    )
    context = {
        "request": access_request,
        "link": base_url + reverse("people:access_request", args=[access_request.pk]),
    }
    for admin in deciders:
        transaction.on_commit(
            lambda to=admin.email, name=admin.full_name: _mail("access_waiting", context | {"name": name}, to)
        )
    return access_request


def move_access_request(
    actor: User | None, access_request: AccessRequest, to: AccessRequestStatus, *, summary: str, after=None, **fields
) -> AccessRequest:
    """The one write of an access request's status, on a row the caller has locked in its
    transaction: refuses a move not in ``ACCESS_REQUEST_MOVES`` (``ValidationError``), saves the
    status with ``fields`` (when, by whom, why), and writes the audit entry with the move's verb
    (its ``after``: the new status, and what ``after`` adds)."""
    source, to = AccessRequestStatus(access_request.status), AccessRequestStatus(to)
    verb = ACCESS_REQUEST_MOVES.get((source, to))
    if verb is None:
        raise ValidationError(f"A request that is ‘{source.label.lower()}’ cannot become ‘{to.label.lower()}’")
    access_request.status = to
    for name, value in fields.items():
        setattr(access_request, name, value)
    access_request.save(update_fields=["status", *fields])
    after = {"status": to.value} | (after or {})
    record(actor, verb, access_request, summary=summary, before={"status": source.value}, after=after)
    return access_request


def _decidable(actor: User, access_request: AccessRequest) -> AccessRequest:
    if not access_requests_for(actor).filter(pk=access_request.pk).exists():
        raise PermissionDenied("This request is not for a school of your authority")
    locked = AccessRequest.objects.select_for_update().select_related("school").get(pk=access_request.pk)
    if locked.status != AccessRequestStatus.PENDING:
        raise ValidationError(f"This request has already been decided: {locked.get_status_display().lower()}")
    return locked


@transaction.atomic
def approve_access_request(actor: User, access_request: AccessRequest, *, base_url: str) -> User:
    """Make the account and its membership at the school, and e-mail the teacher a link to set
    their password — or, for an address that signs in with another account (a council's, through
    ``sign_in_elsewhere``), the sign-in page, where they use that. Side effects: audit entries for the
    decision, the account and the membership."""
    access_request = _decidable(actor, access_request)
    if User.objects.filter(email__iexact=access_request.email).exists():
        raise ValidationError("Someone with this email address already has an account: reject the request")
    user = User.objects.create_user(
        email=access_request.email, full_name=access_request.full_name, job_title=access_request.job_title
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership = Membership.objects.create(user=user, role=access_request.role, school=access_request.school)
    school = access_request.school
    move_access_request(
        actor,
        access_request,
        AccessRequestStatus.APPROVED,
        summary=f"Approved {user.full_name}'s request for {school.name}",
        decided_by=actor,
        decided_at=timezone.now(),
        user=user,
    )
    record(actor, Verb.CREATED, user, summary=f"Added {user.full_name} ({user.email})", after={"email": user.email})
    record(
        actor,
        Verb.CREATED,
        membership,
        summary=f"Gave {user.full_name} the role {membership.get_role_display()} at {school.name}",
        after={"role": membership.role, "school": school.urn},
    )
    account = sign_in_elsewhere.account_for(user.email)
    link = base_url + reverse("login") if account else set_password_link(user, base_url)
    context = {"request": access_request, "link": link, "account": account}
    transaction.on_commit(lambda: _mail("access_approved", context, user.email))
    return user


@transaction.atomic
def reject_access_request(actor: User, access_request: AccessRequest, *, reason: str) -> AccessRequest:
    """Refuse the request with a reason, which the teacher is sent. Side effects: audit entry."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason, which the teacher will be sent"})
    access_request = _decidable(actor, access_request)
    move_access_request(
        actor,
        access_request,
        AccessRequestStatus.REJECTED,
        summary=f"Rejected {access_request.full_name}'s request for {access_request.school.name}",
        after={"reason": reason.strip()},
        reason=reason.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    context = {"request": access_request}
    transaction.on_commit(lambda: _mail("access_rejected", context, access_request.email))
    return access_request


@transaction.atomic
def deactivate(actor: User, person: User) -> User:
    """End every access ``person`` has, at once: an inactive account has no active membership,
    so no child, no PEP and no delegation (``children.queries.active_delegations``) reaches
    them, and they cannot sign in. Only for someone every active role of whom is in the actor's
    authority's organisations (``rules.councils_blocking_deactivation``): a person who also works
    for another council is not one council's to cut off. Side effects: audit entry."""
    if person.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account")
    if not staff_for(actor).filter(pk=person.pk).exists():
        raise PermissionDenied("This person is not on your Virtual School's staff")
    locked = User.objects.select_for_update().get(pk=person.pk)
    if not locked.is_active:
        return locked
    elsewhere = councils_blocking_deactivation(actor, locked)
    if elsewhere:
        raise ValidationError(deactivation_refused(locked, elsewhere))
    _make_inactive(locked)
    record(
        actor,
        Verb.DEACTIVATED,
        locked,
        summary=f"Deactivated {locked.full_name} ({locked.email}): every access ended",
        before={"is_active": True},
        after={"is_active": False},
    )
    return locked


def deactivation_refused(person: User, councils: list[LocalAuthority]) -> str:
    names = " and ".join(council.name for council in councils)
    return (
        f"{person.full_name} also works for {names}: deactivating the account would end that access too, "
        "so it is not for one council alone"
    )


def send_welcome(user: User, authority: LocalAuthority, link: str, *, account: str | None = None) -> None:
    """The new account's e-mail: `link` sets their password; or, for someone who signs in with another
    `account` (their council's, ``sign_in_elsewhere``), it is the sign-in page, where they use that."""
    context = {"user": user, "authority": authority, "link": link, "account": account}
    template = "welcome_council" if account else "welcome"
    send_mail(
        subject=render_subject(f"people/email/{template}_subject.txt", context),
        message=render_text(f"people/email/{template}.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def save_council_settings(actor: User, council_settings, *, summary: str):
    """Save a council's one row of settings of a kind (funding, quality, early warnings, …): a model
    with ``local_authority``, ``FIELDS`` and ``for_authority_id``, which reads the defaults until the
    row is made. Only the council's Virtual School Head may; writers are serialised on the council, so
    two first saves make one row. Side effects: one audit entry with the fields that changed from
    what was in force (the defaults, the first time)."""
    authority_id = council_settings.local_authority_id
    if authority_id not in roles_of(actor).admin_authority_ids:
        raise PermissionDenied("Only the Virtual School Head of the council can change its settings")
    LocalAuthority.objects.select_for_update().filter(pk=authority_id).first()
    in_force = type(council_settings).for_authority_id(authority_id)
    fields = list(council_settings.FIELDS)
    before = snapshot(in_force, fields)
    council_settings.pk = in_force.pk
    council_settings.save()
    before, after = changes(before, snapshot(council_settings, fields))
    record(actor, Verb.UPDATED, council_settings, summary=summary, before=before, after=after)
    return council_settings


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


def _make_inactive(user: User) -> None:
    """What ``deactivate`` and ``disable_account`` both do (each audits it in its own words): the
    account can no longer sign in, and every session it has ends now."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    end_sessions(user)


@transaction.atomic
def disable_account(actor: User | None, user: User, *, reason: str) -> None:
    """Disable an account for ``reason`` (the dormancy job's; an admin uses ``deactivate``): it can no
    longer sign in, and its sessions end now."""
    _make_inactive(user)
    record(
        actor, Verb.DEACTIVATED, user, summary=f"Disabled {user.full_name}: {reason}"[:300], after={"is_active": False}
    )


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
        disable_account(None, user, reason=f"not used for {settings.DORMANT_AFTER_DAYS} days")
        disabled += 1
    return disabled


@transaction.atomic
def prune_lockout_log(now=None) -> int:
    """The worker's daily job: delete django-axes' records of sign-ins and failed attempts
    (``AccessLog``, ``AccessAttempt``, ``AccessFailureLog``) older than ``LOCKOUT_LOG_DAYS``, which
    would otherwise grow for ever. One audit entry per table pruned (actor: none), naming the
    newest row deleted and how many. Returns how many rows were deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.LOCKOUT_LOG_DAYS)
    deleted = 0
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        old = model.objects.filter(attempt_time__lt=cutoff)
        newest = old.order_by("-attempt_time", "-pk").first()
        if newest is None:
            continue
        count = old.count()
        old.delete()
        record(
            None,
            Verb.DELETED,
            newest,
            summary=f"Deleted {count} {model._meta.verbose_name_plural} older than {settings.LOCKOUT_LOG_DAYS} days",
            after={"count": count, "before": cutoff.isoformat()},
        )
        deleted += count
    return deleted


# Writes for a council's directory (``openpep.scim``): the same people, changed from outside. Each
# is audited; the caller has resolved ``person`` through its own scoped queryset.


def _email_taken(email: str, but=None) -> bool:
    others = User.objects.filter(email__iexact=email)
    if but is not None:
        others = others.exclude(pk=but.pk)
    return others.exists()


@transaction.atomic
def create_person(actor: User, *, email: str, full_name: str, job_title: str = "", summary: str) -> User:
    """An account with no role and no password (it signs in with its council's account, or sets a
    password through the reset link), and no e-mail sent. ``ValidationError`` if the address is taken."""
    email = email.strip().lower()
    if _email_taken(email):
        raise ValidationError("Someone with this email address already has an account", code="unique")
    user = User.objects.create_user(email=email, full_name=full_name, job_title=job_title)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    record(actor, Verb.CREATED, user, summary=f"{summary}: {full_name} ({email})", after={"email": email})
    return user


@transaction.atomic
def update_person(actor: User, person: User, *, summary: str, **changes) -> User:
    """Change a person's e-mail address, name or job title (only those); one audit entry naming what
    changed, none when nothing did. ``ValidationError`` if the new address is someone else's."""
    allowed = {"email", "full_name", "job_title"}
    if set(changes) - allowed:
        raise ValueError(f"update_person changes only {', '.join(sorted(allowed))}")
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
    locked = User.objects.select_for_update().get(pk=person.pk)
    changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    if "email" in changed and _email_taken(changed["email"], but=locked):
        raise ValidationError("Someone with this email address already has an account", code="unique")
    before = {name: getattr(locked, name) for name in changed}
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changed))
    record(
        actor, Verb.UPDATED, locked, summary=f"{summary}: {', '.join(sorted(changed))}", before=before, after=changed
    )
    return locked


@transaction.atomic
def reactivate(actor: User, person: User, *, summary: str) -> User:
    """Let a deactivated account sign in again (its memberships are as they were). Audited."""
    locked = User.objects.select_for_update().get(pk=person.pk)
    if locked.is_active:
        return locked
    User.objects.filter(pk=locked.pk).update(is_active=True)
    locked.is_active = True
    record(actor, Verb.UPDATED, locked, summary=summary, before={"is_active": False}, after={"is_active": True})
    return locked


@transaction.atomic
def give_role(actor: User, person: User, *, role: str, team: Team | None = None, authority=None, summary: str):
    """A membership from today with ``role`` in ``team`` (team roles) or ``authority`` (the Virtual
    School's and IROs'), unless ``person`` holds it already. Audited."""
    from .enums import TEAM_ROLES

    where = {"team": team} if role in TEAM_ROLES else {"local_authority": authority}
    held = Membership.objects.active().filter(user=person, role=role, **where).first()
    if held is not None:
        return held
    membership = Membership.objects.create(user=person, role=role, **where)
    record(
        actor,
        Verb.CREATED,
        membership,
        summary=f"{summary}: {person.full_name} holds {membership.get_role_display()} in {membership.organisation}",
        after={"role": role, "team": team.name if team else None},
    )
    return membership


@transaction.atomic
def end_role(actor: User, membership: Membership, *, summary: str) -> None:
    """End a membership today (it is kept, with its end date, for the history). Audited."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    today = timezone.localdate()
    if locked.ends_on is not None and locked.ends_on < today:
        return
    before = locked.ends_on
    # ``ends_on`` is the last day held; to end access now, it is yesterday (even for a role given today).
    locked.ends_on = today - datetime.timedelta(days=1)
    locked.save(update_fields=["ends_on"])
    record(
        actor,
        Verb.ENDED,
        locked,
        summary=(
            f"{summary}: {locked.user.full_name} no longer holds {locked.get_role_display()} in {locked.organisation}"
        ),
        before={"ends_on": before.isoformat() if before else None},
        after={"ends_on": locked.ends_on.isoformat()},
    )
