"""A fixed school calendar for 2026-27, entered for Testshire, for the tests that
need to know which days are school days."""

import datetime

import pytest

from openpep.clock.models import Holiday, Term
from openpep.clock.services import add_entries

D = datetime.date

TERMS = [
    ("autumn", D(2026, 9, 2), D(2026, 12, 18)),
    ("spring", D(2027, 1, 4), D(2027, 3, 25)),
    ("summer", D(2027, 4, 12), D(2027, 7, 21)),
]
HOLIDAYS = [("February half-term", D(2027, 2, 15), D(2027, 2, 19))]


@pytest.fixture
def calendar(world):
    entries = [Term(name=n, starts_on=s, ends_on=e) for n, s, e in TERMS]
    entries += [Holiday(name=n, starts_on=s, ends_on=e) for n, s, e in HOLIDAYS]
    add_entries(world.vs_admin, world.authority, entries)
