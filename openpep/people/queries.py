"""Who a person is, in terms of the organisations their active memberships give them."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .enums import Role
from .models import AccessRequest, LocalAuthority, Membership, School, User


@dataclass(frozen=True)
class Roles:
    social_worker: bool = False
    team_ids: frozenset[int] = frozenset()  # teams they work in, as social worker
    managed_team_ids: frozenset[int] = frozenset()
    school_ids: frozenset[int] = frozenset()  # schools where they are the Designated Teacher
    vs_authority_ids: frozenset[int] = frozenset()  # Virtual Schools they work for (officer or head)
    admin_authority_ids: frozenset[int] = frozenset()  # Virtual Schools they administer
    iro_authority_ids: frozenset[int] = frozenset()
    staff_school_ids: frozenset[int] = frozenset()  # schools where they are other staff (delegated access only)

    @property
    def team_manager(self) -> bool:
        return bool(self.managed_team_ids)

    @property
    def designated_teacher(self) -> bool:
        return bool(self.school_ids)

    @property
    def virtual_school(self) -> bool:
        return bool(self.vs_authority_ids)

    @property
    def vs_admin(self) -> bool:
        return bool(self.admin_authority_ids)

    @property
    def iro(self) -> bool:
        return bool(self.iro_authority_ids)

    @property
    def school_staff(self) -> bool:
        return bool(self.staff_school_ids)

    @property
    def any(self) -> bool:
        return any(
            (
                self.social_worker,
                self.team_manager,
                self.designated_teacher,
                self.virtual_school,
                self.iro,
                self.school_staff,
            )
        )


def roles_of(user: User) -> Roles:
    """The roles ``user`` holds today, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return Roles()
    cached = getattr(user, "_openpep_roles", None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .values_list("role", "team_id", "school_id", "local_authority_id")
    )

    def ids(role, index):
        return frozenset(row[index] for row in memberships if row[0] == role)

    roles = Roles(
        social_worker=any(row[0] == Role.SOCIAL_WORKER for row in memberships),
        team_ids=ids(Role.SOCIAL_WORKER, 1),
        managed_team_ids=ids(Role.TEAM_MANAGER, 1),
        school_ids=ids(Role.DESIGNATED_TEACHER, 2),
        vs_authority_ids=ids(Role.VS_OFFICER, 3) | ids(Role.VS_ADMIN, 3),
        admin_authority_ids=ids(Role.VS_ADMIN, 3),
        iro_authority_ids=ids(Role.IRO, 3),
        staff_school_ids=ids(Role.SCHOOL_STAFF, 2),
    )
    user._openpep_roles = roles
    return roles


def administered_authority(user: User) -> LocalAuthority | None:
    """The authority whose Virtual School ``user`` administers (the first, should there be several)."""
    authority_ids = roles_of(user).admin_authority_ids
    if not authority_ids:
        return None
    return LocalAuthority.objects.get(pk=min(authority_ids))


def staff_for(user: User):
    """The people a Virtual School admin may see and manage: those of their authority."""
    authority_ids = roles_of(user).admin_authority_ids
    return (
        User.objects.filter(
            Q(memberships__local_authority_id__in=authority_ids)
            | Q(memberships__team__local_authority_id__in=authority_ids)
            | Q(memberships__school__in=schools_served_by(authority_ids))
        )
        .distinct()
        .prefetch_related("memberships__team", "memberships__local_authority", "memberships__school")
    )


def schools_served_by(authority_ids) -> QuerySet:
    """The schools whose staff the Virtual Schools of ``authority_ids`` look after: the
    schools of their own local authorities, and any school elsewhere where one of their
    children is on roll today. (Enrolments are read through the app registry: ``children``
    sits above this app.)"""
    enrolment = apps.get_model("children", "Enrolment")
    today = timezone.localdate()
    on_roll = enrolment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        school=OuterRef("pk"),
        child__local_authority_id__in=authority_ids,
        starts_on__lte=today,
    )
    return School.objects.filter(Q(local_authority_id__in=authority_ids) | Exists(on_roll))


def access_requests_for(user: User) -> QuerySet:
    """The access requests a Virtual School admin may decide: those for the schools their
    authority serves (``schools_served_by``). A school with children of two authorities on
    roll is served by both; the first decision stands."""
    authority_ids = roles_of(user).admin_authority_ids
    if not authority_ids:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(school__in=schools_served_by(authority_ids)).select_related(
        "school__local_authority", "decided_by"
    )


def deciders_of(access_request: AccessRequest) -> list[User]:
    """Who may decide ``access_request``: the active Virtual School admins of every authority that
    serves its school (``schools_served_by``, the query behind ``access_requests_for``). One query
    per authority with an admin, and there are few."""
    admins = Membership.objects.active().filter(role=Role.VS_ADMIN, user__is_active=True)
    authority_ids = sorted(set(admins.values_list("local_authority_id", flat=True)))
    serving = [
        authority_id
        for authority_id in authority_ids
        if schools_served_by([authority_id]).filter(pk=access_request.school_id).exists()
    ]
    return list(
        User.objects.filter(memberships__in=admins.filter(local_authority_id__in=serving)).distinct().order_by("email")
    )


def search_schools(query: str, limit: int = 20) -> tuple[list[School], int]:
    """Schools whose URN is ``query`` or whose name holds every word of it, by name; the
    first ``limit`` of them and how many there are in all. (A NUL, which no school's name holds
    and PostgreSQL refuses in a query, is dropped.)"""
    query = query.replace("\x00", "").strip()
    if not query:
        return [], 0
    if query.isdigit():
        schools = School.objects.filter(Q(urn=query) | Q(laestab=query) | Q(urn__startswith=query))
    else:
        schools = School.objects.all()
        for word in query.split()[:6]:
            schools = schools.filter(name__icontains=word)
    schools = schools.select_related("local_authority").order_by("name", "urn")
    found = list(schools[: limit + 1])
    total = len(found) if len(found) <= limit else schools.count()
    return found[:limit], total


def social_workers_in(authority_id: int):
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(
                role=Role.SOCIAL_WORKER, team__local_authority_id=authority_id
            ),
        )
        .distinct()
        .order_by("full_name")
    )


def iros_in(authority_id: int):
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(
                role=Role.IRO, local_authority_id=authority_id
            ),
        )
        .distinct()
        .order_by("full_name")
    )


def designated_teachers_of(school_id: int):
    """The Designated Teachers of a school today (there may be more than one)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(role=Role.DESIGNATED_TEACHER, school_id=school_id),
        )
        .distinct()
        .order_by("full_name")
    )


def virtual_school_officers_in(authority_id: int):
    """The Virtual School officers of an authority today (not its Head, who is not sent every invitation)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(role=Role.VS_OFFICER, local_authority_id=authority_id),
        )
        .distinct()
        .order_by("full_name")
    )
