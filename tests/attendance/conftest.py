import csv
import datetime
from pathlib import Path

from stdnum.gb import upn as upn_checker

HEADER = ["UPN", "URN", "DATE", "SESSION", "CODE"]


def upn(serial: int) -> str:
    """A valid synthetic UPN (LA 999 is not a real council's, so a real LA code is used)."""
    body = f"909210126{serial:03d}"
    return upn_checker.calc_check_digit(body) + body


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def week(upn_: str, urn: str, monday: datetime.date, codes: list[tuple[str, str]]) -> list[list[str]]:
    """Rows of one pupil's consecutive school days from ``monday``: one (AM, PM) pair a day."""
    rows = []
    for n, (am, pm) in enumerate(codes):
        day = monday + datetime.timedelta(days=n + 2 * (n // 5))
        rows.append([upn_, urn, f"{day:%d/%m/%Y}", "AM", am])
        rows.append([upn_, urn, f"{day:%d/%m/%Y}", "PM", pm])
    return rows


def register(child, school, first: datetime.date, codes: list[tuple[str, str]]) -> None:
    """``child``'s register at ``school`` for consecutive weekdays from ``first``, figures worked out."""
    from openpep.attendance.enums import academic_year
    from openpep.attendance.models import AttendanceDay
    from openpep.attendance.services import recompute

    day, days = first, []
    for am, pm in codes:
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        days.append(AttendanceDay(child=child, school=school, date=day, am=am, pm=pm))
        day += datetime.timedelta(days=1)
    AttendanceDay.objects.bulk_create(days)
    recompute([child.pk], {academic_year(d.date) for d in days})
