"""Writes of a council's directory (SCIM 2.0). People and their roles change only through
``openpep.people.services`` (each change audited there, the directory's account as the actor);
this module adds the token and the directory's own bookkeeping (who it made, its groups), audited
too. Every person and group given here was resolved through ``queries.people_for`` /
``queries.groups_for`` of the token's council."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people import services as people
from openpep.people.enums import TEAM_ROLES
from openpep.people.models import LocalAuthority, Membership, Team, User
from openpep.sso.config import is_council_account

from .config import GroupRole, group_role
from .models import ProvisionedUser, ScimGroup, ScimGroupMember, ScimToken

TOKEN_START = "scim_"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def principal_email(authority: LocalAuthority) -> str:
    return f"directory-{authority.code}@connected-systems.invalid"


@transaction.atomic
def make_token(actor: User | None, authority: LocalAuthority) -> tuple[ScimToken, str]:
    """A new token for the council's directory, revoking the one it had. Returns it with its
    secret, which is never stored (only its SHA-256) and so can be shown only now. The directory's
    changes are audited as one account of the council's, made with the first token: it holds no
    role and cannot sign in."""
    LocalAuthority.objects.select_for_update().get(pk=authority.pk)
    for live in ScimToken.objects.filter(local_authority=authority, revoked_at__isnull=True):
        revoke_token(actor, live)
    principal = User.objects.filter(email=principal_email(authority)).first()
    if principal is None:
        principal = people.create_person(
            actor,
            email=principal_email(authority),
            full_name=f"{authority.name} directory (SCIM)",
            job_title="Directory provisioning",
            summary="Made the account of the council's directory",
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ScimToken.objects.create(
        local_authority=authority, prefix=prefix, secret_hash=hash_secret(secret), principal=principal, created_by=actor
    )
    record(actor, Verb.CREATED, token, summary=f"Made a directory provisioning (SCIM) token for {authority.name}")
    return token, secret


@transaction.atomic
def revoke_token(actor: User | None, token: ScimToken) -> None:
    token = ScimToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, Verb.REVOKED, token, summary=f"Revoked the directory provisioning (SCIM) token {token.prefix}…")


def authenticate(secret: str) -> ScimToken | None:
    """The live token with this secret, its last use noted (at most once a minute)."""
    if not secret.startswith(TOKEN_START) or len(secret) > 200:
        return None
    token = (
        ScimToken.objects.select_related("principal", "local_authority")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


# Users


@dataclass(frozen=True)
class Person:
    """What a directory says of a person, checked by the view."""

    email: str
    full_name: str
    job_title: str
    active: bool


def _summary(token: ScimToken) -> str:
    return f"From {token.local_authority.name}'s directory"


def _set_active(token: ScimToken, user: User, active: bool) -> User:
    if active and not user.is_active:
        return people.reactivate(token.principal, user, summary=f"{_summary(token)}: turned on again")
    if not active and user.is_active:
        # Ends every session now, like the Virtual School head's deactivation.
        people.disable_account(token.principal, user, reason=f"turned off in {token.local_authority.name}'s directory")
        user.refresh_from_db(fields=["is_active"])
    return user


@transaction.atomic
def create_user(token: ScimToken, person: Person, *, base_url: str) -> User:
    """An account with no role: roles come only from the groups it is put in. Someone who signs in
    with the council's account (``openpep.sso``) is sent nothing; anyone else is sent the link to
    set a password, as the head's "Add a member of staff" does (after commit, and only if active)."""
    user = people.create_person(
        token.principal,
        email=person.email,
        full_name=person.full_name,
        job_title=person.job_title,
        summary=_summary(token),
    )
    ProvisionedUser.objects.create(user=user, local_authority=token.local_authority)
    if person.active and not is_council_account(user.email):
        link = people.set_password_link(user, base_url)
        transaction.on_commit(lambda: people.send_welcome(user, token.local_authority, link))
    return _set_active(token, user, person.active)


@transaction.atomic
def replace_user(token: ScimToken, user: User, person: Person) -> User:
    user = people.update_person(
        token.principal,
        user,
        email=person.email,
        full_name=person.full_name,
        job_title=person.job_title,
        summary=_summary(token),
    )
    return _set_active(token, user, person.active)


@transaction.atomic
def deactivate_user(token: ScimToken, user: User) -> User:
    """A DELETE: the account is deactivated, never deleted, so its history stays."""
    return _set_active(token, user, False)


# Groups


