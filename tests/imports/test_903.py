import datetime

import pytest

from openpep.audit.models import AuditEntry
from openpep.children.models import Child, Placement
from synthetic.files import EPISODES_903, HEADER_903, upn, write_903, write_csv

from .conftest import run

pytestmark = pytest.mark.django_db

UPN = upn(1)


def episode(child, decom, dec="", ls="C2", place="U4", rne="P"):
    return [child, decom, rne, ls, "N1", place, "PR1", dec, "E3" if dec else "", "", "AB1", "CD2", "SC999999"]


def files(tmp_path, header, episodes, **options):
    h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
    write_csv(h, HEADER_903, header, **options)
    write_csv(e, EPISODES_903, episodes, **options)
    return h, e


def test_import_903_creates_children_and_placements(tmp_path, authority):
    h, e = files(
        tmp_path,
        [["C1", "2", "03/04/2012", "WBRI", UPN, "", ""]],
        [
            episode("C1", "01/02/2019", "10/05/2019", rne="S"),
            episode("C1", "01/09/2021", "2022-01-31", ls="V2", place="K2", rne="S"),
            episode("C1", "2022-01-31", "", place="U6"),
        ],
    )
    status, out, err = run("import_903", h, e, "--authority", "201")
    assert status == 0, err
    assert "1 children read, 1 created, 0 updated, 0 unchanged, 0 rejected; placements created 3" in out
    child = Child.objects.get()
    assert (child.first_name, child.last_name, child.local_id) == ("Child", "C1", "C1")
    assert (child.date_of_birth, child.gender, child.upn) == (datetime.date(2012, 4, 3), "2", UPN)
    # The latest period of care began in September 2021, after a gap.
    assert child.care_start_date == datetime.date(2021, 9, 1)
    assert list(
        child.placements.order_by("starts_on").values_list("starts_on", "ends_on", "legal_status", "placement_type")
    ) == [
        (datetime.date(2019, 2, 1), datetime.date(2019, 5, 10), "C2", "U4"),
        (datetime.date(2021, 9, 1), datetime.date(2022, 1, 31), "V2", "K2"),
        (datetime.date(2022, 1, 31), None, "C2", "U6"),
    ]
    assert AuditEntry.objects.filter(child_id=child.pk, actor=None).count() == 4


def test_import_903_keeps_names_and_second_run_is_a_no_op(tmp_path, authority):
    h, e = files(tmp_path, [["C1", "1", "03/04/2012", "WBRI", "UN3", "", ""]], [episode("C1", "01/02/2021")])
    run("import_903", h, e, "--authority", "201")
    Child.objects.update(first_name="Sam", last_name="Jones")
    entries = AuditEntry.objects.count()
    status, out, _ = run("import_903", h, e, "--authority", "201")
    assert status == 0
    assert "0 created, 0 updated, 1 unchanged, 0 rejected; placements created 0; placements updated 0" in out
    child = Child.objects.get()
    assert (child.first_name, child.last_name, child.upn) == ("Sam", "Jones", "")
    assert AuditEntry.objects.count() == entries


def test_import_903_updates_what_changed(tmp_path, authority):
    h, e = files(tmp_path, [["C1", "1", "03/04/2012", "WBRI", "", "", ""]], [episode("C1", "01/02/2021")])
    run("import_903", h, e, "--authority", "201")
    h, e = files(
        tmp_path,
        [["C1", "1", "03/04/2012", "WBRI", UPN, "", ""]],
        [episode("C1", "01/02/2021", "01/03/2021"), episode("C1", "01/03/2021", place="K2")],
    )
    status, out, _ = run("import_903", h, e, "--authority", "201")
    assert status == 0
    assert "0 created, 1 updated" in out and "placements created 1; placements updated 1" in out
    assert Child.objects.get().upn == UPN
    assert Placement.objects.get(ends_on=None).placement_type == "K2"


def test_import_903_rejects_only_the_child_with_wrong_rows(tmp_path, authority):
    h, e = files(
        tmp_path,
        [
            ["C1", "3", "31/02/2012", "WBRI", "A123456789012", "", ""],
            ["C2", "1", "03/04/2012", "WBRI", "", "", ""],
            ["C3", "1", "03/04/2012", "WBRI", "", "", ""],
        ],
        [
            episode("C1", "01/02/2021"),
            episode("C2", "01/02/2021"),
            episode("C3", "2021-13-01", ls="X9", place="Q1"),
            episode("C3", "01/02/2021", "01/01/2021"),
            episode("C9", "01/02/2021"),
        ],
    )
    status, out, err = run("import_903", h, e, "--authority", "201")
    assert status == 1
    lines = err.splitlines()
    # Problems that are DfE validation rules carry their codes (the 2022-23 rules: the file's
    # latest date is in 2020-21, before the first year kept); a missing child is not one.
    assert (
        f"{h}:2: column SEX: '3' is not a code for sex OpenPEP can record: give 1 or M (male), 2 or F (female)"
        " (DfE rule 101)"
    ) in lines
    assert f"{h}:2: column DOB: '31/02/2012' is not a date: give dd/mm/yyyy or yyyy-mm-dd (DfE rule 102)" in lines
    assert any(
        line.startswith(f"{h}:2: column UPN: 'A123456789012': Enter a valid UPN") and line.endswith("(DfE rule 168)")
        for line in lines
    )
    assert f"{e}:4: column DECOM: '2021-13-01' is not a date: give dd/mm/yyyy or yyyy-mm-dd (DfE rule 141)" in lines
    assert f"{e}:4: column LS: 'X9' is not a legal status code of the SSDA903 (DfE rule 144)" in lines
    assert f"{e}:4: column PLACE: 'Q1' is not a placement type code of the SSDA903 (DfE rule 146)" in lines
    assert f"{e}:5: column DEC: 01/01/2021 is before the episode starts (01/02/2021) (DfE rule 356)" in lines
    assert f"{e}:6: column CHILD: child 'C9' is not in the Header file" in lines
    assert list(Child.objects.values_list("local_id", flat=True)) == ["C2"]
    assert Placement.objects.count() == 1
    assert "1 created, 0 updated, 0 unchanged, 2 rejected" in out


