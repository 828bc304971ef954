"""The casework log's fixed choices, and the topics a council starts with."""

from django.db import models


class GivenTo(models.TextChoices):
    SCHOOL = "school", "School"
    PARENT = "parent", "Parent"
    KINSHIP_CARER = "kinship_carer", "Kinship carer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    OTHER = "other", "Other"


class How(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    MEETING = "meeting", "Meeting"
    VISIT = "visit", "Visit"


#: The topics of advice a council starts with (``receivers``; migration ``0002`` for the councils
#: already there); its Virtual School head renames, adds and retires them.
DEFAULT_TOPICS = (
    "Attendance",
    "Admissions and school places",
    "Suspensions and exclusions",
    "Special educational needs and disabilities",
    "Pupil premium plus",
    "Transition to a new school or phase",
    "Attainment and progress",
    "Emotional wellbeing and mental health",
    "Other",
)


class Band(models.TextChoices):
    """Attendance this academic year, for the register's filter."""

    GOOD = "good", "90% or more"
    PERSISTENT = "persistent", "50% to under 90% (persistently absent)"
    SEVERE = "severe", "Under 50% (severely absent)"
    NONE = "none", "No attendance data"


#: Rows on one page of the register.
PAGE_SIZE = 50
