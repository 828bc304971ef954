"""The child's "Have your say": the age variants of its pages, its scales and how a child wants to take part."""

from django.db import models


class Variant(models.TextChoices):
    """Which pages the child gets, by the PEP's phase and the child's year group."""

    EARLY_YEARS = "early_years", "Early years, with a grown-up"
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    POST_16 = "post_16", "Post-16"


#: Who may be sent the link by e-mail to their own address (anyone may be given the code).
EMAIL_VARIANTS = {Variant.SECONDARY, Variant.POST_16}


class Feeling(models.TextChoices):
    """A simple scale: each is shown with a picture and these words, never a picture alone."""

    GOOD = "good", "Good"
    OK = "ok", "OK"
    NOT_GOOD = "not_good", "Not good"


class TakePart(models.TextChoices):
    """How the child wants to take part in their meeting, in their own terms."""

    COME = "come", "I want to come to my meeting"
    PART = "part", "I want to come to part of my meeting"
    ADULT = "adult", "I want an adult I trust to tell them what I think"
    WRITTEN = "written", "I want them to read what I have written here"
    NOT_SURE = "not_sure", "I am not sure yet"


class Purpose(models.TextChoices):
    """What a code opens: the child's "Have your say" before the meeting, or their "My plan" after sign-off."""

    HAVE_YOUR_SAY = "have_your_say", "Have your say"
    MY_PLAN = "my_plan", "My plan"


class Audience(models.TextChoices):
    """Whom a code is for: the child, or (My plan only) their carer."""

    CHILD = "child", "The child or young person"
    CARER = "carer", "The carer"


class InvitationState(models.TextChoices):
    OPEN = "open", "Open"
    SUBMITTED = "submitted", "Sent by the child"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


#: The child's answers, in the order every page, document and the API give them.
ANSWER_FIELDS = ("going_well", "hard", "helps_me", "better_at", "who_at_meeting", "take_part", "school", "learning")
#: The answers an adult may take into Section B: each with the Section B question it goes under.
INTO_SECTION_B = {
    "going_well": "going_well",
    "hard": "hard",
    "helps_me": "helps_me",
    "better_at": "aspirations",
    "who_at_meeting": "who_at_meeting",
}

#: Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
