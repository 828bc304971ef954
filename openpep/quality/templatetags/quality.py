"""Quality on the PEP's pages, without ``plans`` importing this app: the "Before you
submit" panel, the QA rounds in Section E, and the checks on the move page."""

from django import template

from openpep.plans.enums import Status

from .. import rules
from ..checks import findings_with_modes, for_move
from ..enums import TAG_COLOURS, Mode
from ..queries import rounds_of

register = template.Library()

#: While the plan is being written (or amended), the checks are shown as people go.
WRITING = {Status.DRAFT, Status.SCHOOL_RETURNED, Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW}


@register.filter
def rag_colour(rating: str) -> str:
    return TAG_COLOURS.get(rating, "govuk-tag--grey")


@register.inclusion_tag("quality/_before_you_submit.html", takes_context=True)
def before_you_submit(context):
    """What the checks before submission find, for the people writing the plan: those who
    can change a section of it or move it on."""
    pep = context["pep"]
    if pep.status not in WRITING or not (context.get("editable") or context.get("moves")):
        return {"show": False}
    needed, advised = [], []
    for found, mode in findings_with_modes(pep):
        (needed if mode == Mode.BLOCK or found.workflow_refuses else advised).append(found)
    return {"show": True, "needed": needed, "advised": advised}


@register.inclusion_tag("quality/_move_checks.html")
def move_checks(pep, move):
    """On a move's page: the warnings of the checks for that move (its blocking ones are
    among the problems already shown) and, for the Virtual School's decisions, the latest QA round."""
    latest = None
    if move.source == Status.SUBMITTED:
        latest = rounds_of(pep).first()
    return {"pep": pep, "warnings": for_move(pep, move.source, move.target, Mode.WARN), "latest": latest}


@register.inclusion_tag("quality/_rounds.html", takes_context=True)
def qa_rounds(context):
    """Section E's quality assurance: every round, newest first, with its ratings and feedback."""
    pep = context["pep"]
    rounds = list(rounds_of(pep))
    can_review = rules.can_review(context["request"].user, pep)
    return {"pep": pep, "rounds": rounds, "can_review": can_review, "count": len(rounds)}
