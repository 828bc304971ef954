"""The schools' attendance file: upserted, bad rows reported by line and column, the rest imported."""

import datetime
from decimal import Decimal

import pytest

from openpep.attendance.models import AttendanceDay, AttendanceYear
from openpep.audit.models import AuditEntry
from openpep.people.models import School
from tests.fixtures import make_child
from tests.imports.conftest import run

from .conftest import upn, week, write

MONDAY = datetime.date(2026, 11, 16)


@pytest.fixture
def upns(world):
    world.child.upn = upn(1)
    world.child.save()
    world.other_child.upn = upn(2)
    world.other_child.save()
    return world.child.upn, world.other_child.upn


def _days(child) -> dict:
    return {d.date: (d.am, d.pm) for d in AttendanceDay.objects.filter(child=child)}


def test_a_good_file_is_imported_and_a_second_run_changes_nothing(world, upns, tmp_path):
    rows = week(upns[0], "100001", MONDAY, [("/", "\\"), ("E", "E"), ("L", "I"), ("/", "\\"), ("N", "O")])
    rows += week(upns[1], "100002", MONDAY, [("/", "\\"), ("/", "\\")])
    path = write(tmp_path / "attendance.csv", rows)

    status, out, err = run("import_attendance", path, "--authority", "999")

    assert (status, err) == (0, "")
    assert "14 sessions read, 14 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert _days(world.child)[MONDAY + datetime.timedelta(days=1)] == ("E", "E")
    figures = AttendanceYear.objects.get(child=world.child, year=2026)
    assert (figures.possible, figures.attended, figures.suspensions, figures.suspension_days) == (
        10,
        5,
        1,
        Decimal("1.0"),
    )
    assert figures.attendance_percent == Decimal("50.0")
    assert figures.to_date == MONDAY + datetime.timedelta(days=4)
    assert AuditEntry.objects.filter(target_type="people.localauthority").count() == 1
    entries, days = AuditEntry.objects.count(), list(AttendanceDay.objects.values_list("pk", "am", "pm"))

    status, out, err = run("import_attendance", path, "--authority", "999")

    assert (status, err) == (0, "")
    assert "14 sessions read, 0 created, 0 updated, 14 unchanged, 0 rejected" in out
    assert AuditEntry.objects.count() == entries
    assert list(AttendanceDay.objects.values_list("pk", "am", "pm")) == days


def test_a_session_given_later_updates_only_that_session(world, upns, tmp_path):
    write(tmp_path / "a.csv", week(upns[0], "100001", MONDAY, [("/", "\\")]))
    run("import_attendance", tmp_path / "a.csv", "--authority", "999")
    write(tmp_path / "b.csv", [[upns[0], "100001", "2026-11-16", "pm", "m"]])

    status, out, _ = run("import_attendance", tmp_path / "b.csv", "--authority", "999")

    assert status == 0 and "1 created" not in out and "1 updated" in out
    assert _days(world.child) == {MONDAY: ("/", "M")}
    assert AttendanceYear.objects.get(child=world.child).attended == 1


