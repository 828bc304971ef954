"""Changes to a child's record. Each is one transaction with its audit entry."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot, viewed
from openpep.people.models import School, User

from .models import Child, Enrolment, Placement


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
def update_child(actor: User, child: Child, before: dict) -> Child:
    """Save edited details; ``before`` is the snapshot taken before the form changed them."""
    child.save()
    old, new = changes(before, snapshot(child))
    if new:
        record(
            actor, Verb.UPDATED, child, summary=f"Edited details of {child.full_name}", before=old, after=new
        )
    return child


@transaction.atomic
def change_school(actor: User, child: Child, school: School, starts_on: datetime.date) -> Enrolment:
    """Move a child to a new school. The old enrolment ends the day before the new
    one starts, which ends the old school's access to anything new.
    Side effects: audit entry."""
    current = child.enrolments.select_for_update().filter(ends_on__isnull=True).first()
    if current is not None:
        if current.school_id == school.pk:
            raise ValidationError({"school": "The child is already on this school's roll"})
        if starts_on <= current.starts_on:
            raise ValidationError(
                {"starts_on": f"The new school must start after {current.starts_on:%-d %B %Y}"}
            )
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
    return enrolment


@transaction.atomic
def change_placement(actor: User, child: Child, new: Placement) -> Placement:
    """Record a new placement; the current one ends the day before. Side effects: audit entry."""
    current = child.placements.select_for_update().filter(ends_on__isnull=True).first()
    if current is not None:
        if new.starts_on <= current.starts_on:
            raise ValidationError(
                {"starts_on": f"The new placement must start after {current.starts_on:%-d %B %Y}"}
            )
        current.ends_on = new.starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])
    new.child = child
    new.save()
    record(
        actor,
        Verb.PLACED,
        new,
        summary=f"Recorded a change of placement for {child.full_name}",
        before={"legal_status": current.legal_status, "placement_type": current.placement_type}
        if current
        else None,
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
