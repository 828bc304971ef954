"""Checks before submission: what a Virtual School would otherwise send back, found
while the plan is written.

Each check reads a ``Plan`` (a PEP's sections, fetched once) and returns its
findings, each naming what to fix and where. An authority sets each check to
block, warn or off (``QualitySettings``). Blocking checks join the workflow's own
through ``plans.workflow.add_readiness_check`` (``register``, called when the app
is ready): the school's checks on the school's moves, all of them on submission.
Warnings are shown on the move page and, while people write, on the PEP page.

The workflow itself already refuses some of what these checks find (no Section B,
an unrated previous target, no next meeting date), whatever the settings; those
findings carry ``workflow_refuses`` so that a refusal does not say the same thing twice.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from openpep.clock.calendar import long_date
from openpep.people.models import LocalAuthority
from openpep.plans.carry import NARRATIVE
from openpep.plans.enums import Section, Status, ViewsRecordedBy
from openpep.plans.models import ChildViews, Pep, SchoolSection, Target, TargetReview
from openpep.plans.queries import add_page_relation, previous_pep, read_for_page, target_reviews
from openpep.plans.workflow import add_readiness_check

from .enums import CheckId, Mode, Part, Rag, SignOffRule
from .models import QualitySettings, Review


@dataclass(frozen=True)
class Finding:
    check: CheckId
    message: str
    anchor: str  # where on the PEP page it is fixed
    part: Part
    workflow_refuses: bool = False


@dataclass(frozen=True)
class Plan:
    """What the checks read of a PEP: two queries, plus the sections a PEP page
    has already fetched with it (``plans.queries.pep_page``)."""

    pep: Pep
    views: ChildViews | None
    section: SchoolSection | None
    targets: list[Target]
    reviews: list[TargetReview]
    meeting_on: datetime.date | None  # the day of this PEP's meeting, once there is one
    last: SchoolSection | None = None  # Section D of the previous signed-off PEP, if any

    @classmethod
    def of(cls, pep: Pep) -> "Plan":
        meeting = getattr(pep, "meeting", None)
        return cls(
            pep=pep,
            views=getattr(pep, "child_views", None),
            section=getattr(pep, "school_section", None),
            targets=list(Target.objects.filter(pep=pep).order_by("created_at", "id")),
            reviews=target_reviews(pep),
            meeting_on=meeting.held_on if meeting is not None and meeting.cancelled_at is None else None,
            last=getattr(previous_pep(pep, before=pep), "school_section", None),
        )


def quote(text: str, limit: int = 60) -> str:
    """A target's words in quotes, shortened at a word to about ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"‘{text}’"


# --- the checks --------------------------------------------------------------------------------------------


def child_voice(plan: Plan) -> list[Finding]:
    part = Part.SCHOOL if plan.pep.views_recorded_by == ViewsRecordedBy.SCHOOL else Part.SOCIAL_WORKER
    if plan.views is None:
        return [Finding(CheckId.VOICE, "Record the child's views (Section B)", "section-b", part, True)]
    if not any(getattr(plan.views, name).strip() for name in ChildViews.VOICE_FIELDS):
        return [
            Finding(
                CheckId.VOICE,
                "Section B has none of the child's own views: record what is going well, what is hard, "
                "what helps or what they want to do or be",
                "section-b",
                part,
            )
        ]
    return []


def unreviewed_targets(plan: Plan) -> list[Finding]:
    found = []
    for number, review in enumerate(plan.reviews, start=1):
        target = quote(review.target.outcome)
        if not review.rating:
            message = f"Previous target {number} ({target}) has not been reviewed: say how far it was achieved"
            found.append(Finding(CheckId.UNREVIEWED_TARGETS, message, "reviews", Part.SCHOOL, True))
        elif not review.evidence.strip():
            message = (
                f"Previous target {number} ({target}) is rated ‘{review.get_rating_display()}’ with no evidence: "
                "say what shows it"
            )
            found.append(Finding(CheckId.UNREVIEWED_TARGETS, message, "reviews", Part.SCHOOL))
    return found


#: Words that promise effort rather than a result, unless a number or a measure says how much.
VAGUE = re.compile(
    r"\b(improve[sd]?|improving|improvement|better|try|tries|trying|work harder|work on|do well|do my best|"
    r"more confident|engage|progress)\b",
    re.IGNORECASE,
)
MEASURED = re.compile(
    r"\d|%|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|half|once|twice|every|each|per|all|grade|level|score[sd]?|out of)\b",
    re.IGNORECASE,
)


