"""Working days and school days with fixed dates: bank holidays, weekends, leap
years, half-terms and term boundaries. No database: the calendar is given its
terms and holidays directly."""

import datetime

import pytest

from openpep.clock.calendar import (
    NoTermDates,
    academic_year_of,
    add_working_days,
    bank_holiday,
    is_working_day,
)

from .conftest import HOLIDAYS, TERMS, spans

D = datetime.date


# --- working days ------------------------------------------------------------------------------------------


def test_working_days_skip_christmas_boxing_day_observed_and_new_year():
    # Christmas Day 2026 is a Friday; Boxing Day, a Saturday, is observed on Monday 28th.
    assert add_working_days(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 6)


def test_working_days_skip_good_friday_and_easter_monday():
    assert bank_holiday(D(2026, 4, 3)) == "Good Friday"
    assert bank_holiday(D(2026, 4, 6)) == "Easter Monday"
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    # An emergency placement on Friday 27 March 2026: started within 10, ready within 20 working days.
    assert add_working_days(D(2026, 3, 27), 10) == D(2026, 4, 14)
    assert add_working_days(D(2026, 3, 27), 20) == D(2026, 4, 28)


def test_working_days_skip_a_weekend():
    assert add_working_days(D(2026, 11, 6), 1) == D(2026, 11, 9)
    assert add_working_days(D(2026, 11, 6), 5) == D(2026, 11, 13)
    assert not is_working_day(D(2026, 11, 7))
    assert not is_working_day(D(2026, 11, 8))


def test_working_days_skip_the_early_may_and_spring_bank_holidays():
    assert add_working_days(D(2026, 5, 1), 1) == D(2026, 5, 5)
    assert add_working_days(D(2026, 5, 22), 1) == D(2026, 5, 26)
    assert add_working_days(D(2027, 4, 30), 1) == D(2027, 5, 4)
    assert add_working_days(D(2027, 5, 28), 1) == D(2027, 6, 1)


def test_working_days_count_29_february_in_a_leap_year():
    assert is_working_day(D(2028, 2, 29))
    assert add_working_days(D(2028, 2, 28), 1) == D(2028, 2, 29)
    assert add_working_days(D(2028, 2, 21), 10) == D(2028, 3, 6)
    # The same ten working days in 2027, which has no 29 February, end on the Monday after.
    assert add_working_days(D(2027, 2, 22), 10) == D(2027, 3, 8)


def test_working_days_after_new_year_observed_on_a_monday():
    # 1 January 2028 is a Saturday, observed on Monday 3rd; Christmas 2027 falls at a weekend too.
    assert add_working_days(D(2027, 12, 31), 1) == D(2028, 1, 4)
    assert add_working_days(D(2027, 12, 24), 1) == D(2027, 12, 29)


def test_working_days_count_back_with_a_negative_number():
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)
    assert add_working_days(D(2026, 4, 7), 0) == D(2026, 4, 7)


# --- academic years ----------------------------------------------------------------------------------------


def test_academic_year_runs_from_august():
    assert academic_year_of(D(2026, 7, 31)) == "2025-26"
    assert academic_year_of(D(2026, 8, 1)) == "2026-27"
    assert academic_year_of(D(2027, 1, 4)) == "2026-27"
    assert academic_year_of(D(2099, 9, 1)) == "2099-00"


# --- school days -------------------------------------------------------------------------------------------


def test_school_days_skip_half_term():
    calendar = spans()
    assert calendar.is_school_day(D(2026, 10, 23))
    assert not calendar.is_school_day(D(2026, 10, 27))
    assert calendar.add_school_days(D(2026, 10, 22), 2) == D(2026, 11, 2)


def test_school_days_skip_the_easter_holiday_and_an_inset_day():
    calendar = spans()
    # Spring ends Friday 27 March 2026; the summer term's first day, 13 April, is an INSET day.
    assert calendar.add_school_days(D(2026, 3, 26), 2) == D(2026, 4, 14)


def test_school_days_skip_bank_holidays_in_term():
    calendar = spans()
    assert calendar.add_school_days(D(2026, 5, 1), 1) == D(2026, 5, 5)
    assert calendar.add_school_days(D(2026, 5, 22), 1) == D(2026, 6, 1)


