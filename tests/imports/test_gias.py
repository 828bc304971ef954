import pytest

from openpep.audit.models import AuditEntry
from openpep.people.enums import SchoolPhase
from openpep.people.models import LocalAuthority, School
from synthetic.files import GIAS_HEADER, write_csv, write_gias

from .conftest import run

pytestmark = pytest.mark.django_db

ROW = ["123456", "201", "Borough 201", "2001", "Oak Primary", "Community school", "Open", "Primary", "4", "11", "X"]


def test_import_gias_cp1252_with_crlf_creates_schools_and_authorities(tmp_path):
    path = tmp_path / "gias.csv"
    write_gias(path, 16)
    raw = path.read_bytes()
    assert b"St Mary\x92s School 0" in raw and b"\r\n" in raw  # Windows-1252, CRLF
    status, out, err = run("import_gias", path)
    assert status == 0, err
    assert "16 schools read, 16 created, 0 updated, 0 unchanged, 0 rejected" in out
    school = School.objects.get(urn="100000")
    assert (school.name, school.laestab, school.phase) == ("St Mary’s School 0", "2011000", SchoolPhase.PRIMARY)
    assert school.local_authority.name == "Borough 201"
    assert School.objects.get(urn="100002").phase == SchoolPhase.SPECIAL
    assert School.objects.get(urn="100006").phase == SchoolPhase.ALTERNATIVE
    assert School.objects.get(urn="100007").phase == SchoolPhase.MIDDLE
    assert LocalAuthority.objects.count() == 16
    assert AuditEntry.objects.filter(target_type="people.school", actor=None).count() == 16


def test_import_gias_second_run_changes_nothing(tmp_path):
    path = tmp_path / "gias.csv"
    write_gias(path, 10)
    run("import_gias", path)
    entries = AuditEntry.objects.count()
    status, out, _ = run("import_gias", path)
    assert status == 0
    assert "10 created" not in out and "0 created, 0 updated, 10 unchanged" in out
    assert AuditEntry.objects.count() == entries


def test_import_gias_updates_a_renamed_school(tmp_path):
    path = tmp_path / "gias.csv"
    write_csv(path, GIAS_HEADER, [ROW], bom=True)
    run("import_gias", path)
    write_csv(path, GIAS_HEADER, [ROW[:4] + ["Oak Academy"] + ROW[5:]])
    status, out, _ = run("import_gias", path)
    assert (status, School.objects.get(urn="123456").name) == (0, "Oak Academy")
    assert "0 created, 1 updated" in out
    entry = AuditEntry.objects.filter(verb="updated").get()
    assert (entry.before, entry.after) == ({"name": "Oak Primary"}, {"name": "Oak Academy"})


def test_import_gias_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "gias.csv"
    write_gias(path, 5)
    status, out, _ = run("import_gias", path, "--dry-run")
    assert status == 0
    assert "dry run" in out and "5 created" in out
    assert (School.objects.count(), LocalAuthority.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_import_gias_reports_each_bad_row_and_imports_the_rest(tmp_path):
    path = tmp_path / "gias.csv"
    bad_urn = ["12345"] + ROW[1:]
    bad_la = ["123457", "2x1"] + ROW[2:]
    bad_phase = ["123458"] + ROW[1:7] + ["Tertiary"] + ROW[8:]
    write_csv(path, GIAS_HEADER, [ROW, bad_urn, bad_la, bad_phase, ROW])
    status, out, err = run("import_gias", path)
    assert status == 1
    assert f"{path}:3: column URN: '12345' is not a URN: give 6 digits" in err
    assert f"{path}:4: column LA (code): '2x1' is not an LA code: give 3 digits" in err
    assert f"{path}:5: column PhaseOfEducation (name): 'Tertiary' is not a phase of education" in err
    assert f"{path}:6: column URN: URN 123456 is given again (first on line 2)" in err
    assert list(School.objects.values_list("urn", flat=True)) == ["123456"]
    assert "1 created, 0 updated, 0 unchanged, 4 rejected" in out


def test_import_gias_skips_establishments_with_no_phase(tmp_path):
    path = tmp_path / "gias.csv"
    write_csv(path, GIAS_HEADER, [ROW[:5] + ["Higher education institutions", "Open", "Not applicable"] + ROW[8:]])
    status, out, _ = run("import_gias", path)
    assert (status, School.objects.count()) == (0, 0)
    assert "1 skipped" in out


def test_import_gias_missing_column_is_one_error_and_writes_nothing(tmp_path):
    path = tmp_path / "gias.csv"
    header = [c for c in GIAS_HEADER if c != "EstablishmentName"]
    write_csv(path, header, [ROW[:4] + ROW[5:]])
    status, _, err = run("import_gias", path)
    assert status == 1
    assert err.count("column ") == 1
    assert f"{path}:1: column EstablishmentName: missing from the header row (found: URN, LA (code)" in err
    assert School.objects.count() == 0


def test_import_gias_empty_file_is_an_error(tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(b"")
    status, _, err = run("import_gias", path)
    assert status == 1
    assert f"{path}:1: column URN: the file is empty: expected a header row naming URN, LA (code)" in err


def test_import_gias_reports_an_oversized_field_and_imports_every_other_row(tmp_path):
    """The issue's file: 1,020 rows, one LA name over the model's column after the first batch of
    1,000 (it stopped with a traceback there on PostgreSQL, reporting nothing about the rest)."""
    too_long = LocalAuthority._meta.get_field("name").max_length + 1
    rows = []
    for n in range(1020):
        row = [str(100000 + n), "201", "Borough 201", str(2000 + n % 1000), f"School {n}", *ROW[5:]]
        if n == 1009:
            row[2] = "B" * too_long
        rows.append(row)
    path = tmp_path / "gias.csv"
    write_csv(path, GIAS_HEADER, rows)

    status, out, err = run("import_gias", path)

    assert status == 1
    assert err.splitlines()[0] == f"{path}:1011: column LA (name): is longer than {too_long - 1} characters"
    assert "1020 schools read, 1019 created, 0 updated, 0 unchanged, 1 rejected" in out
    assert not School.objects.filter(urn="101009").exists()
    assert School.objects.count() == 1019


def test_import_gias_takes_names_with_no_break_spaces_accents_and_hyphens_inside(tmp_path):
    """The checks for text that is not text (NULs, control characters) refuse no real name."""
    name = "St Mary’s\xa0C of E School – Sainte-Anne, Ényo (Oak)"
    path = tmp_path / "gias.csv"
    write_csv(path, GIAS_HEADER, [ROW[:4] + [name] + ROW[5:]], encoding="utf-8")

    status, _, err = run("import_gias", path)

    assert (status, err) == (0, "")
    assert School.objects.get(urn="123456").name == name
