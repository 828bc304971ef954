"""Reading the wider cohort: the Virtual School's register, the casework a person may read, the
follow-ups waiting for an officer, and what a Designated Teacher's school is shown.

Every lookup starts from ``children_for`` (or, for the Designated Teacher's list, from the
children of their school whose council shares them): what it leaves out is a 404."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from openpep.attendance.enums import academic_year
from openpep.attendance.queries import this_year_of_outer_child
from openpep.children.models import Child, CohortMembership
from openpep.children.queries import children_for, cohort_q, current_enrolments, in_any_cohort_q, looked_after_q
from openpep.people.models import School, User
from openpep.people.queries import roles_of
from openpep.warnings.models import EarlyWarning

from .enums import Band
from .models import CaseworkEntry, CaseworkTopic, CohortSettings

# --- the register -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    cohort: str = ""
    school_id: int | None = None
    year_group: int | None = None
    band: str = ""
    warnings: bool = False


def year_group_q(year_group: int, today: datetime.date) -> Q:
    """Children in national curriculum year ``year_group`` (0 Reception) this academic year, by birth date."""
    cohort_start = academic_year(today) - year_group - 5
    return Q(
        date_of_birth__gte=datetime.date(cohort_start, 9, 1),
        date_of_birth__lte=datetime.date(cohort_start + 1, 8, 31),
    )


def band_q(band: str) -> Q:
    """The attendance band, on the annotation ``attendance_now``."""
    return {
        Band.GOOD: Q(attendance_now__gte=90),
        Band.PERSISTENT: Q(attendance_now__gte=50, attendance_now__lt=90),
        Band.SEVERE: Q(attendance_now__lt=50),
        Band.NONE: Q(attendance_now__isnull=True),
    }[Band(band)]


def register_for(user: User, filters: Filters = Filters(), today: datetime.date | None = None) -> QuerySet:
    """Every child of the Virtual School's cohorts the person sees, filtered, each annotated with what the
    register shows: whether looked after today, the school today, attendance this year and the warnings not
    acknowledged; their cohort memberships counted today prefetched (``counted_memberships``). Two queries
    for a page of it, whatever its length (and one more to count it)."""
    today = today or timezone.localdate()
    if not roles_of(user).virtual_school:  # the register is the Virtual School's (``rules.can_see_register``)
        return Child.objects.none()
    school_now = current_enrolments(today).filter(child=OuterRef("pk"))
    children = (
        Child.objects.filter(pk__in=children_for(user).values("pk"))
        .filter(in_any_cohort_q(today))
        .annotate(
            looked_after_now=ExpressionWrapper(looked_after_q(today), output_field=BooleanField()),
            school_id_now=Subquery(school_now.values("school_id")[:1]),
            school_name_now=Subquery(school_now.values("school__name")[:1]),
            attendance_now=Subquery(this_year_of_outer_child(today).values("attendance_percent")[:1]),
            open_warnings=Subquery(
                EarlyWarning.objects.filter(child=OuterRef("pk"), acknowledged_at__isnull=True)
                .values("child")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "cohort_memberships",
                queryset=CohortMembership.objects.counted(today).order_by("cohort", "starts_on"),
                to_attr="counted_memberships",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )
    if filters.cohort:
        children = children.filter(cohort_q(filters.cohort, today))
    if filters.school_id is not None:
        children = children.filter(school_id_now=filters.school_id)
    if filters.year_group is not None:
        children = children.filter(year_group_q(filters.year_group, today))
    if filters.band:
        children = children.filter(band_q(filters.band))
    if filters.warnings:
        children = children.filter(
            Exists(EarlyWarning.objects.filter(child=OuterRef("pk"), acknowledged_at__isnull=True))
        )
    return children


def register_schools(user: User, today: datetime.date | None = None) -> QuerySet:
    """The schools the register's children attend today: the school filter's choices (one query)."""
    today = today or timezone.localdate()
    children = children_for(user).filter(in_any_cohort_q(today)).values("pk")
    return School.objects.filter(
        Exists(current_enrolments(today).filter(school=OuterRef("pk"), child_id__in=children))
    ).order_by("name")


def cohort_labels(child: Child) -> list[str]:
    """The register row's cohorts: looked after (from the annotation) and each membership counted."""
    labels = ["Looked after"] if getattr(child, "looked_after_now", False) else []
    for membership in getattr(child, "counted_memberships", []):
        label = f"{membership.get_cohort_display()}: {membership.get_kind_display().lower()}"
        if membership.ends_on is not None and membership.ends_on < timezone.localdate():
            label += f" (ended {membership.ends_on:%-d %b %Y})"
        if label not in labels:
            labels.append(label)
    return labels