def smart_targets(plan: Plan) -> list[Finding]:
    found = []

    def finding(message):
        found.append(Finding(CheckId.SMART_TARGETS, message, "targets", Part.SCHOOL))

    for number, target in enumerate(plan.targets, start=1):
        name = f"Target {number} ({quote(target.outcome)})"
        if not target.success_measure.strip():
            finding(f"{name} has no measure of success: say how everyone will know it has been met")
        if target.by_when is None:
            finding(f"{name} has no date: say by when it should be met")
        elif plan.meeting_on is not None and target.by_when <= plan.meeting_on:
            finding(
                f"{name} is due by {long_date(target.by_when)}, which is not after the PEP meeting on "
                f"{long_date(plan.meeting_on)}: give a date still to come"
            )
        if not target.who.strip():
            finding(f"{name} has no owner: say who is responsible")
        if not target.outcome.strip().lower().startswith("i "):
            finding(f"{name} is not in the child's voice: write it as the child would say it, starting ‘I will…’")
        vague = VAGUE.search(target.outcome)
        if vague and not MEASURED.search(f"{target.outcome} {target.success_measure}"):
            finding(
                f"{name} uses vague words (‘{vague.group(0).lower()}’) with no number or measure: "
                "say how much, how often or by when, in numbers"
            )
    return found


#: Section D's "How Pupil Premium Plus is used" saying that none is.
NO_PUPIL_PREMIUM = re.compile(
    r"^\W*(none|nil|n/?a\b|not applicable|no\b|not used)|\bnot eligible\b|\bno pp\+", re.IGNORECASE
)


def pupil_premium(plan: Plan) -> list[Finding]:
    found = []
    use = plan.section.pupil_premium_use.strip() if plan.section is not None else ""
    costed = [target for target in plan.targets if target.pupil_premium_cost]
    if use and not NO_PUPIL_PREMIUM.search(use) and not costed:
        found.append(
            Finding(
                CheckId.PUPIL_PREMIUM,
                "Section D says how Pupil Premium Plus is used, but no target carries a PP+ cost: put each cost "
                "against the target it pays for",
                "targets",
                Part.SCHOOL,
            )
        )
    for number, target in enumerate(plan.targets, start=1):
        if target.pupil_premium_cost and not target.success_measure.strip():
            found.append(
                Finding(
                    CheckId.PUPIL_PREMIUM,
                    f"Target {number} ({quote(target.outcome)}) asks for £{target.pupil_premium_cost:,.2f} of PP+ "
                    "but has no measure of success: say how the spending will show results",
                    "targets",
                    Part.SCHOOL,
                )
            )
    return found


def next_meeting(plan: Plan) -> list[Finding]:
    if plan.section is None:
        message = "Complete Section D, with the date and time of the next PEP meeting"
        return [Finding(CheckId.NEXT_MEETING, message, "section-d", Part.SCHOOL, True)]
    if plan.section.next_meeting_at is None:
        message = "Set the date and time of the next PEP meeting in Section D"
        return [Finding(CheckId.NEXT_MEETING, message, "section-d", Part.SCHOOL, True)]
    return []


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


def copied(plan: Plan) -> list[Finding]:
    """A narrative answer of Section D word for word last term's (spaces and letter case aside): a
    common QA finding, the copied PEP. Facts carried forward (``plans.carry``) are not narrative."""
    if plan.section is None or plan.last is None:
        return []
    found = []
    for name in NARRATIVE[Section.D]:
        answer = getattr(plan.section, name)
        if answer.strip() and _same(answer) == _same(getattr(plan.last, name)):
            label = SchoolSection._meta.get_field(name).verbose_name
            found.append(
                Finding(
                    CheckId.COPIED,
                    f"Section D's ‘{label}’ is the same as last term's: say what is true this term",
                    "section-d",
                    Part.SCHOOL,
                )
            )
    return found


CHECKS: dict[CheckId, Callable[[Plan], list[Finding]]] = {
    CheckId.VOICE: child_voice,
    CheckId.UNREVIEWED_TARGETS: unreviewed_targets,
    CheckId.SMART_TARGETS: smart_targets,
    CheckId.PUPIL_PREMIUM: pupil_premium,
    CheckId.NEXT_MEETING: next_meeting,
    CheckId.COPIED: copied,
}

#: What each check looks for, for the admin page.
DESCRIPTIONS = {
    CheckId.VOICE: "Section B is missing or records none of the child's own views.",
    CheckId.UNREVIEWED_TARGETS: "A target of the previous PEP has no rating, or no evidence for its rating.",
    CheckId.SMART_TARGETS: "A target has no measure of success, no date (or one not after the meeting), no owner, "
    "is not in the child's words (‘I will…’), or uses vague words such as ‘improve’ with no number.",
    CheckId.PUPIL_PREMIUM: "Section D describes a use of PP+ but no target carries its cost, or a target with a PP+ "
    "cost has no measure of success.",
    CheckId.NEXT_MEETING: "Section D has no date for the next PEP meeting.",
    CheckId.COPIED: "A narrative answer of Section D (school view, support offered or needed, use of PP+) is the "
    "same as in the previous signed-off PEP.",
}


