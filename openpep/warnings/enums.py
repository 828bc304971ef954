"""The kinds of early warning, and who each one goes to."""

from django.db import models


class Kind(models.TextChoices):
    """What a warning is about; the label is its title on task lists and the child's page."""

    PERSISTENT_ABSENCE = "persistent", "Persistently absent this term"
    SEVERE_ABSENCE = "severe", "Severely absent this term"
    ATTENDANCE_FALL = "fall", "Attendance falling"
    EXCLUSION = "exclusion", "Suspended or excluded"
    SCHOOL_CHANGE = "school_change", "Changed school since the last PEP"
    PLACEMENT_CHANGE = "placement_change", "Changed placement since the last PEP"
    NO_SCHOOL = "no_school", "No school place"
    PEP_OVERDUE = "overdue", "PEP overdue"


#: Kinds about what happens at school: they go to the Designated Teacher of the child's school too.
SCHOOL_SIDE = frozenset({Kind.PERSISTENT_ABSENCE, Kind.SEVERE_ABSENCE, Kind.ATTENDANCE_FALL, Kind.EXCLUSION})

#: The window over which a fall in attendance is measured (the last four weeks).
FALL_WINDOW_DAYS = 28

#: Fewer possible sessions than this (a school week) say too little to warn of absence.
MIN_SESSIONS = 10