# --- casework -----------------------------------------------------------------------------------------------


def casework_for(user: User) -> QuerySet:
    """The casework entries ``user`` reads: every entry about a child of their authority for the Virtual
    School, about their allocated children for a social worker; the entries shared with the school for the
    Designated Teacher of the child's school today, when the child's council shares its wider cohort or the
    child is one the DT works with anyway. Anyone else reads none."""
    roles = roles_of(user)
    condition = Q(pk__in=[])
    if roles.virtual_school:
        condition |= Q(child__local_authority_id__in=roles.vs_authority_ids)
    if roles.social_worker:
        condition |= Q(child__social_worker=user)
    if roles.designated_teacher:
        condition |= Q(shared_with_school=True) & (
            Q(child__in=school_cohort_children(user).values("pk")) | Q(child__in=children_for(user).values("pk"))
        )
    return CaseworkEntry.objects.filter(condition, child__in=children_or_school_cohort(user))


def children_or_school_cohort(user: User) -> QuerySet:
    """The children whose casework ``user`` could read at all: ``children_for`` and, for a DT, the shared
    wider cohort of their school."""
    own = children_for(user).values("pk")
    if roles_of(user).designated_teacher:
        return Child.objects.filter(Q(pk__in=own) | Q(pk__in=school_cohort_children(user).values("pk"))).values("pk")
    return own


def follow_ups_for(user: User) -> QuerySet:
    """The officer's follow-ups not done yet, soonest first: their task list. Only while they are
    of the child's Virtual School (who alone records advice; ``children_for``'s clause for it, not
    the whole of ``children_for``: this is counted on every page, in the header's task count)."""
    authority_ids = roles_of(user).vs_authority_ids
    if not authority_ids:
        return CaseworkEntry.objects.none()
    return (
        CaseworkEntry.objects.filter(
            given_by=user,
            follow_up_on__isnull=False,
            followed_up_at__isnull=True,
            child__local_authority_id__in=authority_ids,
        )
        .select_related("child", "topic")
        .order_by("follow_up_on", "pk")
    )


def topics_in_use(authority_id: int) -> QuerySet:
    return CaseworkTopic.objects.filter(local_authority_id=authority_id, active=True)


# --- the Designated Teacher's list --------------------------------------------------------------------------


def school_cohort_children(user: User, today: datetime.date | None = None) -> QuerySet:
    """Children on the roll of the DT's schools today who are in a wider cohort (previously looked after,
    with a social worker, in kinship care), not looked after, and whose council shares its wider cohort
    with schools. Never through ``children_for``: none of their pages opens to the DT."""
    today = today or timezone.localdate()
    school_ids = roles_of(user).school_ids
    if not school_ids:
        return Child.objects.none()
    sharing = CohortSettings.objects.filter(share_with_schools=True).values("local_authority_id")
    return Child.objects.filter(
        Exists(current_enrolments(today).filter(child=OuterRef("pk"), school_id__in=school_ids)),
        Exists(CohortMembership.objects.counted(today).filter(child=OuterRef("pk"))),
        ~looked_after_q(today),
        local_authority_id__in=sharing,
    )


def school_cohort_list(user: User, today: datetime.date | None = None) -> QuerySet:
    """The DT's list: each child with their cohorts and the entries shared with the school (three queries)."""
    today = today or timezone.localdate()
    return (
        school_cohort_children(user, today)
        .annotate(
            school_name_now=Subquery(current_enrolments(today).filter(child=OuterRef("pk")).values("school__name")[:1])
        )
        .prefetch_related(
            Prefetch(
                "cohort_memberships",
                queryset=CohortMembership.objects.counted(today).order_by("cohort", "starts_on"),
                to_attr="counted_memberships",
            ),
            Prefetch(
                "casework",
                queryset=CaseworkEntry.objects.filter(shared_with_school=True).select_related("topic", "given_by"),
                to_attr="shared_casework",
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )
