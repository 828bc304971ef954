"""What a child's "My plan" says, from their signed-off PEP and nothing else of the record: their
first name, the targets in their own words ("I will …", the target's outcome, which the PEP asks
for in the child's words), who helps with each and how, when the next meeting is, and whom to ask
(their social worker and their school's Designated Teacher, by first name). Carers' names are
withheld from the free text, as in every document (``documents.disclosure``)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils import timezone

from openpep.clock.calendar import NoTermDates
from openpep.clock.queries import review_due_after
from openpep.documents.disclosure import carer_names, redact_text
from openpep.people.enums import Role
from openpep.people.models import Membership
from openpep.plans.due import signed_off_on
from openpep.plans.models import Pep
from openpep.voice.enums import Purpose
from openpep.voice.models import Invitation


@dataclass(frozen=True)
class PlanTarget:
    i_will: str
    area: str
    who: str
    actions: str
    by_when: datetime.date


@dataclass(frozen=True)
class Helper:
    role: str
    first_name: str
    school: str = ""


@dataclass(frozen=True)
class MyPlan:
    first_name: str
    targets: list[PlanTarget]
    next_meeting: datetime.date | None  # the day agreed in Section D, when there is one
    review_due: datetime.date | None  # the PEP clock's: the next review is due by then
    ask: list[Helper]


def plan_queryset(queryset: QuerySet[Pep] | None = None) -> QuerySet[Pep]:
    """PEPs with what their My plan shows (five queries with ``plan_of``'s own, whatever the targets)."""
    queryset = Pep.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "child__local_authority", "child__social_worker", "school", "school_section"
    ).prefetch_related("targets", "child__placements")


def plan_of(pep: Pep) -> MyPlan:
    child = pep.child
    withheld = carer_names(child.placements.all())
    targets = [
        PlanTarget(
            i_will=redact_text(target.outcome, withheld),
            area=target.get_area_display(),
            who=redact_text(target.who, withheld),
            actions=redact_text(target.actions, withheld),
            by_when=target.by_when,
        )
        for target in pep.targets.all()
    ]
    try:
        planned = pep.school_section.next_meeting_at
    except ObjectDoesNotExist:
        planned = None
    try:
        review_due = review_due_after(child.local_authority, signed_off_on(pep))
    except NoTermDates:
        review_due = None
    ask = []
    if child.social_worker_id and child.social_worker.is_active:
        ask.append(Helper("social worker", child.social_worker.get_short_name()))
    if pep.school_id:
        teachers = Membership.objects.active().filter(role=Role.DESIGNATED_TEACHER, school_id=pep.school_id)
        for membership in teachers.select_related("user").order_by("user__full_name"):
            ask.append(Helper("Designated Teacher", membership.user.get_short_name(), pep.school.name))
    return MyPlan(
        first_name=child.first_name,
        targets=targets,
        next_meeting=timezone.localtime(planned).date() if planned else None,
        review_due=review_due,
        ask=ask,
    )


def shares_of(pep: Pep) -> QuerySet[Invitation]:
    """The PEP's My plan codes, newest first."""
    return Invitation.objects.filter(pep=pep, purpose=Purpose.MY_PLAN).select_related("made_by", "withdrawn_by")
