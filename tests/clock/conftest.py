"""A fixed school calendar for Testshire: the academic years 2025-26 and 2026-27,
with the half-terms and an INSET day a council would publish. Every date in the
tests of this folder is counted against it."""

import datetime

import pytest

from openpep.clock.calendar import SchoolCalendar, Span, academic_year_of
from openpep.clock.models import Holiday, Term
from openpep.clock.services import add_entries

D = datetime.date

TERMS = [
    ("autumn", D(2025, 9, 3), D(2025, 12, 19)),
    ("spring", D(2026, 1, 5), D(2026, 3, 27)),
    ("summer", D(2026, 4, 13), D(2026, 7, 22)),
    ("autumn", D(2026, 9, 2), D(2026, 12, 18)),
    ("spring", D(2027, 1, 4), D(2027, 3, 25)),
    ("summer", D(2027, 4, 12), D(2027, 7, 21)),
]
HOLIDAYS = [
    ("October half-term", D(2025, 10, 27), D(2025, 10, 31)),
    ("February half-term", D(2026, 2, 16), D(2026, 2, 20)),
    ("INSET day", D(2026, 4, 13), D(2026, 4, 13)),
    ("May half-term", D(2026, 5, 25), D(2026, 5, 29)),
    ("October half-term", D(2026, 10, 26), D(2026, 10, 30)),
    ("February half-term", D(2027, 2, 15), D(2027, 2, 19)),
    ("May half-term", D(2027, 5, 31), D(2027, 6, 4)),
]


def spans(terms=TERMS, holidays=HOLIDAYS) -> SchoolCalendar:
    """The calendar without the database."""
    return SchoolCalendar(
        terms=[Span(name, start, end, academic_year_of(start)) for name, start, end in terms],
        holidays=[Span(name, start, end) for name, start, end in holidays],
    )


@pytest.fixture
def calendar(world):
    """The same calendar, entered for ``world.authority`` through the service."""
    entries = [Term(name=n, starts_on=s, ends_on=e) for n, s, e in TERMS]
    entries += [Holiday(name=n, starts_on=s, ends_on=e) for n, s, e in HOLIDAYS]
    add_entries(world.vs_admin, world.authority, entries)
    return SchoolCalendar(world.authority)
