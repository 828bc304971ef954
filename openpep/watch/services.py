"""Unusual access: one person viewing more than ``UNUSUAL_ACCESS_CHILDREN`` different children of
an authority within an hour raises an alert to that authority's Virtual School head(s).

The worker checks every few minutes (``raise_unusual_access_alerts``) rather than each page view:
one grouped query over the last hour's VIEWED audit entries for everyone, instead of a count on
every page any person opens. An alert is at most a few minutes late, which is soon enough for
someone to look into it; the page views themselves stay one insert each."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.audit.services import record
from openpep.children.models import Child
from openpep.people.enums import Role
from openpep.people.models import LocalAuthority, Membership, User

from .models import AccessAlert

WINDOW = datetime.timedelta(hours=1)


def heavy_viewers(now: datetime.datetime, threshold: int) -> list[dict]:
    """(actor_id, authority_id, children) for each person who viewed more than ``threshold``
    different children of one authority in the hour up to ``now``: one query."""
    authority = Child.objects.filter(pk=OuterRef("child_id")).values("local_authority_id")[:1]
    return list(
        AuditEntry.objects.filter(verb=Verb.VIEWED, at__gt=now - WINDOW, at__lte=now, actor__isnull=False)
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
    now = now or timezone.now()
    threshold = settings.UNUSUAL_ACCESS_CHILDREN
    hour = now.replace(minute=0, second=0, microsecond=0)
    raised = []
    for row in heavy_viewers(now, threshold):
        if row["authority_id"] is None:
            continue
        try:
            with transaction.atomic():
                alert = AccessAlert.objects.create(
                    person_id=row["actor_id"],
                    local_authority_id=row["authority_id"],
                    hour=hour,
                    children=row["children"],
                    raised_at=now,
                )
                record(
                    None,
                    Verb.CREATED,
                    alert,
                    summary=f"Unusual access: {alert.person} viewed {alert.children} different children in an hour",
                )
                transaction.on_commit(lambda alert=alert: _send(alert))
        except IntegrityError:  # already raised this hour (perhaps by another worker)
            continue
        raised.append(alert)
    return raised


def _send(alert: AccessAlert) -> None:
    authority = LocalAuthority.objects.get(pk=alert.local_authority_id)
    recipients = [admin.email for admin in _admins(authority.pk)]
    if not recipients:
        return
    when = timezone.localtime(alert.raised_at)
    send_mail(
        subject=f"{settings.SERVICE_NAME}: unusual access to children's records",
        message=(
            f"{alert.person.full_name} ({alert.person.email}) viewed the records of {alert.children} different "
            f"children of {authority.name} in the hour up to {when:%H:%M} on {when:%-d %B %Y}, more than the "
            f"{settings.UNUSUAL_ACCESS_CHILDREN} that raise an alert.\n\n"
            "Please check this was part of their work. The alert is listed on your tasks page: "
            f"{settings.SITE_URL}/tasks/\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