def test_import_903_duplicated_rows_reject_the_child(tmp_path, authority):
    h, e = files(
        tmp_path,
        [
            ["C1", "1", "03/04/2012", "WBRI", "", "", ""],
            ["C2", "1", "03/04/2012", "WBRI", "", "", ""],
            ["C2", "1", "03/04/2012", "WBRI", "", "", ""],
        ],
        [episode("C1", "01/02/2021"), episode("C1", "01/02/2021"), episode("C2", "01/02/2021")],
    )
    status, _, err = run("import_903", h, e, "--authority", "201")
    assert status == 1
    assert f"{h}:4: column CHILD: child C2 is given again (first on line 3)" in err
    assert f"{e}:3: column DECOM: this episode repeats the one on line 2" in err
    assert Child.objects.count() == 0


def test_import_903_same_upn_for_two_children_is_refused(tmp_path, authority, other_authority):
    Child.objects.create(
        local_authority=other_authority,
        local_id="X1",
        first_name="A",
        last_name="B",
        date_of_birth=datetime.date(2012, 1, 1),
        gender="1",
        upn=UPN,
        care_start_date=datetime.date(2020, 1, 1),
    )
    h, e = files(tmp_path, [["C1", "1", "03/04/2012", "WBRI", UPN, "", ""]], [episode("C1", "01/02/2021")])
    status, _, err = run("import_903", h, e, "--authority", "201")
    assert status == 1
    assert f"{h}:2: column UPN: UPN {UPN} belongs to another child" in err
    assert Child.objects.filter(local_authority=authority).count() == 0


def test_import_903_does_not_touch_another_authoritys_child(tmp_path, authority, other_authority):
    outsider = Child.objects.create(
        local_authority=other_authority,
        local_id="C1",
        first_name="A",
        last_name="B",
        date_of_birth=datetime.date(2012, 1, 1),
        gender="1",
        care_start_date=datetime.date(2020, 1, 1),
    )
    h, e = files(tmp_path, [["C1", "2", "03/04/2013", "WBRI", "", "", ""]], [episode("C1", "01/02/2021")])
    assert run("import_903", h, e, "--authority", "201")[0] == 0
    outsider.refresh_from_db()
    assert (outsider.gender, outsider.placements.count()) == ("1", 0)
    assert Child.objects.filter(local_authority=authority).count() == 1


def test_import_903_bom_and_dry_run(tmp_path, authority):
    h, e = tmp_path / "h.csv", tmp_path / "e.csv"
    write_903(h, e, 20, bom=True)
    assert h.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in h.read_bytes()
    status, out, _ = run("import_903", h, e, "--authority", "201", "--dry-run")
    assert status == 0
    assert "dry run" in out and "20 created" in out
    assert (Child.objects.count(), Placement.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)
    assert run("import_903", h, e, "--authority", "201")[0] == 0
    assert Child.objects.count() == 20


def test_import_903_missing_column_and_empty_file(tmp_path, authority):
    h, e = tmp_path / "h.csv", tmp_path / "e.csv"
    write_csv(h, [c for c in HEADER_903 if c != "DOB"], [["C1", "1", "WBRI", "", "", ""]])
    e.write_text("")
    status, _, err = run("import_903", h, e, "--authority", "201")
    assert status == 1
    assert (
        err.splitlines()[0]
        == f"{h}:1: column DOB: missing from the header row (found: CHILD, SEX, ETHNIC, UPN, MOTHER, MC_DOB)"
    )
    write_csv(h, HEADER_903, [["C1", "1", "03/04/2012", "WBRI", "", "", ""]])
    status, _, err = run("import_903", h, e, "--authority", "201")
    assert status == 1
    assert f"{e}:1: column CHILD: the file is empty" in err
    assert Child.objects.count() == 0


def test_import_903_unknown_authority(tmp_path, db):
    status, _, err = run("import_903", "h.csv", "e.csv", "--authority", "999")
    assert (status, err) == (1, "There is no local authority with LA code '999'")


def test_import_903_ends_an_open_placement_recorded_before(tmp_path, authority):
    child = Child.objects.create(
        local_authority=authority,
        local_id="C1",
        first_name="Sam",
        last_name="Jones",
        date_of_birth=datetime.date(2012, 4, 3),
        gender="1",
        care_start_date=datetime.date(2020, 1, 1),
    )
    Placement.objects.create(child=child, starts_on=datetime.date(2020, 1, 1), legal_status="C2", placement_type="U6")
    h, e = files(tmp_path, [["C1", "1", "03/04/2012", "WBRI", "", "", ""]], [episode("C1", "01/02/2021", rne="S")])
    status, out, err = run("import_903", h, e, "--authority", "201")
    assert status == 0, err
    assert list(child.placements.order_by("starts_on").values_list("starts_on", "ends_on")) == [
        (datetime.date(2020, 1, 1), datetime.date(2021, 1, 31)),
        (datetime.date(2021, 2, 1), None),
    ]
    child.refresh_from_db()
    assert (child.first_name, child.care_start_date) == ("Sam", datetime.date(2021, 2, 1))
    assert "0 created, 1 updated" in out and "placements created 1; placements updated 1" in out
