"""Working days and school days: the arithmetic behind every statutory due date.

Working days leave out weekends and England's bank holidays, read from the
maintained ``holidays`` library so that a one-off bank holiday (a coronation, a
state funeral) arrives with an upgrade rather than a code change. School days
also leave out the council's own school holidays: the days outside its terms,
and the closures (half-terms, INSET days) it enters inside them.

Nothing here touches the database except ``SchoolCalendar.__init__``, which
reads one authority's terms and holidays once; the rest is plain date arithmetic
that tests can check with fixed dates.
"""

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import holidays
from django.db.models import CharField, Value

from .enums import BREAK_AFTER, TermName

ONE_DAY = datetime.timedelta(days=1)


def academic_year_of(day: datetime.date) -> str:
    """The academic year ``day`` falls in, written like "2026-27".

    Years are counted from 1 August rather than 1 September so that a term
    starting in the last days of August belongs to the year it begins, and so
    that a date in the summer break belongs to the year whose autumn term ends
    that break: counting school days across it needs that year's dates."""
    return year_name(day.year if day.month >= 8 else day.year - 1)


def year_name(start: int) -> str:
    """The academic year that starts in ``start``: 2026 gives "2026-27"."""
    return f"{start}-{(start + 1) % 100:02d}"


def following_year(academic_year: str) -> str:
    return year_name(int(academic_year[:4]) + 1)


def preceding_year(academic_year: str) -> str:
    return year_name(int(academic_year[:4]) - 1)


def long_date(day: datetime.date) -> str:
    """GOV.UK style: "26 December 2026"."""
    return f"{day.day} {day:%B %Y}"


@functools.lru_cache(maxsize=64)
def bank_holidays_in(year: int) -> dict[datetime.date, str]:
    """England's bank holidays of ``year``, by date."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: datetime.date) -> str | None:
    """The name of the bank holiday of England on ``day``, if there is one."""
    return bank_holidays_in(day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def _step(day: datetime.date, n: int, counts: Callable[[datetime.date], bool]) -> datetime.date:
    """The ``n``th day after ``day`` (before it, for negative ``n``) on which ``counts`` holds.

    ``day`` itself is never counted, so "within 10 working days of Friday" is
    the tenth working day after that Friday, and ``n = 0`` gives ``day`` back."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if counts(day):
            remaining -= 1
    return day


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    return _step(day, n, is_working_day)


@dataclass(frozen=True)
class Span:
    """A run of days from ``starts_on`` to ``ends_on``, both included: a term or a closure."""

    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    academic_year: str = ""

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def label(self) -> str:
        """ "Autumn term 2026-27" for a term; a holiday's own name otherwise."""
        if self.academic_year:
            return f"{TermName(self.name).label} term {self.academic_year}"
        return self.name


class NoTermDates(Exception):
    """An authority has not entered (all of) an academic year's terms, so its
    school days cannot be counted. Raised rather than guessing: treating every
    weekday as a school day would quietly give wrong statutory dates."""

    def __init__(self, authority_name: str, academic_year: str, missing: Iterable[str]):
        self.authority_name = authority_name
        self.academic_year = academic_year
        self.missing = tuple(missing)
        if len(self.missing) == len(TermName):
            message = f"{authority_name} has no term dates for {academic_year} yet"
        else:
            names = " and ".join(TermName(name).label for name in self.missing)
            message = f"{authority_name}'s term dates for {academic_year} have no {names} term yet"
        super().__init__(f"{message}: a Virtual School admin must enter them before school days can be counted")


def _terms_and_holidays(authority) -> tuple[list[Span], list[Span]]:
    """An authority's terms and closures in one query (a PEP's page and every due date need both)."""
    kind = Value("", output_field=CharField())
    columns = ("kind", "name", "starts_on", "ends_on")
    terms = authority.terms.order_by().annotate(kind=Value("term", output_field=CharField())).values_list(*columns)
    closures = authority.school_holidays.order_by().annotate(kind=kind).values_list(*columns)
    found: tuple[list[Span], list[Span]] = ([], [])
    for kind, name, starts_on, ends_on in terms.union(closures, all=True):
        if kind == "term":
            found[0].append(Span(name, starts_on, ends_on, academic_year_of(starts_on)))
        else:
            found[1].append(Span(name, starts_on, ends_on))
    return found


