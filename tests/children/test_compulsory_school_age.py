"""Compulsory school age from the date of birth, at its boundaries (Education Act 1996, s. 8)."""

import datetime

import pytest

from openpep.children.models import Child, compulsory_school_age

D = datetime.date


@pytest.mark.parametrize(
    ("born", "begins"),
    [
        (D(2020, 8, 31), D(2025, 8, 31)),  # a fifth birthday on a prescribed day: that day
        (D(2020, 9, 1), D(2025, 12, 31)),
        (D(2020, 12, 31), D(2025, 12, 31)),
        (D(2021, 1, 1), D(2026, 3, 31)),
        (D(2021, 3, 31), D(2026, 3, 31)),
        (D(2021, 4, 1), D(2026, 8, 31)),
        (D(2020, 2, 29), D(2025, 3, 31)),  # a leap day: five on 1 March 2025
    ],
)
def test_it_begins_on_the_prescribed_day_following_the_fifth_birthday(born, begins):
    assert compulsory_school_age(born)[0] == begins
    child = Child(date_of_birth=born)
    assert child.of_compulsory_school_age(begins)
    assert not child.of_compulsory_school_age(begins - datetime.timedelta(days=1))


@pytest.mark.parametrize(
    ("born", "ends"),
    [
        # Year 11 in 2025-26 (born 1 September 2009 to 31 August 2010): the last Friday of June 2026.
        (D(2010, 8, 31), D(2026, 6, 26)),  # 16 after that Friday, before the next school year
        (D(2009, 9, 1), D(2026, 6, 26)),  # 16 at the start of the school year
        (D(2010, 6, 26), D(2026, 6, 26)),  # 16 on the leaving date itself
        (D(2010, 9, 1), D(2027, 6, 25)),  # Year 11 a year later
    ],
)
def test_it_ends_on_the_last_friday_of_june_of_the_school_year_they_turn_16(born, ends):
    assert compulsory_school_age(born)[1] == ends
    assert ends.weekday() == 4 and ends.month == 6 and (ends + datetime.timedelta(days=7)).month == 7
    child = Child(date_of_birth=born)
    assert child.of_compulsory_school_age(ends)
    assert not child.of_compulsory_school_age(ends + datetime.timedelta(days=1))
