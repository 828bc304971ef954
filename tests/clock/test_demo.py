"""The demo calendar: this academic year's and next, in the usual English pattern."""

import datetime

from openpep.clock.calendar import SchoolCalendar
from openpep.clock.demo import build_calendar
from openpep.clock.models import Holiday, Term


def test_build_calendar_makes_this_and_next_academic_year(world):
    added = build_calendar(world.authority, datetime.date(2026, 11, 28))

    assert len(added) == 20
    assert [(t.academic_year, t.name, t.starts_on, t.ends_on) for t in Term.objects.all()] == [
        ("2026-27", "autumn", datetime.date(2026, 9, 1), datetime.date(2026, 12, 18)),
        ("2026-27", "spring", datetime.date(2027, 1, 4), datetime.date(2027, 3, 19)),
        ("2026-27", "summer", datetime.date(2027, 4, 5), datetime.date(2027, 7, 22)),
        ("2027-28", "autumn", datetime.date(2027, 9, 1), datetime.date(2027, 12, 17)),
        ("2027-28", "spring", datetime.date(2028, 1, 3), datetime.date(2028, 4, 7)),
        ("2027-28", "summer", datetime.date(2028, 4, 24), datetime.date(2028, 7, 21)),
    ]
    calendar = SchoolCalendar(world.authority)
    assert calendar.school_days_in("2026-27") == 192
    assert calendar.school_days_in("2027-28") == 191
    assert Holiday.objects.filter(name__startswith="INSET").count() == 8


def test_build_calendar_in_the_summer_holiday_makes_the_coming_year_too(world):
    build_calendar(world.authority, datetime.date(2027, 8, 10))

    assert sorted(set(Term.objects.values_list("academic_year", flat=True))) == ["2027-28", "2028-29"]


def test_build_calendar_twice_adds_nothing_the_second_time(world):
    build_calendar(world.authority, datetime.date(2026, 11, 28))

    assert build_calendar(world.authority, datetime.date(2026, 11, 28)) == []
    assert Term.objects.count() == 6


def test_build_calendar_can_add_earlier_years_for_a_demo_history(world):
    build_calendar(world.authority, datetime.date(2026, 11, 28), earlier_years=2)

    assert sorted(set(Term.objects.values_list("academic_year", flat=True))) == [
        "2024-25",
        "2025-26",
        "2026-27",
        "2027-28",
    ]
