"""The code table and the figures worked out from it."""

import datetime
from decimal import Decimal

import pytest

from openpep.attendance.enums import COUNTS, Code, Counts, academic_year, year_bounds
from openpep.attendance.models import AttendanceDay, AttendanceYear
from openpep.attendance.services import figures, recompute


def test_every_code_of_the_2024_set_counts_one_way_and_no_other_code_exists():
    assert set(COUNTS) == set(Code.values)
    by_kind = {kind: sorted(code for code, counted in COUNTS.items() if counted == kind) for kind in Counts}
    assert by_kind == {
        Counts.PRESENT: ["/", "L", "\\"],
        Counts.APPROVED: ["B", "J", "K", "P", "V", "W"],
        Counts.AUTHORISED: ["C", "C1", "C2", "E", "I", "J1", "M", "S", "T"],
        Counts.UNAUTHORISED: ["G", "N", "O", "U"],
        Counts.NOT_COUNTED: ["#", "D", "X", "Y1", "Y2", "Y3", "Y4", "Z"],
    }


def test_figures_count_attended_over_possible_sessions_and_leave_out_what_is_not_possible():
    found = figures(["/", "\\", "L", "B", "I", "N", "D", "#", "X", "", "E"])

    assert (found.possible, found.attended, found.authorised, found.unauthorised) == (7, 4, 2, 1)
    assert found.attendance_percent == Decimal("57.1")


def test_a_suspension_is_a_run_of_e_sessions_that_a_closure_does_not_break():
    found = figures(["/", "E", "E", "#", "#", "E", "\\", "E", "I", "E", "E"])

    assert (found.suspensions, found.suspension_sessions, found.suspension_days) == (3, 6, Decimal("3"))


def test_no_possible_session_is_no_percentage_not_zero():
    assert figures(["#", "X", ""]).attendance_percent is None
    assert figures([]).possible == 0


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 8, 31), 2025),
        (datetime.date(2026, 9, 1), 2026),
        (datetime.date(2027, 1, 4), 2026),
    ],
)
def test_the_academic_year_starts_on_1_september(day, year):
    assert academic_year(day) == year


def test_year_bounds_run_from_1_september_to_31_august():
    assert year_bounds(2026) == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


def test_recompute_puts_each_day_in_its_academic_year(world):
    child = world.child
    for day, am, pm in [
        (datetime.date(2026, 8, 31), "N", "N"),  # last year's last day: not this year's
        (datetime.date(2026, 9, 1), "/", "\\"),
        (datetime.date(2026, 9, 2), "E", "E"),
        (datetime.date(2026, 9, 3), "/", "I"),
    ]:
        AttendanceDay.objects.create(child=child, school=world.school, date=day, am=am, pm=pm)

    recompute([child.pk], [2025, 2026])

    this = AttendanceYear.objects.get(child=child, year=2026)
    last = AttendanceYear.objects.get(child=child, year=2025)
    assert (this.possible, this.attended, this.missed, this.suspensions, this.suspension_days) == (
        6,
        3,
        3,
        1,
        Decimal("1.0"),
    )
    assert (this.attendance_percent, this.to_date) == (Decimal("50.0"), datetime.date(2026, 9, 3))
    assert (last.possible, last.attended, last.attendance_percent) == (2, 0, Decimal("0.0"))


def test_recompute_removes_a_year_whose_days_are_gone(world):
    day = AttendanceDay.objects.create(child=world.child, school=world.school, date=datetime.date(2026, 9, 1), am="/")
    recompute([world.child.pk], [2026])
    day.delete()

    recompute([world.child.pk], [2026])

    assert not AttendanceYear.objects.exists()