# --- running them ------------------------------------------------------------------------------------------


def findings(plan: Plan, checks: Iterable[CheckId] = CHECKS) -> list[Finding]:
    """What ``checks`` (all of them, by default) find in ``plan``, settings aside."""
    return [found for check in checks for found in CHECKS[check](plan)]


def settings_of(pep: Pep) -> QualitySettings:
    """The PEP's council's settings: those read with it when ``pep_page`` read the PEP in this
    request (``add_page_relation`` in ``register``), else one query."""
    if read_for_page(pep) and LocalAuthority.quality_settings.is_cached(pep.child.local_authority):
        authority = pep.child.local_authority
        return getattr(authority, "quality_settings", None) or QualitySettings(local_authority_id=authority.pk)
    return QualitySettings.for_authority_id(pep.child.local_authority_id)


def findings_with_modes(pep: Pep, quality: QualitySettings | None = None) -> list[tuple[Finding, Mode]]:
    """Every finding of the checks that are not off for the PEP's authority, with its mode."""
    quality = quality or settings_of(pep)
    checks = [check for check in CheckId if quality.mode(check) != Mode.OFF]
    return [(found, quality.mode(found.check)) for found in findings(Plan.of(pep), checks)]


#: Whose findings each move into a writing-done status is checked for. The social
#: worker's resubmission after a return to them checks only their part: the school's
#: part is closed then, passed these checks on its way in, and only the school could fix it.
MOVE_PARTS: dict[tuple[Status, Status], frozenset[Part]] = {
    (Status.DRAFT, Status.SCHOOL_RETURNED): frozenset({Part.SCHOOL}),
    (Status.RETURNED_TO_SCHOOL, Status.SUBMITTED): frozenset({Part.SCHOOL}),
    (Status.SCHOOL_RETURNED, Status.SUBMITTED): frozenset(Part),
    (Status.RETURNED_TO_SW, Status.SUBMITTED): frozenset({Part.SOCIAL_WORKER}),
}


def for_move(pep: Pep, source: str, target: str, mode: Mode) -> list[Finding]:
    """The findings in ``mode`` that concern the move from ``source`` to ``target``."""
    parts = MOVE_PARTS.get((Status(source), Status(target)))
    if parts is None:
        return []
    return [
        found
        for found, found_mode in findings_with_modes(pep)
        if found_mode == mode and found.part in parts and not (mode == Mode.BLOCK and found.workflow_refuses)
    ]


def _blocking(source: Status, target: Status) -> Callable[[Pep], list[str]]:
    def blocking(pep: Pep) -> list[str]:
        return [found.message for found in for_move(pep, source, target, Mode.BLOCK)]

    blocking.__name__ = f"quality_checks_{source.value}_to_{target.value}"
    return blocking


BLOCKING = {move: _blocking(*move) for move in MOVE_PARTS}


# --- sign-off ----------------------------------------------------------------------------------------------


def latest_review(pep: Pep) -> Review | None:
    return Review.objects.filter(pep=pep).select_related("reviewer").prefetch_related("ratings").first()


def sign_off_problems(pep: Pep) -> list[str]:
    """Why the Virtual School cannot sign ``pep`` off yet, by its authority's QA rule."""
    rule = SignOffRule(settings_of(pep).sign_off_rule)
    if rule == SignOffRule.ANY:
        return []
    latest = latest_review(pep)
    if latest is None:
        if rule == SignOffRule.ROUND_WITHOUT_RED:
            return ["Record a quality assurance round before signing off the PEP"]
        return []
    when = f"{long_date(timezone.localtime(latest.created_at).date())}, by {latest.reviewer}"
    if rule == SignOffRule.OVERALL_NOT_RED:
        if latest.overall == Rag.RED:
            return [
                f"The latest quality assurance round ({when}) rated the PEP red overall: return it for amendment, "
                "then record a new round that is not red"
            ]
        return []
    red = [rating.title for rating in latest.ratings.all() if rating.rating == Rag.RED]
    if red:
        titles = "; ".join(f"‘{title}’" for title in red)
        return [
            f"The latest quality assurance round ({when}) rated {titles} red: return the PEP for amendment, "
            "then record a new round with no red"
        ]
    return []


def register() -> None:
    """Add the blocking checks and the sign-off rule to the PEP workflow's moves."""
    for move, check in BLOCKING.items():
        add_readiness_check(move, check)
    add_readiness_check(Status.SIGNED_OFF, sign_off_problems)
    add_page_relation("child__local_authority__quality_settings")  # "Before you submit" reads it
