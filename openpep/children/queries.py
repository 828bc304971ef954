"""Every lookup of a child goes through ``children_for``: what it leaves out is a 404."""

from dataclasses import replace

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from openpep.people.enums import Role
from openpep.people.models import Membership, User
from openpep.people.queries import roles_of

from .enums import DELEGABLE_SECTIONS, LOOKED_AFTER
from .models import Child, CohortMembership, Delegation, Enrolment, Placement


def current_enrolments(on=None) -> QuerySet:
    on = on or timezone.localdate()
    return Enrolment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


def looked_after_q(on=None, *, until=None) -> Q:
    """Children in care on ``on`` (today) — or on at least one day from ``on`` to ``until`` — as a
    filter on Child: entered care by then and, when placements are recorded, with one running then
    (a child whose placements have all ended has left care). A child never in care has no
    ``care_start_date``. The one statement of the rule: PP+ eligibility and the annual report's
    looked-after cohort ask it for a period."""
    on = on or timezone.localdate()
    until = until or on
    placements = Placement.objects.filter(child=OuterRef("pk"))
    running = placements.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=until)
    return Q(care_start_date__lte=until) & (Q(Exists(running)) | ~Q(Exists(placements)))


def is_looked_after(child: Child, on=None) -> bool:
    """``looked_after_q`` for one child in hand (reads its placements, or their prefetch)."""
    on = on or timezone.localdate()
    if child.care_start_date is None or child.care_start_date > on:
        return False
    placements = list(child.placements.all())
    return not placements or any(p.starts_on <= on and (p.ends_on is None or p.ends_on >= on) for p in placements)


def cohort_q(cohort: str, on=None) -> Q:
    """Children in ``cohort`` (a ``Cohort`` value, or ``LOOKED_AFTER``) on ``on``, as a filter on Child."""
    if cohort == LOOKED_AFTER:
        return looked_after_q(on)
    return Q(Exists(CohortMembership.objects.counted(on).filter(child=OuterRef("pk"), cohort=cohort)))


def in_any_cohort_q(on=None) -> Q:
    """Children in any of the Virtual School's cohorts on ``on``: looked after, or counted in a wider one."""
    return looked_after_q(on) | Q(Exists(CohortMembership.objects.counted(on).filter(child=OuterRef("pk"))))


def relationship_filter(user: User, *, through_delegation: bool = True) -> Q | None:
    """The children ``user`` has a working relationship with today, as a filter
    on Child; None when there are none. ``through_delegation=False`` leaves out the
    children only a delegation gives them (``delegated_view``)."""
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
        # A child who has been in care (the children PEPs are for, and those who have left care since,
        # as before): a child of the wider cohort never in care reaches a DT only as a row of their
        # school's list, where the council shares it (``cohorts.queries``), never here.
        conditions |= Q(
            Exists(current_enrolments().filter(child=OuterRef("pk"), school_id__in=roles.school_ids)),
            care_start_date__isnull=False,
        )
    if roles.virtual_school:
        conditions |= Q(local_authority_id__in=roles.vs_authority_ids)
    if roles.iro:
        conditions |= Q(iro=user)
    if roles.school_staff and through_delegation:
        conditions |= Q(Exists(delegated_children(user).filter(child_id=OuterRef("pk"))))
    if not through_delegation:
        roles = replace(roles, staff_school_ids=frozenset())
    return conditions if roles.any else None


def active_delegations(on=None) -> QuerySet:
    """Delegations that give access on ``on`` (today): not ended by the DT, the end date not
    passed, the delegating DT still an active Designated Teacher of the school (an inactive
    account has no active membership) and the delegate still an active member of its staff."""
    on = on or timezone.localdate()
    memberships = Membership.objects.active(on)
    return Delegation.objects.filter(
        Exists(
            memberships.filter(user=OuterRef("delegated_by"), role=Role.DESIGNATED_TEACHER, school=OuterRef("school"))
        ),
        Exists(memberships.filter(user=OuterRef("delegate"), role=Role.SCHOOL_STAFF, school=OuterRef("school"))),
        ended_at__isnull=True,
        ends_on__gte=on,
    )


def delegated_children(user: User) -> QuerySet:
    """(delegation, child) rows giving ``user`` a child today: of an active delegation to
    them, for a child on the delegation's school's roll today (so it ends when the child leaves)."""
    through = Delegation.children.through
    return through.objects.filter(
        Exists(current_enrolments().filter(child_id=OuterRef("child_id"), school_id=OuterRef("delegation__school_id"))),
        delegation__in=active_delegations().filter(delegate=user),
    )


def delegated_sections(user: User, child_id: int, school_id: int) -> frozenset[str]:
    """The PEP sections (``plans.enums.Section`` values) delegated to ``user`` for the child at
    the school, today. Read once per request and kept on the user object, like ``roles_of``."""
    if not roles_of(user).school_staff:
        return frozenset()
    cached = getattr(user, "_openpep_delegated", None)
    if cached is None:
        cached = {}
        for delegation_school, child, sections in delegated_children(user).values_list(
            "delegation__school_id", "child_id", "delegation__sections"
        ):
            key = (child, delegation_school)
            cached[key] = cached.get(key, frozenset()) | frozenset(sections or [])
        user._openpep_delegated = cached
    return cached.get((child_id, school_id), frozenset())


def delegated_view(user: User, child_id: int) -> frozenset[str] | None:
    """What of a child's PEPs ``user`` reads when a delegation is all that gives them the child:
    the sections delegated (``plans.enums.Section`` values), or for a read-only delegation (none
    ticked) the school's part, ``DELEGABLE_SECTIONS`` — and nothing around them (the meeting, the
    PEP's history, the timeline, the whole-PEP PDF: ``plans.rules.sees_whole_pep``). None when
    ``user`` works with the child by a relationship of their own, which reads whatever it reads.
    Worked out once per child per request and kept on the user object, like ``roles_of``."""
    if not roles_of(user).school_staff:
        return None
    cached = user.__dict__.setdefault("_openpep_delegated_view", {})
    if child_id not in cached:
        own = relationship_filter(user, through_delegation=False)
        if own is not None and Child.objects.filter(own, pk=child_id).exists():
            cached[child_id] = None
        else:
            school_part = frozenset(value for value, _ in DELEGABLE_SECTIONS)
            rows = delegated_children(user).filter(child_id=child_id).values_list("delegation__sections", flat=True)
            cached[child_id] = frozenset().union(*(frozenset(sections) or school_part for sections in rows))
    return cached[child_id]


def delegations_of(user: User) -> QuerySet:
    """The delegations a Designated Teacher's schools have made (theirs and their colleagues'),
    newest first, with what the list shows."""
    school_ids = roles_of(user).school_ids
    if not school_ids:
        return Delegation.objects.none()
    return (
        Delegation.objects.filter(school_id__in=school_ids)
        .select_related("school", "delegated_by", "delegate", "ended_by")
        .prefetch_related("children")
        .annotate(active=Exists(active_delegations().filter(pk=OuterRef("pk"))))
    )


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
