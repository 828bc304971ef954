"""What waits for whom, read from PEP statuses and their stored due dates (``clock.PepClock``).

Both the task list and the reminder job read it in a constant number of
queries, whatever the caseload. The task list also shows the early warnings waiting
(``warnings.queries.waiting_for``) and the follow-ups of advice (``cohorts.queries.follow_ups_for``):
the header's count counts them with the tasks."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from openpep.children.queries import current_enrolments
from openpep.clock.models import Timescales
from openpep.cohorts.queries import follow_ups_for
from openpep.meetings.enums import Response
from openpep.meetings.models import Invitation
from openpep.people.enums import Role
from openpep.people.models import Membership, User
from openpep.people.queries import roles_of
from openpep.plans.enums import SCHOOL_PART_OPEN, SOCIAL_WORKER_PART_OPEN, Status, ViewsRecordedBy
from openpep.plans.models import ChildViews, Pep
from openpep.plans.queries import peps_for
from openpep.warnings.queries import waiting_for

from .enums import ReminderKind, TaskKind

WAITING_FOR_SUBMISSION = [Status.SCHOOL_RETURNED, Status.RETURNED_TO_SW]
WAITING_FOR_SCHOOL = [Status.DRAFT, Status.RETURNED_TO_SCHOOL]


def tasks_open(pep: Pep) -> set[TaskKind]:
    """The kinds of task a PEP in its current status can still be waiting for (by its status
    alone: views already recorded are not looked up). A reminder of any other kind is stale."""
    status = Status(pep.status)
    if status == Status.SIGNED_OFF:
        return set()
    views_open = SCHOOL_PART_OPEN if pep.views_recorded_by == ViewsRecordedBy.SCHOOL else SOCIAL_WORKER_PART_OPEN
    return {TaskKind.PEP_DUE, TaskKind.ANSWER_MEETING} | {
        kind
        for kind, statuses in [
            (TaskKind.VIEWS, views_open),
            (TaskKind.SCHOOL_SECTION, WAITING_FOR_SCHOOL),
            (TaskKind.SUBMIT, WAITING_FOR_SUBMISSION),
            (TaskKind.QUALITY_ASSURE, [Status.SUBMITTED]),
        ]
        if status in statuses
    }


@dataclass(frozen=True)
class Task:
    kind: TaskKind
    pep: Pep
    due: datetime.date | None

    @property
    def url(self) -> str:
        if self.kind == TaskKind.ANSWER_MEETING:  # the answer is given on the meeting's card
            return reverse("plans:whole", args=[self.pep.pk]) + "#meeting"
        return reverse("plans:detail", args=[self.pep.pk])

    def overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today


def _open_peps(peps: QuerySet) -> QuerySet:
    return (
        peps.exclude(status=Status.SIGNED_OFF)
        .select_related("child", "clock")
        .annotate(has_views=Exists(ChildViews.objects.filter(pep=OuterRef("pk"))))
    )


def _due(pep: Pep, field: str) -> datetime.date | None:
    clock = getattr(pep, "clock", None)
    return getattr(clock, field) if clock is not None else None


def _sources(user: User) -> tuple[QuerySet, dict[TaskKind, list[Q]], QuerySet]:
    """Where ``user``'s tasks come from: their PEPs in progress; for each kind of task, the
    conditions on those PEPs that make one (a PEP may make two: its views and its submission);
    and their meeting invitations to answer. ``tasks_for`` lists them, ``task_count`` counts them."""
    roles = roles_of(user)
    visible = peps_for(user)
    has_views = Exists(ChildViews.objects.filter(pep=OuterRef("pk")))
    made: dict[TaskKind, list[Q]] = defaultdict(list)
    if roles.social_worker:
        mine = Q(child__social_worker=user)
        made[TaskKind.VIEWS].append(
            mine & Q(status__in=SOCIAL_WORKER_PART_OPEN, views_recorded_by=ViewsRecordedBy.SOCIAL_WORKER) & ~has_views
        )
        made[TaskKind.SUBMIT].append(mine & Q(status__in=WAITING_FOR_SUBMISSION))
    if roles.designated_teacher:
        on_roll = Q(Exists(current_enrolments().filter(child=OuterRef("child"), school_id__in=roles.school_ids)))
        made[TaskKind.VIEWS].append(
            on_roll & Q(status=Status.DRAFT, views_recorded_by=ViewsRecordedBy.SCHOOL) & ~has_views
        )
        made[TaskKind.SCHOOL_SECTION].append(on_roll & Q(status__in=WAITING_FOR_SCHOOL))
    if roles.virtual_school:
        made[TaskKind.QUALITY_ASSURE].append(
            Q(status=Status.SUBMITTED, child__local_authority_id__in=roles.vs_authority_ids)
        )
    invitations = Invitation.objects.filter(
        user=user,
        response=Response.PENDING,
        meeting__cancelled_at__isnull=True,
        meeting__held_on__gte=timezone.localdate(),
        meeting__pep__in=visible.values("pk"),
    )
    return visible.exclude(status=Status.SIGNED_OFF), made, invitations


def _any(conditions: list[Q]) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


#: The order of a PEP's own tasks when it has more than one (its views come before its submission).
PEP_TASKS = [TaskKind.VIEWS, TaskKind.SCHOOL_SECTION, TaskKind.SUBMIT, TaskKind.QUALITY_ASSURE]
DUE_FIELD = {
    TaskKind.VIEWS: "views_due",
    TaskKind.SCHOOL_SECTION: "school_section_due",
    TaskKind.SUBMIT: "submit_due",
    TaskKind.QUALITY_ASSURE: "pep_due",
}


def tasks_for(user: User) -> list[Task]:
    """The tasks waiting for ``user`` across their children, most urgent first
    (overdue and soonest due first; those with no date last): sections to
    complete, PEPs to submit or quality-assure, meeting invitations to answer."""
    peps, made, invitations = _sources(user)
    kinds = [kind for kind in PEP_TASKS if made[kind]]
    tasks: list[Task] = []
    if kinds:
        flags = {f"is_{kind.value}": ExpressionWrapper(_any(made[kind]), BooleanField()) for kind in kinds}
        found = peps.filter(_any([_any(made[kind]) for kind in kinds])).annotate(**flags)
        for pep in found.select_related("child", "clock"):
            tasks += [Task(kind, pep, _due(pep, DUE_FIELD[kind])) for kind in kinds if getattr(pep, f"is_{kind.value}")]
    for invitation in invitations.select_related("meeting__pep__child", "meeting__pep__clock").order_by(
        "meeting__held_on"
    ):
        tasks.append(Task(TaskKind.ANSWER_MEETING, invitation.meeting.pep, invitation.meeting.held_on))
    return sorted(tasks, key=lambda t: (t.due is None, t.due or datetime.date.max, t.pep.child.last_name))


def _counted(items: QuerySet) -> Coalesce:
    """``items.count()`` as a scalar subquery, to be read inside another query (0 when ``items`` is empty)."""
    counting = items.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counting), 0)


def task_count(user: User) -> int:
    """Everything on ``user``'s task list, in one counting query, for the number beside "My tasks"
    on every page (the bench's profile found listing the tasks there cost as much as the page): the
    PEPs making each kind of task (``len(tasks_for(user))``: a PEP may make two), the meeting
    invitations to answer, the early warnings waiting (``warnings.queries.waiting_for``) and the
    follow-ups of advice (``cohorts.queries.follow_ups_for``), each a scalar subquery of the
    person's own row."""
    peps, made, invitations = _sources(user)
    counted = _counted(invitations)
    for conditions in made.values():
        if conditions:
            counted += _counted(peps.filter(_any(conditions)))
    for found in (waiting_for(user), follow_ups_for(user)):
        if not found.query.is_empty():  # no role that is sent warnings or gives advice: nothing to build
            counted += _counted(found)
    return User.objects.filter(pk=user.pk).values_list(counted, flat=True).get()


@dataclass(frozen=True)
class Deadline:
    task: TaskKind
    pep: Pep
    due: datetime.date
    doers: list[User]


def _people_by(role: Role, key: str, ids) -> dict[int, list[User]]:
    found = defaultdict(list)
    for membership in Membership.objects.active().filter(role=role, **{f"{key}__in": ids}).select_related("user"):
        found[getattr(membership, f"{key}_id")].append(membership.user)
    return found


def deadlines(peps: QuerySet | None = None) -> list[Deadline]:
    """Every dated deadline of every PEP in progress, with who must meet it."""
    peps = (
        _open_peps(peps if peps is not None else Pep.objects.all())
        .select_related("child__social_worker")
        .prefetch_related("child__enrolments__school")
    )
    peps = list(peps)
    schools = {pep.working_school.pk for pep in peps if pep.working_school}
    teachers = _people_by(Role.DESIGNATED_TEACHER, "school", schools)
    found = []
    for pep in peps:
        social_worker = [pep.child.social_worker] if pep.child.social_worker else []
        school = pep.working_school
        school_staff = teachers.get(school.pk, []) if school else []
        if not pep.has_views and pep.status in SCHOOL_PART_OPEN | SOCIAL_WORKER_PART_OPEN:
            school_records = pep.views_recorded_by == ViewsRecordedBy.SCHOOL
            if (pep.status in SCHOOL_PART_OPEN) if school_records else (pep.status in SOCIAL_WORKER_PART_OPEN):
                found.append(
                    (TaskKind.VIEWS, pep, _due(pep, "views_due"), school_staff if school_records else social_worker)
                )
        if pep.status in WAITING_FOR_SCHOOL:
            found.append((TaskKind.SCHOOL_SECTION, pep, _due(pep, "school_section_due"), school_staff))
        if pep.status in WAITING_FOR_SUBMISSION:
            found.append((TaskKind.SUBMIT, pep, _due(pep, "submit_due"), social_worker))
        found.append((TaskKind.PEP_DUE, pep, _due(pep, "pep_due"), social_worker))
    return [Deadline(task, pep, due, doers) for task, pep, due, doers in found if due is not None]


def reminders_due(today: datetime.date | None = None) -> list[tuple[ReminderKind, Deadline, User]]:
    """(kind, deadline, recipient) for each reminder that ought to exist today:
    to the doers in the days before a due date; once it has passed, to the doers
    and the social worker's team manager; and, past the council's escalation
    threshold, to its Virtual School officers."""
    today = today or timezone.localdate()
    found_deadlines = deadlines()
    authorities = {d.pep.child.local_authority_id for d in found_deadlines}
    timescales = {a: Timescales.for_authority_id(a) for a in authorities}
    social_workers = {d.pep.child.social_worker_id for d in found_deadlines if d.pep.child.social_worker_id}
    teams_of = defaultdict(set)
    for membership in Membership.objects.active().filter(role=Role.SOCIAL_WORKER, user_id__in=social_workers):
        teams_of[membership.user_id].add(membership.team_id)
    managers = _people_by(Role.TEAM_MANAGER, "team", {t for teams in teams_of.values() for t in teams})
    officers = _people_by(Role.VS_OFFICER, "local_authority", authorities)
    wanted = []
    for deadline in found_deadlines:
        rules = timescales[deadline.pep.child.local_authority_id]
        if deadline.due - datetime.timedelta(days=rules.remind_before_days) <= today <= deadline.due:
            wanted += [(ReminderKind.UPCOMING, deadline, person) for person in deadline.doers]
        if today > deadline.due:
            team_managers = [
                m for team in teams_of[deadline.pep.child.social_worker_id] for m in managers.get(team, [])
            ]
            wanted += [(ReminderKind.OVERDUE, deadline, person) for person in deadline.doers + team_managers]
        if (today - deadline.due).days > rules.escalate_after_days:
            officers_here = officers.get(deadline.pep.child.local_authority_id, [])
            wanted += [(ReminderKind.ESCALATED, deadline, person) for person in officers_here]
    unique = {}
    for kind, deadline, person in wanted:
        unique.setdefault((kind, deadline.task, deadline.pep.pk, person.pk, deadline.due), (kind, deadline, person))
    return list(unique.values())
