from collections import Counter

from django.db import models


class CheckId(models.TextChoices):
    """The checks before submission. Each value is also the name of its setting's
    field on ``QualitySettings``."""

    VOICE = "voice", "No child's voice"
    UNREVIEWED_TARGETS = "unreviewed_targets", "A previous target not reviewed"
    SMART_TARGETS = "smart_targets", "A target that is not SMART"
    PUPIL_PREMIUM = "pupil_premium", "Pupil Premium Plus not linked to a target"
    NEXT_MEETING = "next_meeting", "No next meeting date"
    COPIED = "copied", "An answer copied from last term"


class Mode(models.TextChoices):
    BLOCK = "block", "Block: the PEP cannot move on until it is fixed"
    WARN = "warn", "Warn: shown to the people writing it, but the PEP can move on"
    OFF = "off", "Off: not checked"


class Part(models.TextChoices):
    """Whose part of the plan a finding is in: who can fix it."""

    SCHOOL = "school", "The school"
    SOCIAL_WORKER = "social_worker", "The social worker"


class Rag(models.TextChoices):
    """A quality rating, worst first."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    GOLD = "gold", "Gold"


RANK = {rating: position for position, rating in enumerate(Rag)}

TAG_COLOURS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.GOLD: "govuk-tag--yellow",
}


class OverallRule(models.TextChoices):
    WORST = "worst", "The worst rating given: any red makes the PEP red, else any amber makes it amber"
    RED_THEN_MOST_COMMON = (
        "red_then_most_common",
        "Any red makes the PEP red; otherwise the rating given most often (a tie takes the lower)",
    )
    MOST_COMMON = "most_common", "The rating given most often (a tie takes the lower)"

    def combine(self, ratings: list[str]) -> Rag:
        """The overall rating of a round whose criteria were rated ``ratings``.

        Green overall becomes Gold only when every criterion is Gold."""
        if not ratings:
            raise ValueError("A round rates at least one criterion")
        ratings = [Rag(r) for r in ratings]
        if self == OverallRule.WORST or (self == OverallRule.RED_THEN_MOST_COMMON and Rag.RED in ratings):
            worst = min(ratings, key=RANK.__getitem__)
            return worst
        counts = Counter(ratings)
        # Most often first; of equals, the lower (worse) rating.
        return max(counts, key=lambda rating: (counts[rating], -RANK[rating]))


class SignOffRule(models.TextChoices):
    NO_RED = "no_red", "Only when the latest QA round, if there is one, rates no criterion red"
    ROUND_WITHOUT_RED = (
        "round_without_red",
        "Only after a QA round, and only when the latest rates no criterion red",
    )
    OVERALL_NOT_RED = "overall_not_red", "Only when the latest QA round, if there is one, is not red overall"
    ANY = "any", "Whatever the QA ratings"


#: DOMAIN.md's typical green criteria: (title, what Green looks like). The rubric an
#: authority starts with; its Virtual School admin changes it from there.
DEFAULT_CRITERIA = [
    (
        "The child's voice shapes the plan",
        "The child's views are recorded in their own words (or how they were gathered is said) and the "
        "targets and actions answer them.",
    ),
    (
        "Previous targets evaluated",
        "Every previous target is rated with evidence, and a partly met one is carried forward or explained.",
    ),
    ("Needs identified", "Learning, SEND, attendance and wellbeing needs are identified, with what is behind them."),
    (
        "Targets are SMART",
        "Specific, measurable, achievable, relevant and time-bound; in the child's words, with an owner and a date.",
    ),
    ("Transitions planned", "Any change of school, key stage or placement is planned for, with who does what."),
    (
        "Interventions are clear",
        "Each intervention says what, when, where, who and how often.",
    ),
    (
        "PP+ costed and linked to targets",
        "Each Pupil Premium Plus request has a cost and the target it pays for.",
    ),
    ("Carer input", "The carer's views are recorded and the carer has actions of their own."),
    (
        "Attendees and next meeting recorded",
        "Who attended (and who sent apologies) is recorded, and the next PEP meeting is booked.",
    ),
]
