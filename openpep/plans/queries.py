"""Every lookup of a PEP goes through ``peps_for``: what it leaves out is a 404."""

from django.db.models import Q, QuerySet

from openpep.children.models import Child
from openpep.children.queries import children_for, relationship_filter
from openpep.people.models import User
from openpep.people.queries import roles_of

from .enums import Status
from .models import Pep, Wording, pep_type_wording


def peps_for(user: User) -> QuerySet:
    """PEPs of the children ``user`` works with today — all of them, so a new
    school sees the previous schools' plans in full — and, for a Designated
    Teacher, their own school's signed-off copies after the child has left."""
    roles = roles_of(user)
    condition = Q(pk__in=[])
    children = relationship_filter(user)
    if children is not None:
        condition |= Q(child__in=Child.objects.filter(children).values("pk"))
    if roles.designated_teacher:
        condition |= Q(school_id__in=roles.school_ids, status=Status.SIGNED_OFF)
    return Pep.objects.filter(condition)


def previous_pep(pep_or_child, *, before: Pep | None = None) -> Pep | None:
    """The latest signed-off PEP (in its corrected version) before ``before``. A PEP's own previous
    one (``previous_pep(pep, before=pep)``, which its page, its dates and its checks all ask) is read
    once and kept on the PEP object, as ``roles_of`` keeps the roles on the user."""
    if before is not None and pep_or_child is before:
        if "_openpep_previous" not in before.__dict__:
            before._openpep_previous = _previous_pep(before, before=before)
        return before._openpep_previous
    return _previous_pep(pep_or_child, before=before)


def _previous_pep(pep_or_child, *, before: Pep | None) -> Pep | None:
    child_id = pep_or_child.pk if isinstance(pep_or_child, Child) else pep_or_child.child_id
    peps = Pep.objects.current_versions().filter(child_id=child_id, status=Status.SIGNED_OFF)
    if before is not None:
        peps = peps.exclude(pk=before.pk).filter(created_at__lte=before.created_at)
        if before.corrects_id:
            peps = peps.exclude(pk=before.corrects_id)
    return peps.select_related("school", "school_section").order_by("-created_at", "-pk").first()


def pep_page(user: User) -> QuerySet:
    """PEPs with what their pages show, fetched once."""
    return (
        peps_for(user)
        .select_related(
            "child__local_authority",
            "child__social_worker",
            "school",
            "child_views__updated_by",
            "arrangements__updated_by",
            "school_section__updated_by",
            "meeting__updated_by",
            "corrects",
            "corrected_by",
        )
        .prefetch_related("child__enrolments__school")
    )


def kept_copies_for(user: User) -> QuerySet:
    """The signed-off PEPs a Designated Teacher's school keeps, newest first."""
    school_ids = roles_of(user).school_ids
    if not school_ids:
        return Pep.objects.none()
    return (
        peps_for(user)
        .filter(school_id__in=school_ids, status=Status.SIGNED_OFF)
        .select_related("child", "school")
        .order_by("-created_at")
    )


def wording_for(user: User) -> Wording:
    """The wording of PEP types on a page about no one PEP (the blank templates): that of the
    authority the person works for (their Virtual School's, or as an IRO), else of the one
    authority every child they work with belongs to; with none or several, the national one."""
    roles = roles_of(user)
    authority_ids = set(roles.vs_authority_ids | roles.iro_authority_ids)
    if len(authority_ids) != 1:
        authority_ids = set(children_for(user).order_by().values_list("local_authority_id", flat=True).distinct()[:2])
    return pep_type_wording(authority_ids.pop() if len(authority_ids) == 1 else None)
