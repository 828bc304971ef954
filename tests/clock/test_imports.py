"""Importing terms and holidays from a CSV file: every bad row reported by line and
column, nothing written unless every row is right, whatever Excel saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.clock.calendar import SchoolCalendar
from openpep.clock.imports import RowError, read_calendar
from openpep.clock.models import Holiday, Term
from tests.fixtures import sign_in

GOOD = (
    "type,name,starts_on,ends_on\n"
    "term,Autumn,01/09/2027,17/12/2027\n"
    "term,spring,2028-01-04,2028-03-24\n"
    "term,SUMMER,10/04/2028,21/07/2028\n"
    "holiday,October half-term,25/10/2027,29/10/2027\n"
    "holiday,INSET day,01/09/2027,01/09/2027\n"
)
BAD = (
    "type,name,starts_on,ends_on\n"
    "term,Autumn,01/09/2027,17/12/2027\n"
    "term,Spring,31/02/2028,24/03/2028\n"
    "trem,Summer,10/04/2028,21/07/2028\n"
    "holiday,February half-term,2028-02-18,2028-02-14\n"
)
BAD_ERRORS = [
    "Line 3, column starts_on: Enter a date like 02/09/2026 or 2026-09-02, not ‘31/02/2028’",
    "Line 4, column type: Enter term or holiday, not ‘trem’",
    "Line 5, column ends_on: The last day must be the same as or after the first day",
]


def _upload(client, user, content: bytes):
    sign_in(client, user)
    return client.post(
        reverse("clock:import"), {"file": SimpleUploadedFile("terms.csv", content, content_type="text/csv")}
    )


def _errors(response) -> list[str]:
    return response.context["form"].errors["file"]


def test_a_good_file_is_imported_and_audited(world, client):
    response = _upload(client, world.vs_admin, GOOD.encode())

    assert response.status_code == 302
    assert response["Location"] == reverse("clock:calendar")
    assert list(Term.objects.values_list("academic_year", "name")) == [
        ("2027-28", "autumn"),
        ("2027-28", "spring"),
        ("2027-28", "summer"),
    ]
    assert list(Holiday.objects.values_list("name", flat=True)) == ["INSET day", "October half-term"]
    assert AuditEntry.objects.filter(actor=world.vs_admin, verb="created").count() == 5
    calendar = SchoolCalendar(world.authority)
    assert not calendar.is_school_day(datetime.date(2027, 9, 1))
    assert calendar.is_school_day(datetime.date(2027, 9, 2))


def test_a_bad_file_reports_every_bad_row_with_line_and_column_and_writes_nothing(world, client):
    response = _upload(client, world.vs_admin, BAD.encode())

    assert response.status_code == 200
    assert _errors(response) == BAD_ERRORS
    assert (Term.objects.count(), Holiday.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)
    assert "Line 4, column type: Enter term or holiday, not ‘trem’" in response.content.decode()


def test_a_file_with_a_byte_order_mark_is_read(world, client):
    response = _upload(client, world.vs_admin, b"\xef\xbb\xbf" + GOOD.encode())

    assert response.status_code == 302
    assert Term.objects.count() == 3


def test_windows_line_endings_are_read_and_lines_still_counted(world, client):
    assert (
        _upload(client, world.vs_admin, BAD.replace("\n", "\r\n").encode()).context["form"].errors["file"] == BAD_ERRORS
    )

    response = _upload(client, world.vs_admin, GOOD.replace("\n", "\r\n").encode())

    assert response.status_code == 302
    assert Term.objects.count() == 3


def test_an_excel_file_in_windows_1252_is_read(world, client):
    content = GOOD + "holiday,Half-term – February,14/02/2028,18/02/2028\n"

    response = _upload(client, world.vs_admin, content.encode("cp1252"))

    assert response.status_code == 302
    assert Holiday.objects.filter(name="Half-term – February").exists()


def test_rows_that_clash_with_each_other_or_the_saved_calendar_are_reported_by_line(world, calendar):
    text = (
        "type,name,starts_on,ends_on\n"
        "term,Autumn,02/09/2026,18/12/2026\n"  # already entered
        "\n"
        "term,Autumn,01/09/2027,17/12/2027\n"
        "term,Spring,10/12/2027,24/03/2028\n"  # overlaps the line before
        "term,Winter,04/01/2028,24/03/2028\n"
        "holiday,Christmas,21/12/2026,31/12/2026\n"  # between saved terms
        "holiday,,01/09/2027,01/09/2027\n"
    )

    _entries, errors = read_calendar(world.authority, text)

    assert errors == [
        RowError(2, "name", "The Autumn term of 2026-27 is already entered"),
        RowError(5, "starts_on", "The dates overlap the Autumn term 2027-28 (1 September 2027 to 17 December 2027)"),
        RowError(6, "name", "A term's name must be Autumn, Spring or Summer, not ‘Winter’"),
        RowError(7, "starts_on", "A school holiday must fall inside one term: enter the term's dates first"),
        RowError(8, "name", "Enter the holiday's name, for example October half-term"),
    ]


def test_a_file_without_the_columns_says_which_are_missing(world):
    _entries, errors = read_calendar(world.authority, "kind,name,start,end\nterm,Autumn,01/09/2027,17/12/2027\n")

    assert [str(error) for error in errors] == [
        "Line 1, column type: The first line must name the columns type, name, starts_on, ends_on",
        "Line 1, column starts_on: The first line must name the columns type, name, starts_on, ends_on",
        "Line 1, column ends_on: The first line must name the columns type, name, starts_on, ends_on",
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "The selected file is empty"),
        (b"type,name,starts_on,ends_on\n", "The selected file has no terms or holidays"),
        (b"x" * 100_001, "The selected file must be smaller than 100 KB"),
    ],
)
def test_an_empty_or_huge_file_is_refused(world, client, content, error):
    assert _errors(_upload(client, world.vs_admin, content)) == [error]


def test_only_the_virtual_school_head_can_import(world, client):
    for user in (world.vs, world.sw, world.vs_other):
        assert _upload(client, user, GOOD.encode()).status_code == 404
    assert Term.objects.count() == 0


def test_the_example_the_page_shows_imports(world, client):
    from openpep.clock.imports import COLUMNS, EXAMPLE

    sign_in(client, world.vs_admin)
    page = client.get(reverse("clock:import")).content.decode()
    assert all(f">{cell}<" in page for line in EXAMPLE for cell in line)
    body = "\n".join(",".join(line) for line in (COLUMNS, *EXAMPLE)) + "\n"

    response = _upload(client, world.vs_admin, body.encode())

    assert response.status_code == 302
    assert (Term.objects.count(), Holiday.objects.count()) == (1, 2)
