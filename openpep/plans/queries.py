"""Every lookup of a PEP goes through ``peps_for``: what it leaves out is a 404."""

from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value

from openpep.children.models import Child, Enrolment
from openpep.children.queries import children_for, relationship_filter
from openpep.people.models import User
from openpep.people.queries import roles_of

from .enums import DecisionOutcome, Status
from .models import Decision, Pep, Wording, pep_type_wording


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


def previous_pep(pep_or_child, *, before: Pep | None = None, seen_by: User | None = None) -> Pep | None:
    """The latest signed-off PEP (in its corrected version) before ``before``. A PEP's own previous
    one (``previous_pep(pep, before=pep)``, which its page, its dates and its checks all ask) is read
    once and kept on the PEP object, as ``roles_of`` keeps the roles on the user; the page asks first,
    with ``seen_by``, so the same read says whether that person may open it (``seen_by_them``).

    It comes with ``own_signed_off_at``, when its own sign-off was decided (``plans.due.signed_off_on``
    and the page's "signed off on" read it rather than its decisions)."""
    if before is not None and pep_or_child is before:
        if "_openpep_previous" not in before.__dict__:
            before._openpep_previous = _previous_pep(before, before=before, seen_by=seen_by)
        return before._openpep_previous
    return _previous_pep(pep_or_child, before=before, seen_by=seen_by)


def _previous_pep(pep_or_child, *, before: Pep | None, seen_by: User | None) -> Pep | None:
    child_id = pep_or_child.pk if isinstance(pep_or_child, Child) else pep_or_child.child_id
    peps = Pep.objects.current_versions().filter(child_id=child_id, status=Status.SIGNED_OFF)
    if before is not None:
        peps = peps.exclude(pk=before.pk).filter(created_at__lte=before.created_at)
        if before.corrects_id:
            peps = peps.exclude(pk=before.corrects_id)
    sign_offs = Decision.objects.filter(pep=OuterRef("pk"), outcome=DecisionOutcome.SIGNED_OFF)
    peps = peps.annotate(own_signed_off_at=Subquery(sign_offs.order_by("-decided_at").values("decided_at")[:1]))
    if seen_by is not None:
        peps = peps.annotate(seen_by_them=Exists(peps_for(seen_by).filter(pk=OuterRef("pk"))))
    return peps.select_related("school", "school_section").order_by("-created_at", "-pk").first()


def target_reviews(pep: Pep) -> list:
    """``pep``'s reviews of the previous PEP's targets, each with its target, in the targets'
    order: read once and kept on the PEP object (its task list, its readiness checks and the
    quality checks all ask), as ``previous_pep`` is."""
    if "_openpep_reviews" not in pep.__dict__:
        pep._openpep_reviews = list(
            pep.target_reviews.select_related("target").order_by("target__created_at", "target_id")
        )
    return pep._openpep_reviews


def seen_by(previous: Pep, user: User) -> bool:
    """Whether ``user`` may open ``previous`` (a PEP from ``previous_pep(..., seen_by=user)``
    answers without another query)."""
    if "seen_by_them" in previous.__dict__:
        return previous.seen_by_them
    return peps_for(user).filter(pk=previous.pk).exists()


def works_with_child(user: User, pep: Pep) -> bool:
    """Whether ``user`` works with ``pep``'s child today (``children_for``). A PEP that came from
    ``pep_page(user)`` carries the answer (``child_visible``), read with it; any other is asked."""
    if "child_visible" in pep.__dict__:
        return pep.child_visible
    return children_for(user).filter(pk=pep.child_id).exists()


#: Rows an app above ``plans`` asks to come with a PEP page's one read (``add_page_relation``).
_PAGE_RELATIONS: list[str] = []


def add_page_relation(path: str) -> None:
    """Let a panel of another app on the PEP's pages read its row with the PEP (``select_related``
    ``path`` from the PEP), as ``quality`` does its council's settings, rather than a query of its
    own on every page. Called from the app's ``AppConfig.ready``."""
    if path not in _PAGE_RELATIONS:
        _PAGE_RELATIONS.append(path)


def read_for_page(pep: Pep) -> bool:
    """Whether ``pep`` was read by ``pep_page`` (in this request: its objects are not kept longer), so
    that what ``add_page_relation`` selected with it is as current as the PEP itself."""
    return "child_visible" in pep.__dict__


def pep_page(user: User) -> QuerySet:
    """PEPs with what their pages show, fetched once, and whether ``user`` works with the child
    today (``child_visible``: a school keeps its signed-off copies after the child has left)."""
    relationship = relationship_filter(user)
    child_visible = (
        Exists(Child.objects.filter(relationship, pk=OuterRef("child_id")))
        if relationship is not None
        else Value(False, output_field=BooleanField())
    )
    return (
        peps_for(user)
        .annotate(child_visible=child_visible)
        .select_related(
            "child__local_authority__timescales",
            "child__social_worker",
            "created_by",
            "school",
            "child_views__updated_by",
            "arrangements__updated_by",
            "school_section__updated_by",
            "meeting__updated_by",
            "corrects",
            "corrected_by",
            *_PAGE_RELATIONS,
        )
        .prefetch_related(Prefetch("child__enrolments", queryset=Enrolment.objects.select_related("school")))
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
