"""The wider cohort's imports: children with a social worker from a CSV shaped like the Children in Need
census (``import_cin``), children in kinship care or previously looked after from their orders
(``import_orders``). Both as the other imports: dry run, upsert, line-and-column problems, exit status;
every id is looked up among the importing council's children only, and a child already recorded keeps
their one record."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership, Placement
from openpep.children.queries import is_looked_after
from openpep.imports.cohorts import CIN_COLUMNS, CIN_EXAMPLE, ORDER_COLUMNS, ORDER_EXAMPLE, import_cin, import_orders
from openpep.people.enums import Role
from synthetic.files import upn, write_csv
from tests.fixtures import make_user, sign_in

from .conftest import run

pytestmark = pytest.mark.django_db

CIN = list(CIN_COLUMNS)
ORDERS = list(ORDER_COLUMNS)
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def looked_after(authority, local_id="LAC1", upn_=""):
    child = Child.objects.create(
        local_authority=authority,
        local_id=local_id,
        upn=upn_,
        first_name="Ada",
        last_name="Care",
        date_of_birth=datetime.date(2014, 1, 1),
        gender="2",
        care_start_date=datetime.date(2022, 1, 1),
    )
    Placement.objects.create(child=child, starts_on=child.care_start_date, legal_status="C2", placement_type="U4")
    return child


def memberships(child):
    return list(
        child.cohort_memberships.order_by("cohort", "kind", "starts_on").values_list(
            "cohort", "kind", "starts_on", "ends_on", "from_where"
        )
    )


def test_cin_creates_children_never_in_care_with_their_plans_and_again_changes_nothing(tmp_path, authority):
    path = tmp_path / "cin.csv"
    rows = [
        ["SW1", upn(1), "Robin", "Ashdown", "14/03/2015", "2", "06/01/2025", "", "", ""],
        ["SW2", "", "Kit", "Osei", "2012-09-30", "1", "", "", "03/06/2025", ""],
        ["SW2", "", "Kit", "Osei", "2012-09-30", "1", "12/02/2024", "02/06/2025", "", ""],
        ["SW3", "UN2", "Ellis", "Brook", "22/11/2009", "9", "01/09/2019", "31/08/2021", "01/09/2019", "31/08/2021"],
    ]
    write_csv(path, CIN, rows)
    status, out, err = run("import_cin", path, "--authority", "201")
    assert status == 0, err
    assert "4 children read" not in out and "3 children read, 3 created" in out
    assert "memberships created 5" in out
    robin, kit, ellis = (Child.objects.get(local_authority=authority, local_id=i) for i in ("SW1", "SW2", "SW3"))
    assert (robin.care_start_date, robin.upn, robin.gender, robin.date_of_birth) == (
        None,
        upn(1),
        "2",
        datetime.date(2015, 3, 14),
    )
    assert not is_looked_after(robin)
    assert memberships(kit) == [
        (Cohort.SOCIAL_WORKER, CohortKind.CIN, datetime.date(2024, 2, 12), datetime.date(2025, 6, 2), ""),
        (Cohort.SOCIAL_WORKER, CohortKind.CPP, datetime.date(2025, 6, 3), None, ""),
    ]
    assert ellis.upn == "" and ellis.gender == "9" and len(memberships(ellis)) == 2
    assert AuditEntry.objects.filter(child_id=kit.pk, actor=None, verb="created").count() == 3
    entries = AuditEntry.objects.count()
    status, out, _ = run("import_cin", path, "--authority", "201")
    assert status == 0
    assert "0 created, 0 updated, 3 unchanged" in out
    assert AuditEntry.objects.count() == entries
    # The CPP ends: given again with its end date, that plan is updated (none added).
    rows[1][9] = "20/11/2025"
    write_csv(path, CIN, rows)
    status, out, _ = run("import_cin", path, "--authority", "201")
    assert status == 0
    assert "0 created, 1 updated, 2 unchanged" in out and "memberships updated 1" in out
    assert CohortMembership.objects.get(child=kit, kind=CohortKind.CPP).ends_on == datetime.date(2025, 11, 20)


def test_a_looked_after_child_keeps_one_record_and_gains_the_cohort(tmp_path, authority):
    child = looked_after(authority, "LAC1", upn(5))
    path = tmp_path / "cin.csv"
    # No name or birth date needed: the child is known by their LA child ID (and the UPN agrees).
    write_csv(path, CIN, [["LAC1", upn(5), "", "", "", "", "", "", "01/04/2021", "30/09/2021"]])
    status, out, err = run("import_cin", path, "--authority", "201")
    assert status == 0, err
    assert "0 created, 1 updated" in out
    assert Child.objects.filter(local_authority=authority).count() == 1
    child.refresh_from_db()
    assert child.care_start_date == datetime.date(2022, 1, 1) and is_looked_after(child)
    assert memberships(child) == [
        (Cohort.SOCIAL_WORKER, CohortKind.CPP, datetime.date(2021, 4, 1), datetime.date(2021, 9, 30), "")
    ]


def test_ids_are_the_importing_councils_only(tmp_path, authority, other_authority):
    theirs = looked_after(other_authority, "SAME", upn(8))
    ours = looked_after(authority, "OURS", upn(9))
    path = tmp_path / "orders.csv"
    write_csv(
        path,
        ORDERS,
        [
            # Another council's LA child ID is a new child here; their UPN is refused without naming them.
            ["SAME", "", "Noa", "New", "01/01/2016", "1", "Kinship", "SGO", "01/01/2024", "", ""],
            ["X1", upn(8), "Ida", "Clash", "01/01/2016", "2", "Kinship", "SGO", "01/01/2024", "", ""],
            # Our child's UPN under another ID: give their ID.
            ["X2", upn(9), "Ned", "Wrong", "01/01/2016", "1", "Kinship", "CAO", "01/01/2024", "", ""],
        ],
    )
    status, out, err = run("import_orders", path, "--authority", "201")
    assert status == 1
    assert f"orders.csv:3: column UPN: UPN {upn(8)} belongs to another child" in err
    assert f"orders.csv:4: column UPN: UPN {upn(9)} is your child OURS: give that LAchildID" in err
    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in out
    new = Child.objects.get(local_authority=authority, local_id="SAME")
    assert new.pk != theirs.pk and memberships(theirs) == [] and memberships(ours) == []
    assert not Child.objects.filter(local_id__in=["X1", "X2"]).exists()


def test_orders_kinship_and_previously_looked_after(tmp_path, authority):
    path = tmp_path / "orders.csv"
    write_csv(
        path,
        ORDERS,
        [
            ["K1", "", "Morgan", "Fairley", "02/07/2016", "1", "Kinship", "SGO", "11/05/2023", "", ""],
            ["P1", "", "Jordan", "Westcott", "20/10/2013", "F", "PLAC", "Adoption", "01/02/2019", "", "Wales"],
            ["P2", "", "Alex", "Moreno", "05/05/2011", "M", "PLAC", "RO", "17/03/2012", "", "abroad"],
        ],
        bom=True,
    )
    status, out, err = run("import_orders", path, "--authority", "201")
    assert status == 0, err
    assert "3 created" in out
    assert memberships(Child.objects.get(local_id="K1")) == [
        (Cohort.KINSHIP, CohortKind.SGO, datetime.date(2023, 5, 11), None, "")
    ]
    assert memberships(Child.objects.get(local_id="P1")) == [
        (Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.ADOPTION, datetime.date(2019, 2, 1), None, FromWhere.WALES)
    ]
    assert memberships(Child.objects.get(local_id="P2"))[0][1] == CohortKind.CAO


def test_wrong_lines_are_reported_by_line_and_column_and_their_child_is_not_written(tmp_path, authority):
    path = tmp_path / "orders.csv"
    write_csv(
        path,
        ORDERS,
        [
            ["K1", "", "Morgan", "Fairley", "02/07/2016", "1", "Kinship", "SGO", "11/05/2023", "", "Wales"],
            ["P1", "", "Jo", "West", "20/10/2013", "2", "Previously looked after", "Informal", "01/02/2019", "", ""],
            ["P2", "", "Al", "More", "05/05/2011", "7", "Fostered", "Adoption", "31/02/2019", "01/01/2018", ""],
            ["", "", "No", "One", "05/05/2011", "1", "Kinship", "SGO", "01/01/2020", "", ""],
            ["N1", "", "", "Nameless", "05/05/2011", "1", "Kinship", "SGO", "01/01/2020", "", ""],
            ["OK", "", "Fine", "Child", "05/05/2011", "1", "Kinship", "Informal", "01/01/2020", "", ""],
        ],
    )
    status, out, err = run("import_orders", path, "--authority", "201", "--dry-run")
    assert status == 1
    lines = err.replace(f"{tmp_path}/", "").splitlines()
    assert "orders.csv:2: column LookedAfterIn: is for previously looked-after children only: leave it empty" in lines
    assert (
        "orders.csv:3: column OrderType: is not an order of previously looked after: give adoption order, "
        "special guardianship order, child arrangements order" in lines
    )
    assert "orders.csv:3: column LookedAfterIn: is empty: where was the child looked after?" in lines
    assert "orders.csv:4: column GenderCurrent: '7' is not a code for sex: give 1, 2, 0 or 9" in lines
    assert "orders.csv:4: column Cohort: 'Fostered' is not a cohort: give Kinship or Previously looked after" in lines
    assert "orders.csv:4: column OrderDate: '31/02/2019' is not a date: give dd/mm/yyyy or yyyy-mm-dd" in lines
    assert "orders.csv:5: column LAchildID: is empty: which child is this?" in lines
    assert "orders.csv:6: column Forename: is empty: child N1 is new to OpenPEP" in lines
    assert "(dry run: nothing written)" in out and "1 created, 0 updated, 0 unchanged, 5 rejected" in out
    assert not Child.objects.exists()
    status, out, err = run("import_orders", path, "--authority", "201")
    assert status == 1
    assert list(Child.objects.values_list("local_id", flat=True)) == ["OK"]


def test_cin_problems_of_plans_and_a_upn_given_for_two_children(tmp_path, authority):
    path = tmp_path / "cin.csv"
    write_csv(
        path,
        CIN,
        [
            ["A", upn(3), "A", "A", "01/01/2015", "1", "", "", "", ""],
            ["B", upn(3), "B", "B", "01/01/2015", "1", "01/01/2024", "", "", ""],
            ["C", "", "C", "C", "01/01/2015", "1", "01/01/2024", "01/01/2023", "", "01/01/2025"],
            ["D", "Z123", "D", "D", "01/01/2015", "1", "01/01/2024", "", "", ""],
            ["D", "", "D", "D", "01/01/2015", "1", "01/01/2024", "", "", ""],
        ],
    )
    status, _, err = run("import_cin", path, "--authority", "201")
    assert status == 1
    lines = err.replace(f"{tmp_path}/", "").splitlines()
    assert "cin.csv:2: column CINPlanStartDate: is empty: give CINPlanStartDate or CPPstartDate" in lines
    assert f"cin.csv:3: column UPN: UPN {upn(3)} is also given for child A" in lines
    assert "cin.csv:4: column CINPlanEndDate: is before CINPlanStartDate" in lines
    assert "cin.csv:4: column CPPstartDate: is empty, but CPPendDate is given" in lines
    assert any(line.startswith("cin.csv:5: column UPN: 'Z123': Enter a valid UPN") for line in lines)
    assert "cin.csv:6: column CINPlanStartDate: this plan is given again (first on line 5)" not in lines
    assert not Child.objects.exists()


def test_a_file_without_its_columns_imports_nothing(tmp_path, authority):
    path = tmp_path / "orders.csv"
    write_csv(path, ["LAchildID", "UPN"], [["K1", ""]])
    status, out, err = run("import_orders", path, "--authority", "201")
    assert status == 1
    assert "orders.csv:1: column Cohort: missing from the header row (found: LAchildID, UPN)" in err
    assert "0 children read" in out


def test_the_sample_files_and_the_pages_examples_import_cleanly(tmp_path, authority):
    # The samples name two of the demo's children already recorded (WC0004, WC0005): here, made first.
    for local_id in ("WC0004", "WC0005"):
        Child.objects.create(
            local_authority=authority,
            local_id=local_id,
            first_name="Known",
            last_name="Child",
            date_of_birth=datetime.date(2012, 1, 1),
            gender="2",
        )
    for name, importer in (("cin.csv", import_cin), ("orders.csv", import_orders)):
        path = tmp_path / name
        shutil.copy(SAMPLES / name, path)
        report = importer(str(path), authority)
        assert not report.problems, report.problems
        assert report.updated == 1
    for columns, example, importer in ((CIN, CIN_EXAMPLE, import_cin), (ORDERS, ORDER_EXAMPLE, import_orders)):
        path = tmp_path / "example.csv"
        write_csv(path, columns, example)
        report = importer(str(path), authority, dry_run=True)
        assert not report.problems, report.problems


def test_the_head_imports_through_the_page_and_a_check_writes_nothing(client, authority):
    head = make_user("head@test.example", "Hed Virtual", Role.VS_ADMIN, local_authority=authority)
    sign_in(client, head)
    content = (SAMPLES / "orders.csv").read_bytes().replace(b"WC0005,,,,,,", b"WC0005,,Maisie,Clarke,2014-12-01,2,")
    url = reverse("cohorts:import")
    response = client.post(
        url, {"which": "orders", "file": SimpleUploadedFile("o.csv", content), "check_only": "on"}, follow=True
    )
    assert response.status_code == 200
    assert "File checked" in response.text and "5 children read: 5 new" in response.text
    assert not Child.objects.exists()
    response = client.post(url, {"which": "orders", "file": SimpleUploadedFile("o.csv", content)})
    assert "Imported" in response.text and Child.objects.count() == 5
    assert AuditEntry.objects.filter(actor=head, verb="created", target_type="children.cohortmembership").count() == 5
    # A file that is not CSV is the form's error.
    response = client.post(url, {"which": "cin", "file": SimpleUploadedFile("x.csv", b"%PDF-1.4 nothing")})
    assert "is a PDF, not a CSV file" in response.text and "govuk-error-summary" in response.text


def details(child):
    child.refresh_from_db()
    return (child.upn, child.first_name, child.last_name, child.date_of_birth, child.gender)


def test_a_known_childs_details_are_updated_from_the_file_audited_and_a_dry_run_writes_nothing(tmp_path, authority):
    # Recorded from the 903 (placeholder names, no UPN), and a child whose UPN the file corrects.
    from_903 = looked_after(authority, "LAC1")
    Child.objects.filter(pk=from_903.pk).update(first_name="Child", last_name="LAC1")
    moved = looked_after(authority, "LAC2", upn(21))
    unsure = looked_after(authority, "LAC3")  # a girl the file says "not known" for: she stays a girl
    path = tmp_path / "cin.csv"
    rows = [
        ["LAC1", upn(20), "Robin", "Ashdown", "14/03/2015", "1", "06/01/2025", "", "", ""],
        ["LAC1", "", "", "", "", "", "", "", "03/06/2025", ""],
        ["LAC2", upn(22), "", "", "", "", "06/01/2025", "", "", ""],
        ["LAC3", "", "Ada", "Care", "2014-01-01", "9", "06/01/2025", "", "", ""],
    ]
    write_csv(path, CIN, rows)
    entries = AuditEntry.objects.count()
    was = [details(c) for c in (from_903, moved, unsure)]
    status, out, err = run("import_cin", path, "--authority", "201", "--dry-run")
    assert status == 0, err
    lines = out.replace(f"{tmp_path}/", "").splitlines()
    assert "cin.csv:2: child LAC1: UPN, Forename, Surname, PersonBirthDate, GenderCurrent would be updated" in lines
    assert "cin.csv:4: child LAC2: UPN would be updated" in lines
    assert not any("LAC3" in line for line in lines)
    assert "0 created, 3 updated, 0 unchanged" in out and "children's details updated 2" in out
    assert [details(c) for c in (from_903, moved, unsure)] == was
    assert AuditEntry.objects.count() == entries and not CohortMembership.objects.exists()

    status, out, err = run("import_cin", path, "--authority", "201")
    assert status == 0, err
    assert "cin.csv:2: child LAC1: UPN, Forename, Surname, PersonBirthDate, GenderCurrent updated" in out
    assert details(from_903) == (upn(20), "Robin", "Ashdown", datetime.date(2015, 3, 14), "1")
    assert details(moved)[0] == upn(22) and details(unsure) == was[2]
    assert from_903.care_start_date == datetime.date(2022, 1, 1) and is_looked_after(from_903)
    entry = AuditEntry.objects.get(target_type="children.child", target_id=str(from_903.pk), verb="updated")
    assert entry.actor is None and "Children in Need" in entry.summary
    assert entry.before == {
        "upn": "",
        "first_name": "Child",
        "last_name": "LAC1",
        "date_of_birth": "2014-01-01",
        "gender": "2",
    }
    assert entry.after["upn"] == upn(20) and entry.after["first_name"] == "Robin"
    assert AuditEntry.objects.get(target_id=str(moved.pk), target_type="children.child").before == {"upn": upn(21)}
    # Again: nothing changes, nothing is audited.
    entries = AuditEntry.objects.count()
    status, out, _ = run("import_cin", path, "--authority", "201")
    assert "0 created, 0 updated, 3 unchanged" in out and "children's details updated 0" in out
    assert AuditEntry.objects.count() == entries


def test_a_known_child_given_a_upn_that_is_someone_elses_is_refused_and_not_written(
    tmp_path, authority, other_authority
):
    theirs = looked_after(other_authority, "THEIRS", upn(30))
    Child.objects.filter(pk=theirs.pk).update(first_name="Zelda", last_name="Elsewhere")
    mine = looked_after(authority, "MINE", upn(31))
    ours = looked_after(authority, "OURS")
    foreign = looked_after(authority, "FOREIGN")
    path = tmp_path / "orders.csv"
    write_csv(
        path,
        ORDERS,
        [
            ["OURS", "", "Olu", "Renamed", "01/01/2016", "1", "Kinship", "SGO", "01/01/2024", "", ""],
            ["OURS", upn(31), "", "", "", "", "Kinship", "CAO", "01/01/2025", "", ""],
            ["FOREIGN", upn(30), "Fay", "Renamed", "01/01/2016", "1", "Kinship", "SGO", "01/01/2024", "", ""],
            # Two lines of one child that disagree: which name is theirs is not known.
            ["MINE", "", "Mina", "", "", "", "Kinship", "SGO", "01/01/2024", "", ""],
            ["MINE", "", "Nina", "", "", "", "Kinship", "CAO", "01/01/2025", "", ""],
        ],
    )
    was = [details(c) for c in (ours, foreign, mine, theirs)]
    status, out, err = run("import_orders", path, "--authority", "201")
    assert status == 1
    lines = err.replace(f"{tmp_path}/", "").splitlines()
    assert f"orders.csv:3: column UPN: UPN {upn(31)} is your child MINE, not OURS" in lines
    assert f"orders.csv:4: column UPN: UPN {upn(30)} belongs to another child" in lines
    assert "orders.csv:6: column Forename: is not the Forename given for this child on line 5" in lines
    assert "THEIRS" not in err + out and "Zelda" not in err + out
    assert "0 created, 0 updated, 0 unchanged, 3 rejected" in out
    assert [details(c) for c in (ours, foreign, mine, theirs)] == was
    assert not CohortMembership.objects.exists()
    assert not AuditEntry.objects.filter(verb="updated").exists()


def test_the_page_says_whose_details_a_file_would_change_and_the_import_audits_the_head(client, authority):
    head = make_user("head@test.example", "Hed Virtual", Role.VS_ADMIN, local_authority=authority)
    child = looked_after(authority, "LAC1")
    sign_in(client, head)
    content = f"LAchildID,UPN,CPPstartDate\nLAC1,{upn(40)},01/03/2025\n".encode()
    url = reverse("cohorts:import")
    response = client.post(url, {"which": "cin", "file": SimpleUploadedFile("c.csv", content), "check_only": "on"})
    assert "Details the file would change" in response.text
    assert "Line 2, child LAC1: UPN would be updated" in response.text
    assert details(child)[0] == ""
    response = client.post(url, {"which": "cin", "file": SimpleUploadedFile("c.csv", content)})
    assert "Details the file changed" in response.text and "Line 2, child LAC1: UPN updated" in response.text
    assert details(child)[0] == upn(40)
    assert AuditEntry.objects.get(target_type="children.child", verb="updated").actor == head