def _team(token: ScimToken, mapped: GroupRole) -> Team | None:
    if mapped.role not in TEAM_ROLES:
        return None
    team = Team.objects.filter(local_authority=token.local_authority, name=mapped.team).first()
    if team is None:
        raise ValidationError(
            f"The group {mapped.group} gives a role in the team {mapped.team}, which OpenPEP does not have"
        )
    return team


def _held(token: ScimToken, user: User, mapped: GroupRole):
    where = {"team": _team(token, mapped)} if mapped.role in TEAM_ROLES else {"local_authority": token.local_authority}
    return Membership.objects.active().filter(user=user, role=mapped.role, **where)


def _add_member(token: ScimToken, group: ScimGroup, mapped: GroupRole, user: User) -> None:
    ScimGroupMember.objects.create(group=group, user=user)
    record(token.principal, Verb.UPDATED, group, summary=f"{_summary(token)}: added {user.full_name} to {group}")
    people.give_role(
        token.principal,
        user,
        role=mapped.role,
        team=_team(token, mapped),
        authority=token.local_authority,
        summary=f"{_summary(token)} (group {group})",
    )


def _remove_member(token: ScimToken, group: ScimGroup, mapped: GroupRole | None, user: User) -> None:
    ScimGroupMember.objects.filter(group=group, user=user).delete()
    record(token.principal, Verb.UPDATED, group, summary=f"{_summary(token)}: removed {user.full_name} from {group}")
    if mapped is None:
        return
    code = token.local_authority.code
    others = ScimGroup.objects.filter(local_authority=token.local_authority, memberships__user=user).exclude(
        pk=group.pk
    )
    if any(group_role(code, other.display_name) == mapped for other in others):
        return  # another of their groups gives the same role
    for membership in _held(token, user, mapped):
        people.end_role(token.principal, membership, summary=f"{_summary(token)} (group {group})")


def mapped_role(token: ScimToken, display_name: str) -> GroupRole:
    mapped = group_role(token.local_authority.code, display_name)
    if mapped is None:
        raise ValidationError(
            f"The group {display_name} is not mapped to a role in OpenPEP for {token.local_authority.name}"
        )
    _team(token, mapped)
    return mapped


@transaction.atomic
def create_group(token: ScimToken, display_name: str, members: list[User]) -> ScimGroup:
    mapped = mapped_role(token, display_name)
    if ScimGroup.objects.filter(local_authority=token.local_authority, display_name=mapped.group).exists():
        raise ValidationError(f"The group {mapped.group} exists already", code="unique")
    group = ScimGroup.objects.create(local_authority=token.local_authority, display_name=mapped.group)
    record(
        token.principal,
        Verb.CREATED,
        group,
        summary=f"{_summary(token)}: the group {group}, giving {mapped.describe()}",
    )
    set_members(token, group, members)
    return group


@transaction.atomic
def set_members(token: ScimToken, group: ScimGroup, members: list[User]) -> ScimGroup:
    """The group's members become exactly ``members``: each one added is given the group's role,
    each one removed loses it (unless another of their groups gives it too)."""
    group = ScimGroup.objects.select_for_update().get(pk=group.pk)
    current = set(ScimGroupMember.objects.filter(group=group).values_list("user_id", flat=True))
    wanted = {user.pk: user for user in members}
    # A group the deployment no longer maps may still lose its members (and gives no role to lose).
    adding = set(wanted) - current
    mapped = (
        mapped_role(token, group.display_name) if adding else group_role(token.local_authority.code, group.display_name)
    )
    for user in User.objects.filter(pk__in=current - set(wanted)).order_by("pk"):
        _remove_member(token, group, mapped, user)
    for pk in sorted(adding):
        _add_member(token, group, mapped, wanted[pk])
    return group


@transaction.atomic
def rename_group(token: ScimToken, group: ScimGroup, display_name: str) -> ScimGroup:
    """Only to a name the mapping gives the same role (a change of case or spacing)."""
    if group_role(token.local_authority.code, display_name) != group_role(
        token.local_authority.code, group.display_name
    ):
        raise ValidationError(
            "A group's name says which role it gives: make a new group instead of renaming it", code="mutability"
        )
    return group


@transaction.atomic
def delete_group(token: ScimToken, group: ScimGroup) -> None:
    """Its members lose its role (unless another of their groups gives it), then it goes."""
    set_members(token, group, [])
    record(token.principal, Verb.DELETED, group, summary=f"{_summary(token)}: removed the group {group}")
    group.delete()
