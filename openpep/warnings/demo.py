"""The demo's early warnings: raised from the demo's own data (its attendance registers, schools
and PEPs), as the worker would on the demo's first morning, after two registers have turned worse
than the attendance demo's: Alfie Dunn away three days in five all year (severely absent) and Zara
Iqbal away every day of the last four weeks (attendance falling). Called at the end of ``openpep.demo``."""

import datetime

from openpep.attendance.models import AttendanceDay
from openpep.attendance.services import save_sessions
from openpep.children.models import Child
from openpep.plans.due import refresh_open_pep_clocks

from .enums import FALL_WINDOW_DAYS
from .services import raise_warnings

SEVERE = ("Alfie", "Dunn")
FALLING = ("Zara", "Iqbal")


def _worse(demo) -> None:
    window = demo.today - datetime.timedelta(days=FALL_WINDOW_DAYS - 1)
    for (first, last), away in ((SEVERE, lambda n, day: n % 5 < 3), (FALLING, lambda n, day: day >= window)):
        child = Child.objects.filter(first_name=first, last_name=last).first()
        if child is None:
            continue
        days = list(AttendanceDay.objects.filter(child=child).select_related("school").order_by("date"))
        sessions = {
            (child.pk, day.school_id, day.date): {"am": "N", "pm": "O"}
            for n, day in enumerate(days)
            if away(n, day.date) and day.am != "E"
        }
        schools = {day.school_id: day.school.urn for day in days}
        save_sessions(child.local_authority, sessions, schools=schools, summary="Demo attendance")


def build(demo) -> int:
    """Raise today's warnings; returns how many. The PEPs' due dates are stored first: the clock
    stores them after the demo's commit, and a PEP overdue by them is a warning."""
    _worse(demo)
    refresh_open_pep_clocks()
    return len(raise_warnings(demo.today))
