"""Demo term dates: this academic year's and next, in the usual English pattern.

Autumn from the first weekday of September to the Friday before Christmas,
Spring from the first days of January to the Friday a week before Good Friday,
Summer from a week after Easter Monday to about 22 July; half-terms in the last
full week of October, mid-February and the week of the spring bank holiday;
five INSET days. That gives about 190 school days a year, as councils publish.
"""

import datetime

from openpep.people.models import LocalAuthority

from .calendar import ONE_DAY, academic_year_of, bank_holidays_in, is_working_day, year_name
from .enums import TermName
from .models import Holiday, Term
from .services import add_entries

WEEK = datetime.timedelta(days=7)


def build_calendar(authority: LocalAuthority, today: datetime.date, *, earlier_years: int = 0) -> list[Term | Holiday]:
    """Add the terms and holidays of the academic year containing ``today`` and of
    the next one (and of ``earlier_years`` before it, for a demo whose history needs
    them), skipping a year the authority already has terms for. Goes through
    ``services.add_entries`` (checked, audited with no actor). Returns what it added."""
    first = int(academic_year_of(today)[:4]) - earlier_years
    added: list[Term | Holiday] = []
    for start in range(first, first + earlier_years + 2):
        if authority.terms.filter(academic_year=year_name(start)).exists():
            continue
        entries = english_year(start)
        add_entries(None, authority, entries, how="Added demo")
        added.extend(entries)
    return added


def english_year(start: int) -> list[Term | Holiday]:
    """The usual English school year beginning in September of ``start`` (unsaved)."""
    end = start + 1
    autumn = Term(
        name=TermName.AUTUMN,
        starts_on=_weekday_from(datetime.date(start, 9, 1)),
        ends_on=_christmas_break(start),
    )
    good_friday = _good_friday(end)
    spring = Term(
        name=TermName.SPRING,
        starts_on=_new_year_start(end),
        ends_on=good_friday - WEEK,
    )
    summer = Term(
        name=TermName.SUMMER,
        starts_on=good_friday + 3 * ONE_DAY + WEEK,
        ends_on=_weekday_on_or_before(datetime.date(end, 7, 22)),
    )
    october = _monday_on_or_before(datetime.date(start, 10, 27))
    february = _monday_on_or_after(datetime.date(end, 2, 12))
    whitsun = _monday_on_or_before(datetime.date(end, 5, 31))  # the spring bank holiday
    autumn_inset = _working_day_from(autumn.starts_on)
    return [
        autumn,
        spring,
        summer,
        _holiday("INSET days", autumn_inset, _working_day_from(autumn_inset + ONE_DAY)),
        _holiday("October half-term", october, october + 4 * ONE_DAY),
        _holiday("INSET day", _working_day_from(spring.starts_on)),
        _holiday("February half-term", february, february + 4 * ONE_DAY),
        _holiday("INSET day", _working_day_from(summer.starts_on)),
        _holiday("May half-term", whitsun, whitsun + 4 * ONE_DAY),
        _holiday("INSET day", _weekday_on_or_before(summer.ends_on)),
    ]


def _christmas_break(year: int) -> datetime.date:
    """The Friday on or before 20 December, or 20 December itself when that Friday is too early."""
    friday = _friday_on_or_before(datetime.date(year, 12, 20))
    return friday if friday.day >= 17 else datetime.date(year, 12, 20)


def _new_year_start(year: int) -> datetime.date:
    """2 January when it falls early in a week, else the Monday after."""
    second = datetime.date(year, 1, 2)
    return second if second.weekday() <= 2 else _monday_on_or_after(second)


def _holiday(name: str, starts_on: datetime.date, ends_on: datetime.date | None = None) -> Holiday:
    return Holiday(name=name, starts_on=starts_on, ends_on=ends_on or starts_on)


def _weekday_from(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += ONE_DAY
    return day


def _working_day_from(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += ONE_DAY
    return day


def _weekday_on_or_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= ONE_DAY
    return day


def _friday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=(day.weekday() - 4) % 7)


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _monday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _good_friday(year: int) -> datetime.date:
    """The bank holiday that is a Friday in March or April."""
    return next(day for day in bank_holidays_in(year) if day.month in (3, 4) and day.weekday() == 4)