class SchoolCalendar:
    """One authority's school calendar, loaded once and then queried without the database.

    An academic year counts as known only when all three of its terms are
    entered; asking about a day of any other year raises ``NoTermDates``.
    Tests and the import can pass ``terms`` and ``holidays`` directly."""

    def __init__(self, authority=None, *, terms: Iterable | None = None, holidays: Iterable | None = None):
        if terms is None and holidays is None:
            terms, holidays = _terms_and_holidays(authority)
        if terms is None:
            terms = authority.terms.all()
        if holidays is None:
            holidays = authority.school_holidays.all() if authority is not None else ()
        self.name = str(authority) if authority is not None else "The council"
        # Spans as given, or from a Term's or Holiday's ``span``.
        self.terms = sorted((getattr(term, "span", term) for term in terms), key=lambda span: span.starts_on)
        self.holidays = sorted((getattr(h, "span", h) for h in holidays), key=lambda span: span.starts_on)

    # --- which years are known -------------------------------------------------------------------

    def missing_terms(self, academic_year: str) -> tuple[str, ...]:
        entered = {term.name for term in self.terms if term.academic_year == academic_year}
        return tuple(name for name in TermName.values if name not in entered)

    def require_year(self, academic_year: str) -> None:
        missing = self.missing_terms(academic_year)
        if missing:
            raise NoTermDates(self.name, academic_year, missing)

    def terms_of(self, academic_year: str) -> list[Span]:
        self.require_year(academic_year)
        return [term for term in self.terms if term.academic_year == academic_year]

    # --- days ------------------------------------------------------------------------------------

    is_working_day = staticmethod(is_working_day)
    add_working_days = staticmethod(add_working_days)

    def term_containing(self, day: datetime.date) -> Span | None:
        self.require_year(academic_year_of(day))
        return next((term for term in self.terms if day in term), None)

    def holiday_containing(self, day: datetime.date) -> Span | None:
        return next((holiday for holiday in self.holidays if day in holiday), None)

    def is_school_day(self, day: datetime.date) -> bool:
        return self.term_containing(day) is not None and is_working_day(day) and self.holiday_containing(day) is None

    def add_school_days(self, day: datetime.date, n: int) -> datetime.date:
        """The ``n``th school day after ``day`` (``day`` itself not counted); negative ``n`` counts back."""
        return _step(day, n, self.is_school_day)

    def subtract_school_days(self, day: datetime.date, n: int) -> datetime.date:
        return _step(day, -n, self.is_school_day)

    def school_days_in(self, academic_year: str) -> int:
        terms = self.terms_of(academic_year)
        first = terms[0].starts_on
        days = (terms[-1].ends_on - first).days + 1
        return sum(1 for offset in range(days) if self.is_school_day(first + offset * ONE_DAY))

    # --- terms -----------------------------------------------------------------------------------

    def next_term_after(self, day: datetime.date) -> Span:
        """The first term that starts after ``day``, from this academic year or the next."""
        year = academic_year_of(day)
        for term in self.terms_of(year):
            if term.starts_on > day:
                return term
        return self.terms_of(following_year(year))[0]

    def term_at_or_before(self, day: datetime.date) -> Span:
        """The term ``day`` falls in or, in a holiday between terms, the term that has just ended:
        the term a piece of work done on ``day`` counts for."""
        year = academic_year_of(day)
        started = [term for term in self.terms_of(year) if term.starts_on <= day]
        if started:
            return started[-1]
        return self.terms_of(preceding_year(year))[-1]

    # --- words -----------------------------------------------------------------------------------

    def why_not_a_school_day(self, day: datetime.date) -> str | None:
        """Why ``day`` is not a school day, to finish "… 26 December 2026 is …"; None on a school day."""
        if self.term_containing(day) is None:
            ended = [term for term in self.terms_of(academic_year_of(day)) if term.ends_on < day]
            gap = BREAK_AFTER[TermName(ended[-1].name)] if ended else BREAK_AFTER[TermName.SUMMER]
            return f"in the {gap}"
        holiday = self.holiday_containing(day)
        if holiday is not None:
            return f"a school holiday ({holiday.name})"
        name = bank_holiday(day)
        if name is not None:
            return f"a bank holiday ({name})"
        if day.weekday() >= 5:
            return f"a {day:%A}"
        return None
