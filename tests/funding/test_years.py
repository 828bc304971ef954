"""Financial years and the PP+ age rule, at their boundaries."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from openpep.funding.years import (
    age_on,
    birth_dates,
    bounds,
    financial_year_of,
    of_eligible_age,
    recent_financial_years,
    validate_financial_year,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year"),
    [(D(2027, 3, 31), "2026-27"), (D(2027, 4, 1), "2027-28"), (D(2026, 4, 1), "2026-27"), (D(2099, 12, 31), "2099-00")],
)
def test_financial_year_of_turns_on_1_april(day, year):
    assert financial_year_of(day) == year


def test_bounds_are_1_april_to_31_march():
    assert bounds("2026-27") == (D(2026, 4, 1), D(2027, 3, 31))


@pytest.mark.parametrize("value", ["2026-28", "2026/27", "26-27", "", "2026-7"])
def test_validate_financial_year_refuses_what_is_not_one(value):
    with pytest.raises(ValidationError, match="Write the financial year like 2026-27"):
        validate_financial_year(value)


def test_age_on_counts_a_birthday_on_the_day():
    assert age_on(D(2022, 8, 31), D(2026, 8, 31)) == 4
    assert age_on(D(2022, 9, 1), D(2026, 8, 31)) == 3
    assert age_on(D(2012, 2, 29), D(2026, 2, 28)) == 13


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (D(2022, 8, 31), True),  # 4 on 31 August 2026: Reception in 2026-27
        (D(2022, 9, 1), False),  # 3 on 31 August 2026: still in nursery
        (D(2010, 9, 1), True),  # 15 on 31 August 2026 (16 the day after): Year 11
        (D(2010, 8, 31), False),  # 16 on 31 August 2026: post-16
    ],
)
def test_of_eligible_age_takes_the_age_on_31_august_at_the_start_of_the_year(born, eligible):
    assert of_eligible_age(born, "2026-27") is eligible


def test_birth_dates_are_the_first_and_last_eligible_birthdays():
    earliest, latest = birth_dates("2026-27")

    assert (earliest, latest) == (D(2010, 9, 1), D(2022, 8, 31))
    assert of_eligible_age(earliest, "2026-27") and of_eligible_age(latest, "2026-27")
    assert not of_eligible_age(earliest - datetime.timedelta(days=1), "2026-27")
    assert not of_eligible_age(latest + datetime.timedelta(days=1), "2026-27")


def test_recent_financial_years_newest_first():
    assert recent_financial_years(D(2026, 11, 28)) == ["2026-27", "2025-26", "2024-25", "2023-24"]
    assert recent_financial_years(D(2027, 4, 1), before=1) == ["2027-28", "2026-27"]
