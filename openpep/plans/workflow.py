"""The PEP's workflow: one table of moves and one function that makes them.

Views never set ``Pep.status``; they call ``transition``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import User

from . import rules
from .enums import DecisionOutcome, Status, ViewsRecordedBy
from .models import Decision, Pep
from .queries import target_reviews
from .signals import announce_move

# Each part's completeness, one function a part: the moves below combine them, and the PEP's task
# list (``tasklist.py``) reads a part as completed when its function finds nothing missing.


def views_problems(pep: Pep) -> list[str]:
    return [] if hasattr(pep, "child_views") else ["Record the child's views (Section B)"]


def arrangements_problems(pep: Pep) -> list[str]:
    return [] if hasattr(pep, "arrangements") else ["Complete Section C"]


def section_d_problems(pep: Pep) -> list[str]:
    section = getattr(pep, "school_section", None)
    if section is None:
        return ["Complete Section D"]
    if section.next_meeting_at is None:
        return ["Set the date and time of the next PEP meeting in Section D"]
    return []


def reviews_problems(pep: Pep) -> list[str]:
    unrated = sum(1 for review in target_reviews(pep) if not review.rating)
    return [f"Review every previous target: {unrated} not yet rated"] if unrated else []


def meeting_problems(pep: Pep) -> list[str]:
    meeting = getattr(pep, "meeting", None)
    if meeting is None:
        return ["Record the PEP meeting"]
    if meeting.cancelled_at is not None:
        return ["The PEP meeting was cancelled: schedule it again, then record it"]
    # Who chairs and who takes notes are agreed at the start of the meeting, so
    # they are blank until it has been held; the record needs them before submission.
    problems = []
    if not meeting.chair:
        problems.append("Record in the meeting record who chaired the meeting")
    if not meeting.note_taker:
        problems.append("Record in the meeting record who took the notes")
    if not meeting.agreed:
        problems.append("Confirm in the meeting record that the plan was agreed at the meeting")
    return problems


def _school_section_ready(pep: Pep) -> list[str]:
    views = views_problems(pep) if pep.views_recorded_by == ViewsRecordedBy.SCHOOL else []
    return views + section_d_problems(pep) + reviews_problems(pep)


def _ready_to_submit(pep: Pep) -> list[str]:
    return views_problems(pep) + arrangements_problems(pep) + meeting_problems(pep)


def _nothing(pep: Pep) -> list[str]:
    return []


#: Readiness checks that apps above this one add (``add_readiness_check``), so that
#: ``plans`` never imports them: keyed by a move (source, target) or by a target
#: status (every move into it). Each returns the messages that stop the move.
ReadinessCheck = Callable[[Pep], list[str]]
READINESS: dict[tuple[Status, Status] | Status, list[ReadinessCheck]] = {}


def add_readiness_check(when: tuple[Status, Status] | Status, check: ReadinessCheck) -> None:
    """Run ``check`` with the table's own checks on one move, or on every move into a status."""
    key = (Status(when[0]), Status(when[1])) if isinstance(when, tuple) else Status(when)
    checks = READINESS.setdefault(key, [])
    if check not in checks:  # an app's ready() may run twice
        checks.append(check)


@dataclass(frozen=True)
class Move:
    source: Status
    target: Status
    label: str  # the button, and the refusal message (the history uses DONE)
    allowed: Callable[[User, Pep], bool]
    checks: ReadinessCheck = _nothing  # the table's own readiness checks
    needs_reasons: bool = False
    decision: DecisionOutcome | None = None

    def ready(self, pep: Pep) -> list[str]:
        """What stops this move now: the table's own checks, then those added by other
        apps for this move or for every move into its target; each message once."""
        problems = list(self.checks(pep))
        for key in ((self.source, self.target), self.target):
            for check in READINESS.get(key, []):
                problems += check(pep)
        return list(dict.fromkeys(problems))


MOVES: dict[tuple[Status, Status], Move] = {
    (m.source, m.target): m
    for m in [
        Move(
            Status.DRAFT,
            Status.SCHOOL_RETURNED,
            "Return the school section to the social worker",
            rules.is_schools_designated_teacher,
            _school_section_ready,
        ),
        Move(
            Status.SCHOOL_RETURNED,
            Status.DRAFT,
            "Reopen the school section",
            rules.is_social_worker,
            needs_reasons=True,
        ),
        Move(
            Status.SCHOOL_RETURNED,
            Status.SUBMITTED,
            "Submit to the Virtual School",
            rules.is_social_worker,
            lambda pep: _school_section_ready(pep) + _ready_to_submit(pep),
        ),
        Move(
            Status.RETURNED_TO_SCHOOL,
            Status.SUBMITTED,
            "Return the amended school section to the Virtual School",
            rules.is_schools_designated_teacher,
            _school_section_ready,
        ),
        Move(
            Status.RETURNED_TO_SW,
            Status.SUBMITTED,
            "Resubmit to the Virtual School",
            rules.is_social_worker,
            _ready_to_submit,
        ),
        Move(
            Status.SUBMITTED,
            Status.SIGNED_OFF,
            "Sign off the PEP",
            rules.is_virtual_school,
            decision=DecisionOutcome.SIGNED_OFF,
        ),
        Move(
            Status.SUBMITTED,
            Status.RETURNED_TO_SCHOOL,
            "Return to the school for amendment",
            rules.is_virtual_school,
            needs_reasons=True,
            decision=DecisionOutcome.RETURNED_TO_SCHOOL,
        ),
        Move(
            Status.SUBMITTED,
            Status.RETURNED_TO_SW,
            "Return to the social worker for amendment",
            rules.is_virtual_school,
            needs_reasons=True,
            decision=DecisionOutcome.RETURNED_TO_SW,
        ),
    ]
}


