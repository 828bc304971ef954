"""Every lookup of a child goes through ``children_for``: what it leaves out is a 404."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from openpep.people.enums import Role
from openpep.people.models import Membership, User
from openpep.people.queries import roles_of

from .models import Child, Enrolment


def current_enrolments(on=None) -> QuerySet:
    on = on or timezone.localdate()
    return Enrolment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


def relationship_filter(user: User) -> Q | None:
    """The children ``user`` has a working relationship with today, as a filter
    on Child; None when there are none."""
    roles = roles_of(user)
    conditions = Q(pk__in=[])
    if roles.social_worker:
        conditions |= Q(social_worker=user)
    if roles.team_manager:
        team_social_workers = Membership.objects.active().filter(
            role=Role.SOCIAL_WORKER, team_id__in=roles.managed_team_ids
        )
        conditions |= Q(social_worker__memberships__in=team_social_workers)
    if roles.designated_teacher:
        conditions |= Q(
            Exists(current_enrolments().filter(child=OuterRef("pk"), school_id__in=roles.school_ids))
        )
    if roles.virtual_school:
        conditions |= Q(local_authority_id__in=roles.vs_authority_ids)
    if roles.iro:
        conditions |= Q(iro=user)
    return conditions if roles.any else None


def children_for(user: User) -> QuerySet:
    condition = relationship_filter(user)
    if condition is None:
        return Child.objects.none()
    return Child.objects.filter(condition).distinct()


def caseload_for(user: User) -> QuerySet:
    """The list page: each child with what the list shows, in a constant number of queries."""
    return (
        children_for(user)
        .select_related("social_worker", "local_authority")
        .prefetch_related("enrolments__school", "placements")
        .order_by("last_name", "first_name", "pk")
    )