def test_bad_rows_are_each_named_by_line_and_column_and_the_rest_imported(world, upns, tmp_path):
    good = [upns[0], "100001", "16/11/2026", "AM", "/"]
    path = write(
        tmp_path / "attendance.csv",
        [
            good,  # line 2
            [upns[0], "100001", "16/11/2026", "PM", "H"],  # 3: not in the 2024 set
            [upns[0], "100001", "31/11/2026", "AM", "/"],  # 4: no such date
            [upns[0], "100001", "17/11/2026", "EVE", "/"],  # 5
            ["X12345", "100001", "17/11/2026", "AM", "/"],  # 6: not a UPN
            [upn(77), "100001", "17/11/2026", "AM", "/"],  # 7: no such child
            [upns[0], "999999", "17/11/2026", "AM", "/"],  # 8: no such school
            [upns[0], "100001", "16/11/2026", "AM", "I"],  # 9: line 2's session, another code
            [upns[0], "100001", "18/11/2026", "AM", "B"],  # 10
        ],
    )

    status, out, err = run("import_attendance", path, "--authority", "999")

    assert status == 1
    located = [line.split(": ", 2)[:2] for line in err.splitlines() if line.startswith(str(path))]
    assert located == [
        [f"{path}:3", "column CODE"],
        [f"{path}:4", "column DATE"],
        [f"{path}:5", "column SESSION"],
        [f"{path}:6", "column UPN"],
        [f"{path}:7", "column UPN"],
        [f"{path}:8", "column URN"],
        [f"{path}:9", "column CODE"],
    ]
    assert "'H' is not a national attendance code" in err
    assert f"there is no child with UPN {upn(77)} in Testshire" in err
    assert "first on line 2" in err
    assert "9 sessions read, 2 created, 0 updated, 0 unchanged, 7 rejected" in out
    assert _days(world.child) == {MONDAY: ("/", ""), MONDAY + datetime.timedelta(days=2): ("B", "")}


def test_another_councils_child_is_not_found_by_its_upn(world, upns, tmp_path):
    """The outsider: a UPN of a child another authority looks after is reported, never written."""
    world.other_child.local_authority = world.other_authority
    world.other_child.save()
    path = write(tmp_path / "attendance.csv", [[upns[1], "100002", "16/11/2026", "AM", "/"]])

    status, _, err = run("import_attendance", path, "--authority", "999")

    assert status == 1 and f"{path}:2: column UPN: there is no child with UPN {upns[1]} in Testshire" in err
    assert not AttendanceDay.objects.exists()


def test_a_dry_run_reports_and_writes_nothing(world, upns, tmp_path):
    path = write(tmp_path / "attendance.csv", week(upns[0], "100001", MONDAY, [("/", "\\")]))

    status, out, _ = run("import_attendance", path, "--authority", "999", "--dry-run")

    assert status == 0 and "(dry run: nothing written): 2 sessions read, 2 created" in out
    assert not AttendanceDay.objects.exists() and not AttendanceYear.objects.exists()
    assert not AuditEntry.objects.exists()


def test_batches_are_one_transaction_and_one_audit_entry_each(world, upns, tmp_path, monkeypatch):
    monkeypatch.setattr("openpep.attendance.importer.BATCH", 4)
    path = write(tmp_path / "attendance.csv", week(upns[0], "100001", MONDAY, [("/", "\\")] * 5))

    status, _, _ = run("import_attendance", path, "--authority", "999")

    assert status == 0
    assert AuditEntry.objects.filter(target_type="people.localauthority").count() == 3  # 4 + 4 + 2 sessions
    assert AttendanceYear.objects.get(child=world.child).possible == 10


def test_the_shipped_sample_imports_in_full(world, tmp_path):
    for urn in ("990101", "990102"):
        School.objects.create(urn=urn, name=f"School {urn}", phase="primary", local_authority=world.authority)
    children = [
        make_child(world.authority, world.sw, None, first=f"Sample{n}", upn=sample_upn)
        for n, sample_upn in enumerate(["L909210115100", "M909410212101", "Q909410211102"])
    ]

    status, out, err = run("import_attendance", "docs/samples/attendance.csv", "--authority", "999")

    assert (status, err) == (0, "")
    assert "60 sessions read, 60 created" in out
    found = {f.child_id: f for f in AttendanceYear.objects.all()}
    first, suspended, absent = (found[child.pk] for child in children)
    assert (first.possible, first.attended) == (18, 18)  # a planned closure is not a possible session
    assert (suspended.suspensions, suspended.suspension_days, suspended.attended) == (1, Decimal("2.0"), 16)
    assert (absent.authorised, absent.unauthorised, absent.attendance_percent) == (3, 3, Decimal("70.0"))
