from decimal import Decimal

from django.db import models

#: "Due soon" on the dashboard: a PEP due within this many of the council's school days from today.
DUE_SOON_SCHOOL_DAYS = 10

#: Persistent absence: missing 10% or more of sessions, so attendance below 90%.
PERSISTENT_ABSENCE_BELOW = Decimal("90")


class DueState(models.TextChoices):
    IN_DATE = "in_date", "In date"
    DUE_SOON = "due_soon", f"Due within {DUE_SOON_SCHOOL_DAYS} school days"
    OVERDUE = "overdue", "Overdue"
    NO_DATE = "no_date", "Due date not known"


class AttendanceBand(models.TextChoices):
    """Attendance this academic year, from the child's latest Section D. Below 90% is persistent
    absence; below 50%, severe absence (the Department for Education's measures)."""

    HIGH = "95_plus", "95% or more"
    FAIR = "90_to_95", "90% to 94.9%"
    PERSISTENT = "50_to_90", "50% to 89.9% (persistently absent)"
    SEVERE = "below_50", "Below 50% (severely absent)"
    NOT_RECORDED = "not_recorded", "Not recorded"


#: Lower bound of each band (the bands below the first are checked in this order).
ATTENDANCE_FLOORS = [
    (AttendanceBand.HIGH, Decimal("95")),
    (AttendanceBand.FAIR, Decimal("90")),
    (AttendanceBand.PERSISTENT, Decimal("50")),
    (AttendanceBand.SEVERE, Decimal("0")),
]


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