#: How each move reads in the PEP's history, once made.
DONE = {
    (Status.DRAFT, Status.SCHOOL_RETURNED): "Returned the school section to the social worker",
    (Status.SCHOOL_RETURNED, Status.DRAFT): "Reopened the school section",
    (Status.SCHOOL_RETURNED, Status.SUBMITTED): "Submitted to the Virtual School",
    (Status.RETURNED_TO_SCHOOL, Status.SUBMITTED): "Returned the amended school section to the Virtual School",
    (Status.RETURNED_TO_SW, Status.SUBMITTED): "Resubmitted to the Virtual School",
    (Status.SUBMITTED, Status.SIGNED_OFF): "Signed off the PEP",
    (Status.SUBMITTED, Status.RETURNED_TO_SCHOOL): "Returned to the school for amendment",
    (Status.SUBMITTED, Status.RETURNED_TO_SW): "Returned to the social worker for amendment",
}
assert set(DONE) == set(MOVES), "every move needs its wording in the history"

#: The audit verb of a move, by the status it goes to.
VERB = {
    Status.SCHOOL_RETURNED: Verb.RETURNED,
    Status.DRAFT: Verb.REOPENED,
    Status.SUBMITTED: Verb.SUBMITTED,
    Status.SIGNED_OFF: Verb.SIGNED_OFF,
    Status.RETURNED_TO_SCHOOL: Verb.RETURNED,
    Status.RETURNED_TO_SW: Verb.RETURNED,
}
assert {target for _, target in MOVES} <= set(VERB), "every move needs its audit verb"


def moves_for(user: User, pep: Pep) -> list[Move]:
    """The moves ``user`` may make from the PEP's current status (readiness aside)."""
    return [m for m in MOVES.values() if m.source == pep.status and m.allowed(user, pep)]


def transition(pep: Pep, to: Status, *, actor: User, note: str = "") -> Pep:
    """Move ``pep`` to status ``to`` on behalf of ``actor``.

    Refuses, with a message, a move that is not in the table, not the actor's
    to make, not ready (``Move.ready``: the table's checks and those other apps
    added with ``add_readiness_check``), or missing its reasons. In one transaction:
    - locks the PEP row and re-checks its status (two people pressing at once
      make one move),
    - saves the new status and the school working on the PEP,
    - records the Virtual School's decision (Section E) when the move is one,
    - writes the audit entry with before/after status and the note,
    - sends ``plans.signals.pep_moved`` once committed (not if rolled back), to which
      the apps above listen: the clock recomputes the due dates, reminders drop those
      that no longer apply, documents stores the signed-off copies, the API queues
      webhooks.
    """
    move = MOVES.get((Status(pep.status), Status(to)))
    if move is None:
        raise ValidationError(f"A PEP that is ‘{Status(pep.status).label}’ cannot become ‘{Status(to).label}’")
    if not move.allowed(actor, pep):
        raise PermissionDenied(f"You cannot {move.label[0].lower()}{move.label[1:]}")
    note = note.strip()
    if move.needs_reasons and not note:
        raise ValidationError({"note": "Enter the reasons, so the person who amends it knows what to change"})
    with transaction.atomic():
        locked = Pep.objects.select_for_update().get(pk=pep.pk)
        if locked.status != move.source:
            raise ValidationError(f"Someone else has already moved this PEP: it is now ‘{Status(locked.status).label}’")
        problems = move.ready(pep)
        if problems:
            raise ValidationError(problems)
        # The school working on it is written down at every move, so a signed-off
        # PEP stays with the school that wrote it after the child moves on.
        school = pep.working_school or pep.school
        Pep.objects.filter(pk=pep.pk).update(status=move.target, school=school, updated_at=timezone.now())
        pep.school = school
        pep.status = move.target
        if move.decision is not None:
            Decision.objects.create(pep=pep, outcome=move.decision, reasons=note, decided_by=actor)
        entry = record(
            actor,
            VERB[move.target],
            pep,
            summary=DONE[(move.source, move.target)] + (f": {note}" if note else ""),
            before={"status": move.source.value},
            after={"status": move.target.value, **({"note": note} if note else {})},
        )
        announce_move(pep, move.source, move.target, by=actor, at=entry.at)
    return pep
