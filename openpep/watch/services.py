"""Unusual access: one person (or a connected system's token) viewing more than
``UNUSUAL_ACCESS_CHILDREN`` different children of an authority within an hour — through pages or
the API — or being refused the records of more than ``UNUSUAL_ACCESS_REFUSALS`` different children
of it, raises an alert to that authority's Virtual School head(s), saying which of the two it was.

The worker checks every few minutes (``raise_unusual_access_alerts``) rather than each request:
one grouped query per kind over the last hour's VIEWED / REFUSED audit entries for everyone,
instead of a count on every page any person opens. An alert is at most a few minutes late, which
is soon enough for someone to look into it; the reads themselves stay one insert each (one per
page of an API list), and a refusal is looked into only once its 404 is decided
(``record_refusal``, called by ``middleware.RefusalMiddleware``), so no request in scope pays for it."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.audit.services import record, refused
from openpep.children.models import Child
from openpep.children.queries import children_for
from openpep.meetings.models import Meeting
from openpep.people.enums import Role
from openpep.people.models import LocalAuthority, Membership, User
from openpep.plans.models import Pep
from openpep.plans.queries import peps_for

from .models import AccessAlert, AlertKind

WINDOW = datetime.timedelta(hours=1)
VERB_OF = {AlertKind.READS: Verb.VIEWED, AlertKind.REFUSALS: Verb.REFUSED}


def thresholds() -> dict[AlertKind, int]:
    return {AlertKind.READS: settings.UNUSUAL_ACCESS_CHILDREN, AlertKind.REFUSALS: settings.UNUSUAL_ACCESS_REFUSALS}


def heavy_viewers(now: datetime.datetime, threshold: int, kind: AlertKind = AlertKind.READS) -> list[dict]:
    """(actor_id, authority_id, children) for each person who viewed (or, for ``refusals``, was
    refused) more than ``threshold`` different children of one authority in the hour up to
    ``now``: one query."""
    authority = Child.objects.filter(pk=OuterRef("child_id")).values("local_authority_id")[:1]
    return list(
        AuditEntry.objects.filter(verb=VERB_OF[kind], at__gt=now - WINDOW, at__lte=now, actor__isnull=False)
        .exclude(child_id=None)
        .annotate(authority_id=Subquery(authority))
        .values("actor_id", "authority_id")
        .annotate(children=Count("child_id", distinct=True))
        .filter(children__gt=threshold)
        .order_by()
    )


def _admins(authority_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(role=Role.VS_ADMIN, local_authority_id=authority_id),
        ).distinct()
    )


def raise_unusual_access_alerts(now: datetime.datetime | None = None) -> list[AccessAlert]:
    """Side effects: each alert raised is audited and e-mailed to its authority's Virtual School
    head(s) after commit."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    raised = []
    for kind, threshold in thresholds().items():
        for row in heavy_viewers(now, threshold, kind):
            if row["authority_id"] is None:
                continue
            try:
                with transaction.atomic():
                    alert = AccessAlert.objects.create(
                        person_id=row["actor_id"],
                        local_authority_id=row["authority_id"],
                        kind=kind,
                        hour=hour,
                        children=row["children"],
                        raised_at=now,
                    )
                    record(
                        None,
                        Verb.CREATED,
                        alert,
                        summary=f"Unusual access: {alert.person} {kind.label} {alert.children} different "
                        "children's records in an hour",
                    )
                    transaction.on_commit(lambda alert=alert: _send(alert))
            except IntegrityError:  # already raised this hour (perhaps by another worker)
                continue
            raised.append(alert)
    return raised


def record_refusal(user, *, kind: str, object_id: int, path: str) -> AuditEntry | None:
    """``user`` was answered 404 for the ``kind`` ("child", "pep" or "meeting") ``object_id``:
    if it exists but is out of their scope, record the refusal (``Verb.REFUSED``, with its child,
    whose authority the alerts count it against). A missing record, or one in scope (a 404 for
    something else on its page), records nothing. Called only for 404s, so in-scope requests pay
    nothing. Side effects: one audit entry."""
    if user is None or not user.is_authenticated:
        return None
    if kind == "child":
        target_type, child_id, pep_id = "children.child", object_id, None
        if not Child.objects.filter(pk=object_id).exists() or children_for(user).filter(pk=object_id).exists():
            return None
    elif kind in ("pep", "meeting"):
        model = Pep if kind == "pep" else Meeting
        keys = ("pk", "child_id") if kind == "pep" else ("pep_id", "pep__child_id")
        found = model.objects.filter(pk=object_id).values_list(*keys).first()
        if found is None or peps_for(user).filter(pk=found[0]).exists():
            return None
        target_type, (pep_id, child_id) = model._meta.label_lower, found
    else:
        raise ValueError(f"Not a kind of record: {kind}")
    return refused(
        user,
        target_type=target_type,
        target_id=object_id,
        child_id=child_id,
        pep_id=pep_id,
        summary=f"Refused (not theirs to see): {path}",
    )


def _send(alert: AccessAlert) -> None:
    authority = LocalAuthority.objects.get(pk=alert.local_authority_id)
    recipients = [admin.email for admin in _admins(authority.pk)]
    if not recipients:
        return
    when = timezone.localtime(alert.raised_at)
    if alert.kind == AlertKind.REFUSALS:
        what = (
            f"asked for the records of {alert.children} different children of {authority.name} that are not "
            f"theirs to see, and was refused them, in the hour up to {when:%H:%M} on {when:%-d %B %Y}: more than "
            f"the {settings.UNUSUAL_ACCESS_REFUSALS} that raise an alert.\n\n"
            "Please check why: it may be someone looking for records they should not see."
        )
    else:
        what = (
            f"viewed the records of {alert.children} different children of {authority.name} in the hour up to "
            f"{when:%H:%M} on {when:%-d %B %Y}, more than the {settings.UNUSUAL_ACCESS_CHILDREN} that raise an "
            "alert.\n\nPlease check this was part of their work."
        )
    send_mail(
        subject=f"{settings.SERVICE_NAME}: unusual access to children's records",
        message=(
            f"{alert.person.full_name} ({alert.person.email}) {what} The alert is listed on your tasks page: "
            f"{settings.SITE_URL}/tasks/\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
