import datetime

import pytest

from openpep.audit.models import AuditEntry
from openpep.children.models import Child, Enrolment
from openpep.people.models import School
from synthetic.files import ENROLMENTS, upn, write_csv

from .conftest import run

pytestmark = pytest.mark.django_db

UPN = upn(7)


@pytest.fixture
def schools(authority):
    return [
        School.objects.create(urn=urn, name=f"School {urn}", phase="primary", local_authority=authority)
        for urn in ("100001", "100002", "100003")
    ]


@pytest.fixture
def child(authority):
    return Child.objects.create(
        local_authority=authority,
        local_id="C1",
        first_name="Sam",
        last_name="Jones",
        date_of_birth=datetime.date(2014, 1, 1),
        gender="1",
        upn=UPN,
        care_start_date=datetime.date(2020, 1, 1),
    )


def spans(child):
    return list(child.enrolments.order_by("starts_on").values_list("school__urn", "starts_on", "ends_on"))


def test_import_enrolments_closes_the_previous_open_one(tmp_path, schools, child):
    path = tmp_path / "enrolments.csv"
    write_csv(path, ENROLMENTS, [["C1", "100001", "01/09/2021", ""], ["C1", "100002", "2023-09-04", ""]])
    status, out, err = run("import_enrolments", path, "--authority", "201")
    assert status == 0, err
    assert spans(child) == [
        ("100001", datetime.date(2021, 9, 1), datetime.date(2023, 9, 3)),
        ("100002", datetime.date(2023, 9, 4), None),
    ]
    assert "1 created" in out and "enrolments created 2" in out
    assert AuditEntry.objects.filter(child_id=child.pk, verb="enrolled", actor=None).count() == 2
    entries = AuditEntry.objects.count()
    status, out, _ = run("import_enrolments", path, "--authority", "201")
    assert status == 0
    assert "0 created, 0 updated, 1 unchanged" in out
    assert AuditEntry.objects.count() == entries


def test_import_enrolments_by_upn_closes_an_existing_enrolment(tmp_path, schools, child):
    Enrolment.objects.create(child=child, school=schools[0], starts_on=datetime.date(2021, 9, 1))
    path = tmp_path / "enrolments.csv"
    write_csv(path, ["UPN", "URN", "START DATE", "END DATE"], [[UPN.lower(), "100003", "05/01/2024", ""]], bom=True)
    status, out, err = run("import_enrolments", path, "--authority", "201")
    assert status == 0, err
    assert spans(child) == [
        ("100001", datetime.date(2021, 9, 1), datetime.date(2024, 1, 4)),
        ("100003", datetime.date(2024, 1, 5), None),
    ]


def test_import_enrolments_rejects_the_child_with_a_wrong_row(tmp_path, schools, child, other_authority):
    other = Child.objects.create(
        local_authority=other_authority,
        local_id="C2",
        first_name="A",
        last_name="B",
        date_of_birth=datetime.date(2014, 1, 1),
        gender="1",
        care_start_date=datetime.date(2020, 1, 1),
    )
    path = tmp_path / "enrolments.csv"
    write_csv(
        path,
        ENROLMENTS,
        [
            ["C1", "100001", "01/09/2021", ""],
            ["C1", "999999", "01/09/2023", ""],
            ["C2", "100001", "01/09/2021", ""],
            ["C3", "100001", "1 Sept 2021", "01/01/2020"],
            ["C1", "100001", "01/09/2021", ""],
        ],
    )
    status, out, err = run("import_enrolments", path, "--authority", "201")
    assert status == 1
    lines = err.splitlines()
    assert f"{path}:3: column URN: there is no school with URN 999999: import GIAS first" in lines
    assert f"{path}:4: column CHILD: there is no child C2 in Borough 201" in lines
    assert f"{path}:5: column START DATE: '1 Sept 2021' is not a date: give dd/mm/yyyy or yyyy-mm-dd" in lines
    assert f"{path}:6: column START DATE: this enrolment is given again (first on line 2)" in lines
    assert Enrolment.objects.count() == 0
    assert other.enrolments.count() == 0
    assert "3 rejected" in out


def test_import_enrolments_needs_child_or_upn_column(tmp_path, schools, child):
    path = tmp_path / "enrolments.csv"
    write_csv(path, ["PUPIL", "URN", "START DATE"], [["C1", "100001", "01/09/2021"]])
    status, _, err = run("import_enrolments", path, "--authority", "201")
    assert status == 1
    assert err.splitlines()[0] == f"{path}:1: column CHILD: missing from the header row: give CHILD or UPN"
    assert Enrolment.objects.count() == 0


def test_import_enrolments_dry_run_and_empty_file(tmp_path, schools, child):
    path = tmp_path / "enrolments.csv"
    write_csv(path, ENROLMENTS, [["C1", "100001", "01/09/2021", ""]], newline="\n")
    status, out, _ = run("import_enrolments", path, "--authority", "201", "--dry-run")
    assert (status, Enrolment.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)
    assert "enrolments created 1" in out
    path.write_text("\r\n")
    status, _, err = run("import_enrolments", path, "--authority", "201")
    assert status == 1
    assert f"{path}:1: column URN: the file is empty" in err


def test_import_enrolments_same_child_by_id_and_upn_is_refused(tmp_path, schools, child):
    path = tmp_path / "enrolments.csv"
    write_csv(
        path,
        ["CHILD", "UPN", "URN", "START DATE"],
        [["C1", "", "100001", "01/09/2021"], ["", UPN, "100002", "01/09/2022"]],
    )
    status, _, err = run("import_enrolments", path, "--authority", "201")
    assert status == 1
    assert f"{path}:3: column UPN: this child is also given by their other identifier" in err
    assert spans(child) == [("100001", datetime.date(2021, 9, 1), None)]