def test_views_before_a_meeting_on_the_first_day_of_term_fall_in_the_previous_term():
    calendar = spans()
    due = calendar.subtract_school_days(D(2027, 1, 4), 3)
    assert due == D(2026, 12, 16)
    assert calendar.term_containing(due).label == "Autumn term 2026-27"


def test_school_days_counted_back_across_the_summer_reach_the_previous_academic_year():
    calendar = spans()
    assert calendar.subtract_school_days(D(2026, 9, 3), 3) == D(2026, 7, 21)


def test_school_days_after_a_meeting_at_the_end_of_term_continue_in_the_next():
    calendar = spans()
    assert calendar.add_school_days(D(2026, 12, 17), 5) == D(2027, 1, 7)


def test_school_days_in_a_year_are_term_days_less_weekends_bank_holidays_and_closures():
    calendar = spans()
    # Autumn 73, spring 54 and summer 67 days in 2026-27, counted by hand.
    assert calendar.school_days_in("2026-27") == 194
    assert calendar.school_days_in("2025-26") == 194


def test_next_term_after_and_term_at_or_before():
    calendar = spans()
    assert calendar.next_term_after(D(2026, 12, 18)).label == "Spring term 2026-27"
    assert calendar.next_term_after(D(2026, 7, 22)).label == "Autumn term 2026-27"
    assert calendar.next_term_after(D(2026, 8, 10)).label == "Autumn term 2026-27"
    assert calendar.term_at_or_before(D(2026, 8, 10)).label == "Summer term 2025-26"
    assert calendar.term_at_or_before(D(2026, 12, 24)).label == "Autumn term 2026-27"
    assert calendar.term_at_or_before(D(2026, 11, 2)).label == "Autumn term 2026-27"


def test_why_not_a_school_day_names_the_break_the_closure_or_the_bank_holiday():
    calendar = spans()
    assert calendar.why_not_a_school_day(D(2026, 12, 26)) == "in the Christmas holiday"
    assert calendar.why_not_a_school_day(D(2026, 4, 1)) == "in the Easter holiday"
    assert calendar.why_not_a_school_day(D(2026, 8, 10)) == "in the summer holiday"
    assert calendar.why_not_a_school_day(D(2026, 7, 24)) == "in the summer holiday"
    assert calendar.why_not_a_school_day(D(2026, 10, 27)) == "a school holiday (October half-term)"
    assert calendar.why_not_a_school_day(D(2026, 5, 4)) == "a bank holiday (May Day)"
    assert calendar.why_not_a_school_day(D(2026, 11, 7)) == "a Saturday"
    assert calendar.why_not_a_school_day(D(2026, 11, 9)) is None


# --- missing term dates ------------------------------------------------------------------------------------


def test_a_day_of_a_year_with_no_terms_raises_no_term_dates_naming_the_year():
    calendar = spans()
    with pytest.raises(NoTermDates) as raised:
        calendar.is_school_day(D(2027, 9, 6))
    assert raised.value.academic_year == "2027-28"
    assert str(raised.value) == (
        "The council has no term dates for 2027-28 yet: "
        "a Virtual School admin must enter them before school days can be counted"
    )


def test_counting_school_days_into_a_year_with_no_terms_raises_rather_than_counting_weekdays():
    calendar = spans()
    with pytest.raises(NoTermDates) as raised:
        calendar.add_school_days(D(2027, 7, 20), 5)
    assert raised.value.academic_year == "2027-28"


def test_a_calendar_with_no_terms_at_all_counts_no_school_days():
    with pytest.raises(NoTermDates) as raised:
        spans(terms=[], holidays=[]).add_school_days(D(2026, 11, 9), 1)
    assert raised.value.academic_year == "2026-27"


def test_a_year_missing_one_term_says_which():
    calendar = spans(terms=TERMS[:5], holidays=HOLIDAYS)
    assert calendar.is_school_day(D(2025, 11, 3))
    with pytest.raises(NoTermDates) as raised:
        calendar.is_school_day(D(2027, 1, 5))
    assert raised.value.missing == ("summer",)
    assert str(raised.value).startswith("The council's term dates for 2026-27 have no Summer term yet")
