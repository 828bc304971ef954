"""Lists as CSV and XLSX files (openpyxl), with the columns each list exports.

Columns are named here, one by one, from what a list shows: nothing about a child's placement
or carer is among them, so a download can never carry a carer's name or an address."""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from openpep.cells import FORMULA_STARTS
from openpep.plans.enums import SenStatus, Status

from .enums import DueState, FileFormat

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[Any], Any]


def _label(choices, value) -> str:
    return choices(value).label if value else ""


def _places(value: Decimal | None, places: str) -> Decimal | None:
    """Sums computed in the database come back as they are (SQLite writes 2630 for 2630.00):
    written to the places the field has, so every download reads the same on every database."""
    return value.quantize(Decimal(places)) if value is not None else None


def _pounds(value: Decimal | None) -> Decimal | None:
    return _places(value, "0.01")


CHILD_COLUMNS = [
    Column("Name", lambda c: c.full_name),
    Column("Date of birth", lambda c: c.date_of_birth),
    Column("Year group", lambda c: c.year_group_label()),
    Column("UPN", lambda c: c.upn),
    Column("Local child ID", lambda c: c.local_id),
    Column("School", lambda c: c.school_name or "Not on a school roll"),
    Column("Social worker", lambda c: c.social_worker.full_name if c.social_worker else "Not allocated"),
    Column("Team", lambda c: c.team_name or ""),
    Column("Latest PEP", lambda c: _label(Status, c.latest_pep_status) or "No PEP"),
    Column("PEP due by", lambda c: c.pep_due),
    Column("PEP timeliness", lambda c: _label(DueState, c.due_state)),
    Column("Attendance (%)", lambda c: _places(c.attendance, "0.1")),
    Column("SEN status", lambda c: _label(SenStatus, c.sen) or "Not recorded"),
    Column("Suspensions", lambda c: c.suspensions),
    Column("Permanent exclusions", lambda c: c.permanent_exclusions),
    Column("PP+ allocated (£)", lambda c: _pounds(c.pp_allocated)),
    Column("PP+ approved (£)", lambda c: _pounds(c.pp_approved)),
]

LEDGER_COLUMNS = [
    Column("Name", lambda c: c.full_name),
    Column("Year group", lambda c: c.year_group_label()),
    Column("UPN", lambda c: c.upn),
    Column("School", lambda c: c.school_name or "Not on a school roll"),
    Column("Allocated (£)", lambda c: _pounds(c.pp_allocated)),
    Column("Requested (£)", lambda c: _pounds(c.pp_requested)),
    Column("Approved (£)", lambda c: _pounds(c.pp_approved)),
    Column("Paid (£)", lambda c: _pounds(c.pp_paid)),
    Column("Left to approve (£)", lambda c: _pounds(c.pp_allocated - c.pp_approved)),
]


def table(columns: list[Column], rows: Iterable) -> tuple[list[str], list[list]]:
    return [column.heading for column in columns], [[column.value(row) for column in columns] for row in rows]


def _defused(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(_defused(value))


def csv_bytes(headings: list[str], values: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows([_csv_value(v) for v in row] for row in values)
    return buffer.getvalue().encode("utf-8-sig")  # the byte-order mark makes Excel read UTF-8


def xlsx_bytes(title: str, headings: list[str], values: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in values:
        sheet.append([_defused(value) for value in row])
    for index, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=1, column=index)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(heading) + 2)
        for data in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(data[0].value, datetime.date):
                data[0].number_format = "DD/MM/YYYY"
            elif isinstance(data[0].value, Decimal) and "£" in heading:
                data[0].number_format = "#,##0.00"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(file_format: str, filename: str, title: str, headings: list[str], values: list[list]) -> HttpResponse:
    if file_format == FileFormat.XLSX:
        response = HttpResponse(xlsx_bytes(title, headings, values), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(headings, values), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
