"""The demo's quality assurance: a QA round before each of the Virtual School's
decisions, recorded through the services as an adviser would.

``openpep.demo`` calls ``rate_before`` just before it returns or signs off a PEP
(and for one PEP still waiting), then ``date_rounds`` once the history is dated."""

import datetime

from django.db.models import Min

from openpep.people.models import User
from openpep.plans.enums import Status
from openpep.plans.models import Pep

from . import services
from .enums import Rag
from .models import Criterion, Review

#: What the Virtual School found when it sent a PEP back: (criterion, rating, feedback), matching
#: the demo's return reasons.
RETURN_RATINGS = {
    Status.RETURNED_TO_SCHOOL: [
        (
            "Targets are SMART",
            Rag.RED,
            "Target 2's success measure does not say how often progress will be checked, or by whom. Add both.",
        ),
        (
            "PP+ costed and linked to targets",
            Rag.AMBER,
            "The PP+ summary lists the spending but not which target each cost pays for.",
        ),
    ],
    Status.RETURNED_TO_SW: [
        (
            "Carer input",
            Rag.RED,
            "The carer's views are one line (‘Fine.’): record what the carer says about school and homework.",
        ),
        (
            "Needs identified",
            Rag.AMBER,
            "The outstanding EHC needs assessment has no action for the social worker.",
        ),
    ],
}
#: Of the PEPs waiting for the Virtual School, these children's have been looked at (an amber round).
RATED_WHILE_WAITING = {"Ellie"}
WAITING_RATINGS = [
    ("Transitions planned", Rag.AMBER, "Say how the move into Year 11 and the options process will be supported."),
]
SIGN_OFF_FEEDBACK = (
    "The child's views shape the targets, previous targets are evaluated with evidence, and the targets are SMART."
)


def rate_before(pep: Pep, reviewer: User, decision: Status, child_name: str = "") -> Review | None:
    """Record the QA round that leads to ``decision`` (a return, a sign-off, or SUBMITTED
    for a PEP still waiting): green throughout except what the decision is about."""
    if decision == Status.SUBMITTED:
        if child_name not in RATED_WHILE_WAITING:
            return None
        found = WAITING_RATINGS
        feedback = "A sound plan; one point to strengthen before sign-off."
    elif decision in RETURN_RATINGS:
        found = RETURN_RATINGS[decision]
        feedback = "Returned for amendment: see the red and amber criteria."
    else:
        found = []
        feedback = SIGN_OFF_FEEDBACK
    rated = {title: (rating, text) for title, rating, text in found}
    answers = [
        services.Answer(criterion, *rated.get(criterion.title, (Rag.GREEN, "")))
        for criterion in Criterion.active_for(pep.child.local_authority)
    ]
    return services.record_review(reviewer, Pep.objects.get(pk=pep.pk), answers, feedback=feedback)


def date_rounds() -> None:
    """Date each round an hour before the Virtual School's decision that followed it (the demo
    dates decisions into the past); a round still waiting keeps the time it was made.
    (Audit entries keep their real times: the trail cannot be changed.)"""
    for pep in Pep.objects.annotate(first_round=Min("qa_reviews__id")).filter(first_round__isnull=False):
        rounds = list(pep.qa_reviews.order_by("id"))
        decisions = list(pep.decisions.order_by("id"))
        for review, decision in zip(rounds, decisions, strict=False):
            Review.objects.filter(pk=review.pk).update(created_at=decision.decided_at - datetime.timedelta(hours=1))
