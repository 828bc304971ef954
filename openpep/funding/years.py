"""Financial years (1 April to 31 March) and the PP+ age rule: plain date arithmetic, no database.

A financial year is written like "2026-27", as the Department for Education writes the PP+ rates."""

import datetime
import re

from django.core.exceptions import ValidationError

from openpep.clock.calendar import year_name

from .enums import OLDEST, YOUNGEST

FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def financial_year_of(day: datetime.date) -> str:
    """The financial year ``day`` falls in: 31 March 2027 is in "2026-27", 1 April 2027 in "2027-28"."""
    return year_name(day.year if day.month >= 4 else day.year - 1)


def start_year(financial_year: str) -> int:
    validate_financial_year(financial_year)
    return int(financial_year[:4])


def validate_financial_year(value: str) -> None:
    match = FINANCIAL_YEAR.match(value or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError("Write the financial year like 2026-27")


def bounds(financial_year: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the financial year."""
    start = start_year(financial_year)
    return datetime.date(start, 4, 1), datetime.date(start + 1, 3, 31)


def age_day(financial_year: str) -> datetime.date:
    """The day a child's age is taken for the year's PP+: 31 August of the year it starts in,
    so that the children who count are those in Reception to Year 11 in that academic year."""
    return datetime.date(start_year(financial_year), 8, 31)


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def birth_dates(financial_year: str) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest dates of birth of a child aged 4 to 15 on ``age_day``:
    for 2026-27, born 1 September 2010 to 31 August 2022."""
    start = start_year(financial_year)
    return datetime.date(start - OLDEST - 1, 9, 1), datetime.date(start - YOUNGEST, 8, 31)


def of_eligible_age(date_of_birth: datetime.date, financial_year: str) -> bool:
    return YOUNGEST <= age_on(date_of_birth, age_day(financial_year)) <= OLDEST


def recent_financial_years(today: datetime.date, before: int = 3) -> list[str]:
    """This financial year and the ``before`` years before it, newest first."""
    start = start_year(financial_year_of(today))
    return [year_name(year) for year in range(start, start - before - 1, -1)]
