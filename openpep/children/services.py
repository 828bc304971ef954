"""Changes to a child's record. Each is one transaction with its audit entry."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot, viewed
from openpep.people.enums import Role
from openpep.people.models import Membership, School, User
from openpep.people.queries import roles_of

from . import rules
from .enums import DELEGABLE_SECTIONS
from .models import Child, Delegation, Enrolment, Placement
from .signals import school_changed

#: The longest a delegation may run: a DT reviews who sees what at least yearly.
LONGEST_DELEGATION = datetime.timedelta(days=366)


@transaction.atomic
def add_child(
    actor: User,
    child: Child,
    *,
    school: School | None,
    school_start: datetime.date | None,
    legal_status: str,
    placement_type: str,
    carer_name: str = "",
) -> Child:
    """Record a child who has come into care, with their first placement and,
    when they have one, their school. Side effects: audit entries for each."""
    child.save()
    record(actor, Verb.CREATED, child, summary=f"Added {child.full_name}", after=snapshot(child))
    placement = Placement.objects.create(
        child=child,
        starts_on=child.care_start_date,
        legal_status=legal_status,
        placement_type=placement_type,
        carer_name=carer_name,
    )
    record(actor, Verb.PLACED, placement, summary=f"First placement: {placement}")
    if school is not None:
        enrolment = Enrolment.objects.create(
            child=child, school=school, starts_on=school_start or child.care_start_date
        )
        record(actor, Verb.ENROLLED, enrolment, summary=f"On roll at {school.name}")
    return child


@transaction.atomic
def update_child(actor: User | None, child: Child, before: dict, *, summary: str = "") -> Child:
    """Save edited details; ``before`` is the snapshot taken before the form (or an import) changed them.
    ``summary`` says where the change came from (an import's file); by default, an edit. ``actor`` is None
    for an import run from the command line. Side effects: an audit entry of what changed, if anything."""
    child.save()
    old, new = changes(before, snapshot(child))
    if new:
        summary = summary or f"Edited details of {child.full_name}"
        record(actor, Verb.UPDATED, child, summary=summary, before=old, after=new)
    return child


@transaction.atomic
def change_school(actor: User, child: Child, school: School, starts_on: datetime.date) -> Enrolment:
    """Move a child to a new school. The old enrolment ends the day before the new
    one starts, which ends the old school's access to anything new.
    Side effects: audit entry; ``signals.school_changed`` in the same transaction (the PEP in
    progress follows the child, or a change-of-school PEP starts: ``plans.receivers``)."""
    current = child.enrolments.select_for_update().filter(ends_on__isnull=True).first()
    if current is not None:
        if current.school_id == school.pk:
            raise ValidationError({"school": "The child is already on this school's roll"})
        if starts_on <= current.starts_on:
            raise ValidationError({"starts_on": f"The new school must start after {current.starts_on:%-d %B %Y}"})
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    enrolment = Enrolment.objects.create(child=child, school=school, starts_on=starts_on)
    previous = f" from {current.school.name}" if current else ""
    record(
        actor,
        Verb.ENROLLED,
        enrolment,
        summary=f"Moved {child.full_name}{previous} to {school.name} from {starts_on:%-d %B %Y}",
        before={"school": current.school.urn} if current else None,
        after={"school": school.urn, "starts_on": starts_on.isoformat()},
    )
    school_changed.send(sender=Child, actor=actor, child=child, school=school, starts_on=starts_on, enrolment=enrolment)
    return enrolment


@transaction.atomic
def change_placement(actor: User, child: Child, new: Placement) -> Placement:
    """Record a new placement; the current one ends the day before. Side effects: audit entry."""
    current = child.placements.select_for_update().filter(ends_on__isnull=True).first()
    if current is not None:
        if new.starts_on <= current.starts_on:
            raise ValidationError({"starts_on": f"The new placement must start after {current.starts_on:%-d %B %Y}"})
        current.ends_on = new.starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    new.child = child
    new.save()
    record(
        actor,
        Verb.PLACED,
        new,
        summary=f"Recorded a change of placement for {child.full_name}",
        before={"legal_status": current.legal_status, "placement_type": current.placement_type} if current else None,
        after={
            "legal_status": new.legal_status,
            "placement_type": new.placement_type,
            "starts_on": new.starts_on.isoformat(),
        },
    )
    return new


@transaction.atomic
def reallocate(actor: User, child: Child, social_worker: User) -> Child:
    """Change the allocated social worker; the old one loses access at once. Side effects: audit entry."""
    before = child.social_worker
    child.social_worker = social_worker
    child.save(update_fields=["social_worker", "updated_at"])
    record(
        actor,
        Verb.ALLOCATED,
        child,
        summary=f"Allocated {child.full_name} to {social_worker}" + (f" (was {before})" if before else ""),
        before={"social_worker": before.email if before else None},
        after={"social_worker": social_worker.email},
    )
    return child


def record_view(actor: User, child: Child, *, page: str) -> None:
    """Log that ``actor`` opened a page of ``child``'s record (one entry per page view)."""
    viewed(actor, child, child_id=child.pk, summary=f"Viewed {page}")


def staff_of(school: School):
    """The other staff of a school today, to whom its Designated Teacher may delegate."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(role=Role.SCHOOL_STAFF, school=school),
        )
        .distinct()
        .order_by("full_name")
    )


@transaction.atomic
def delegate(
    actor: User, school: School, *, to: User, children: list[Child], sections: list[str], ends_on: datetime.date
) -> Delegation:
    """A Designated Teacher of ``school`` shares ``children`` (on its roll today) and ``sections``
    of their PEPs with ``to``, another member of its staff, until ``ends_on``.
    Side effects: audit entry for the delegation and one for each child (so each child's
    record shows who was given it)."""
    if school.pk not in roles_of(actor).school_ids:
        raise PermissionDenied("Only a Designated Teacher of the school can delegate")
    if not staff_of(school).filter(pk=to.pk).exists():
        raise ValidationError({"delegate": f"Select a member of {school.name}'s staff"})
    today = timezone.localdate()
    if ends_on <= today:
        raise ValidationError({"ends_on": "The end date must be in the future"})
    if ends_on > today + LONGEST_DELEGATION:
        raise ValidationError({"ends_on": "The end date must be within a year"})
    allowed = {value for value, _ in DELEGABLE_SECTIONS}
    if not set(sections) <= allowed:
        raise ValidationError({"sections": "Select sections of the school's part of the PEP"})
    if not children:
        raise ValidationError({"children": "Select at least one child"})
    on_roll = set(
        Enrolment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        # Children the DT works with: a child of the wider cohort never in care is not theirs to share.
        .filter(school=school, child__in=children, child__care_start_date__isnull=False)
        .values_list("child_id", flat=True)
    )
    if on_roll != {child.pk for child in children}:
        raise ValidationError({"children": f"Select children on {school.name}'s roll"})
    delegation = Delegation.objects.create(
        school=school, delegated_by=actor, delegate=to, sections=sorted(sections), ends_on=ends_on
    )
    delegation.children.set(children)
    names = ", ".join(child.first_name for child in children)
    after = {
        "delegate": to.email,
        "school": school.urn,
        "children": [child.pk for child in children],
        "sections": sorted(sections),
        "ends_on": ends_on.isoformat(),
    }
    record(
        actor,
        Verb.CREATED,
        delegation,
        summary=f"Delegated {names} to {to.full_name} until {ends_on:%-d %B %Y}",
        after=after,
    )
    for child in children:
        record(
            actor,
            Verb.CREATED,
            _ForChild(delegation, child),
            summary=f"Shared {child.full_name} with {to.full_name} of {school.name} until {ends_on:%-d %B %Y}",
            after=after,
        )
    return delegation


class _ForChild:
    """A delegation as seen from one child, so that the child's audit trail lists it."""

    def __init__(self, delegation: Delegation, child: Child):
        self._meta = delegation._meta
        self.pk = delegation.pk
        self.audit_child_id = child.pk


@transaction.atomic
def end_delegation(actor: User, delegation: Delegation) -> Delegation:
    """A Designated Teacher of the school ends a delegation now. Side effects: audit entry."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if not rules.can_end_delegation(actor, delegation):
        raise PermissionDenied("Only a Designated Teacher of the school can end this delegation")
    delegation.ended_at = timezone.now()
    delegation.ended_by = actor
    delegation.save(update_fields=["ended_at", "ended_by"])
    record(
        actor,
        Verb.ENDED,
        delegation,
        summary=f"Ended the delegation to {delegation.delegate.full_name}",
        before={"ended_at": None},
        after={"ended_at": delegation.ended_at.isoformat()},
    )
    return delegation
