"""Who a person is, in terms of the organisations their active memberships give them."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

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
        Membership.objects.active().filter(user=user).values_list("role", "team_id", "school_id", "local_authority_id")
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


def of_authorities(authority_ids) -> Q:
    """Memberships held in the organisations of ``authority_ids``: their Virtual Schools (and IROs),
    their social care teams, and the schools they maintain (``School.local_authority``). These are
    the accounts and requests an authority's Virtual School Head is responsible for; a school of
    another council is that council's to manage, whichever children attend it."""
    return (
        Q(local_authority_id__in=authority_ids)
        | Q(team__local_authority_id__in=authority_ids)
        | Q(school__local_authority_id__in=authority_ids)
    )


def staff_for(user: User):
    """The people a Virtual School admin may see and manage: those holding (or having held) a role in
    an organisation of their authority (``of_authorities``)."""
    authority_ids = roles_of(user).admin_authority_ids
    return (
        User.objects.filter(memberships__in=Membership.objects.filter(of_authorities(authority_ids)))
        .distinct()
        .prefetch_related("memberships__team", "memberships__local_authority", "memberships__school")
    )


def other_councils_of(person: User, authority_ids) -> list[LocalAuthority]:
    """The councils, other than those of ``authority_ids``, in whose organisations ``person`` holds an
    active role today: deactivating the account would end that access too, so while there are any it
    is not for ``authority_ids`` alone to do."""
    elsewhere = Membership.objects.active().filter(user=person).exclude(of_authorities(authority_ids))
    return list(
        LocalAuthority.objects.filter(
            Q(memberships__in=elsewhere) | Q(teams__memberships__in=elsewhere) | Q(schools__memberships__in=elsewhere)
        ).distinct()
    )


def access_requests_for(user: User) -> QuerySet:
    """The access requests a Virtual School admin may decide: those for the schools of their own
    authority (``School.local_authority``). A school of another council is that council's, even when
    children of the admin's authority attend it."""
    authority_ids = roles_of(user).admin_authority_ids
    if not authority_ids:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(school__local_authority_id__in=authority_ids).select_related(
        "school__local_authority", "decided_by"
    )


def deciders_of(access_request: AccessRequest) -> list[User]:
    """Who may decide ``access_request`` (the same rule as ``access_requests_for``): the active
    Virtual School admins of the school's own local authority."""
    admins = Membership.objects.active().filter(
        role=Role.VS_ADMIN, user__is_active=True, local_authority_id=access_request.school.local_authority_id
    )
    return list(User.objects.filter(memberships__in=admins).distinct().order_by("email"))


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
            memberships__in=Membership.objects.active().filter(role=Role.IRO, local_authority_id=authority_id),
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
