"""The demo's attendance: a synthetic register for each child on a school roll, from
1 September to yesterday, so the figures show at once. Called by ``openpep.demo``."""

import datetime

from openpep.children.models import Child
from openpep.people.models import LocalAuthority, School

from .enums import academic_year, year_bounds
from .services import save_sessions

#: Absences sprinkled over a usual year: (every nth school day, session, code); every third
#: child is also off ill now and then, so the cohort spreads over the bands above 90%.
USUAL = [(29, "am", "M"), (41, "pm", "I"), (47, "am", "O")]
POORLY = (13, "pm", "I")


def _school_days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Weekdays, less a half-term week at the end of October."""
    half_term = datetime.date(first.year, 10, 27)
    days, day = [], first
    while day <= last:
        if day.weekday() < 5 and not (half_term <= day < half_term + datetime.timedelta(days=7)):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def register(index: int, days: list[datetime.date]) -> dict[datetime.date, dict[str, str]]:
    """Child ``index``'s codes: the second child misses about one day in six (below 90%), the
    third and fifth are suspended (the fifth twice), everyone else is absent now and then."""
    codes = {day: {"am": "/", "pm": "\\"} for day in days}
    for n, day in enumerate(days, start=1):
        for every, session, code in USUAL + ([POORLY] if index % 3 == 0 else []):
            if (n + index) % every == 0:
                codes[day][session] = code
        if index == 1 and n % 6 == 0:
            codes[day] = {"am": "N", "pm": "O"} if n % 12 else {"am": "I", "pm": "I"}
    if index in (2, 4) and len(days) > 25:
        for day in days[10:12] if index == 2 else days[8:9] + days[20:22]:
            codes[day] = {"am": "E", "pm": "E"}
    return codes


def build(authority: LocalAuthority, children: list[tuple[Child, School]], today: datetime.date) -> int:
    """Registers for ``children`` (each with their school today) from the start of the
    academic year to yesterday. Returns how many sessions were written."""
    first, _ = year_bounds(academic_year(today))
    days = _school_days(first, today - datetime.timedelta(days=1))
    sessions = {}
    for index, (child, school) in enumerate(children):
        for day, codes in register(index, days).items():
            sessions[(child.pk, school.pk, day)] = codes
    schools = {school.pk: school.urn for _, school in children}
    saved = save_sessions(authority, sessions, schools=schools, summary="Demo attendance")
    return saved.created
