"""Every import, fed files Hypothesis makes up: random bytes, other encodings, BOMs, CRLF or LF,
missing and extra columns, duplicated rows, wrong dates, codes and UPNs, empty files, huge cells.

Whatever the file: no traceback (the command ends normally or with CommandError, exit status 1);
every problem is reported as ``FILE:LINE: column NAME: message``; a child (or school) named on a
line with a problem has nothing written; a row made surely wrong (a date that is no date) is
reported. The calendar's CSV import, through its page, answers the form again with each error's
line and column, and writes nothing unless every row is right.
"""

import datetime
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from openpep.children.models import Child, Enrolment
from openpep.clock.models import Holiday, Term
from openpep.imports import cohorts, enrolments, gias, ssda903
from openpep.imports.reading import HeaderProblem, read_csv
from openpep.people.models import School
from synthetic.files import ENROLMENTS, EPISODES_903, GIAS_HEADER, HEADER_903, upn
from tests.fixtures import engine_seed, sign_in

from .conftest import run

pytestmark = pytest.mark.django_db

FUZZ = settings(suppress_health_check=list(HealthCheck), deadline=None)
PROBLEM = re.compile(r"^(?P<path>\S+):(?P<line>\d+): column (?P<column>[^:]+): .+$")
FILE_PROBLEM = re.compile(r"^(?P<path>\S+): [^:].+$")  # about the whole file: no line, no column
NASTY = [
    "",
    " ",
    "x" * 300,
    "31/02/2020",
    "2020-13-01",
    "00/00/0000",
    "1/1/20",
    "tomorrow",
    "99999999999999999999",
    "-1",
    "UN11",
    "A00000000000Z",
    "ZZ",
    "\x00",
    "é",
    "😀",
    "<script>alert(1)</script>",
    '"',
    '"unclosed',
    "a,b",
    "line\nbreak",
    "\r",
    "\ufeff",
]


def rarely(draw, odds: int = 10) -> bool:
    """True about once in ``odds`` draws; shrinks towards False (the file as it should be)."""
    return draw(st.integers(0, odds - 1)) == odds - 1


@st.composite
def cell(draw, valid: str) -> str:
    """The right value most of the time, else something wrong or odd."""
    if not rarely(draw, 8):
        return valid
    return draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)))


@st.composite
def csv_file(draw, header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV of ``rows`` under ``header``, mostly right: a few cells spoilt, now and then columns
    dropped, added, reordered or renamed, rows cut short or repeated, in one encoding or another,
    or no CSV at all."""
    keep = list(range(len(header)))
    if rarely(draw):
        drop = draw(st.sets(st.integers(0, len(header) - 1), min_size=1, max_size=2))
        keep = [i for i in keep if i not in drop]
    if rarely(draw, 4):
        keep = draw(st.permutations(keep))
    out_header = [draw(st.sampled_from([header[i], header[i].lower(), f" {header[i]} "])) for i in keep]
    extra = draw(st.integers(0, 2))
    out_header += [f"EXTRA{n}" for n in range(extra)]
    out_rows = []
    for row in rows:
        spoilt = [draw(cell(row[i])) for i in keep] + ["x"] * extra
        if rarely(draw):
            spoilt = spoilt[: draw(st.integers(0, len(spoilt)))]  # a short row
        out_rows.append(spoilt)
        if rarely(draw):
            out_rows.append(spoilt)  # the same row twice
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    text = newline.join(",".join(quote(v) for v in line) for line in [out_header, *out_rows]) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    if rarely(draw):
        return draw(st.one_of(st.binary(max_size=200), st.just(b""), st.just(data[: len(data) // 2])))
    return data


def _check_messages(err: str, paths: set[str]) -> list[tuple[str, int, str]]:
    """Every line of stderr is a located problem (or the progress line); returns them."""
    found = []
    for line in err.splitlines():
        if not line.strip() or line.endswith("rows read…") or line.startswith(("There is no", "0 errors")):
            continue
        if re.match(r"^\d+ errors: see the lines above$", line):
            continue
        match = PROBLEM.match(line)
        if match is None and (whole := FILE_PROBLEM.match(line)):
            assert whole["path"] in paths
            found.append((whole["path"], 0, ""))
            continue
        assert match, f"not a located problem: {line!r}"
        assert match["path"] in paths
        found.append((match["path"], int(match["line"]), match["column"].strip()))
    return found


def keys_by_line(path, columns: dict, required: list, key: str) -> dict[int, str]:
    """Which record (child, school) each line of a file is about, as the importer reads it."""
    try:
        return {line: values.get(key, "") for line, values, _ in read_csv(str(path), columns, required)}
    except HeaderProblem:
        return {}


@pytest.fixture
def schools(authority):
    return [
        School.objects.create(urn=urn, name=f"School {urn}", phase="primary", local_authority=authority)
        for urn in ("100001", "100002")
    ]


def header_rows():
    return [["C1", "1", "03/04/2012", "WBRI", upn(1), "", ""], ["C2", "2", "2013-05-06", "WBRI", "UN3", "", ""]]


def episode_rows():
    return [
        ["C1", "01/02/2019", "S", "C2", "N1", "U4", "PR1", "10/05/2019", "E3", "", "AB1", "CD2", "SC1"],
        ["C1", "2021-09-01", "S", "V2", "N1", "K2", "PR1", "", "", "", "AB1", "CD2", "SC1"],
        ["C2", "01/09/2022", "S", "C2", "N1", "U6", "PR1", "", "", "", "AB1", "CD2", "SC1"],
    ]


def test_import_903_survives_any_file(tmp_path, authority):
    @FUZZ
    @engine_seed("test_import_903_survives_any_file")
    @given(header=csv_file(HEADER_903, header_rows()), episodes=csv_file(EPISODES_903, episode_rows()))
    def check(header, episodes):
        h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
        h.write_bytes(header)
        e.write_bytes(episodes)
        with transaction.atomic():
            status, out, err = run("import_903", h, e, "--authority", "201")
            assert status in (0, 1)
            problems = _check_messages(err, {str(h), str(e)})
            assert (status == 1) == bool(problems)
            # A child named on a line with a problem was not written at all.
            lines = {
                str(h): keys_by_line(h, ssda903.HEADER_COLUMNS, ssda903.HEADER_REQUIRED, "CHILD"),
                str(e): keys_by_line(e, ssda903.EPISODE_COLUMNS, ssda903.EPISODE_REQUIRED, "CHILD"),
            }
            wrong = {lines[path].get(line) for path, line, _ in problems} - {None, ""}
            written = set(Child.objects.values_list("local_id", flat=True))
            assert not wrong & written, err
            assert all(child.local_authority_id == authority.pk for child in Child.objects.all())
            event(f"children written: {len(written)}; header problem: {any(line == 1 for _, line, _ in problems)}")
            transaction.set_rollback(True)

    check()


def test_import_903_reports_a_child_with_a_date_that_is_no_date(tmp_path, authority):
    """Not left to chance: whichever row's DECOM is spoilt, that child is reported and not written, the other is."""

    @FUZZ
    @engine_seed("test_import_903_reports_a_child_with_a_date_that_is_no_date")
    @given(row=st.integers(0, 2), bad=st.sampled_from(["31/02/2020", "2020-13-01", "tomorrow", "", "1/1/20"]))
    def check(row, bad):
        episodes = episode_rows()
        episodes[row][1] = bad
        h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
        h.write_text("\r\n".join(",".join(r) for r in [HEADER_903, *header_rows()]))
        e.write_text("\r\n".join(",".join(r) for r in [EPISODES_903, *episodes]))
        with transaction.atomic():
            status, _, err = run("import_903", h, e, "--authority", "201")
            wrong = episodes[row][0]
            assert status == 1
            assert f"{e}:{row + 2}: column DECOM: " in err
            assert not Child.objects.filter(local_id=wrong).exists()
            assert set(Child.objects.values_list("local_id", flat=True)) == {"C1", "C2"} - {wrong}
            transaction.set_rollback(True)

    check()


def test_import_enrolments_survives_any_file(tmp_path, authority, schools):
    Child.objects.create(
        local_authority=authority,
        local_id="C1",
        first_name="Sam",
        last_name="Jones",
        date_of_birth=datetime.date(2014, 1, 1),
        gender="1",
        upn=upn(7),
        care_start_date=datetime.date(2020, 1, 1),
    )
    rows = [["C1", "100001", "01/09/2021", "31/08/2022"], ["C1", "100002", "2022-09-01", ""]]

    @FUZZ
    @engine_seed("test_import_enrolments_survives_any_file")
    @given(data=csv_file(ENROLMENTS, rows))
    def check(data):
        path = tmp_path / "enrolments.csv"
        path.write_bytes(data)
        with transaction.atomic():
            status, out, err = run("import_enrolments", path, "--authority", "201")
            assert status in (0, 1)
            problems = _check_messages(err, {str(path)})
            assert (status == 1) == bool(problems)
            lines = keys_by_line(path, enrolments.COLUMNS, enrolments.REQUIRED, "CHILD")
            if "C1" in {lines.get(line) for _, line, _ in problems}:  # a wrong row of C1: it keeps what it had
                assert not Enrolment.objects.exists(), err
            event(f"enrolments written: {Enrolment.objects.count()}")
            transaction.set_rollback(True)
            transaction.set_rollback(True)

    check()


def test_import_gias_survives_any_file(tmp_path):
    rows = [
        ["100001", "201", "Borough 201", "2001", "Oak Primary", "Community school", "Open", "Primary", "4", "11", ""],
        ["100002", "201", "Borough 201", "4001", "Elm", "Academy converter", "Open", "Secondary", "11", "16", ""],
    ]

    @FUZZ
    @engine_seed("test_import_gias_survives_any_file")
    @given(data=csv_file(GIAS_HEADER, rows))
    def check(data):
        path = tmp_path / "gias.csv"
        path.write_bytes(data)
        with transaction.atomic():
            status, out, err = run("import_gias", path)
            assert status in (0, 1)
            problems = _check_messages(err, {str(path)})
            assert (status == 1) == bool(problems)
            lines = keys_by_line(path, gias.COLUMNS, gias.REQUIRED, "URN")
            wrong_lines = {line for _, line, _ in problems}
            good = {urn for line, urn in lines.items() if line not in wrong_lines}
            for urn in School.objects.values_list("urn", flat=True):  # only a school on a right line is written
                assert urn in good, err
            event(f"schools written: {School.objects.count()}")
            transaction.set_rollback(True)

    check()


def test_calendar_import_page_survives_any_file(world, client, settings):
    sign_in(client, world.vs_admin)
    url = reverse("clock:import")
    rows = [["term", "autumn", "01/09/2026", "18/12/2026"], ["holiday", "Half-term", "2026-10-26", "2026-10-30"]]

    @FUZZ
    @engine_seed("test_calendar_import_page_survives_any_file")
    @given(data=csv_file(["type", "name", "starts_on", "ends_on"], rows))
    def check(data):
        from django.core.files.uploadedfile import SimpleUploadedFile

        with transaction.atomic():
            response = client.post(url, {"file": SimpleUploadedFile("calendar.csv", data, "text/csv")})
            page = response.content.decode()
            assert response.status_code in (200, 302)
            assert "Traceback" not in page
            if response.status_code == 200:
                assert 'class="govuk-error-summary"' in page
                assert not Term.objects.exists() and not Holiday.objects.exists()
            else:
                assert Term.objects.exists() or Holiday.objects.exists()
            transaction.set_rollback(True)

    check()


WIDER = {
    "import_cin": (
        cohorts.CIN_COLUMNS,
        cohorts.CIN_REQUIRED,
        [
            ["SW1", upn(11), "Robin", "Ashdown", "14/03/2015", "2", "06/01/2025", "", "", ""],
            ["SW2", "", "Kit", "Osei", "2012-09-30", "1", "", "", "03/06/2025", ""],
            ["SW2", "", "Kit", "Osei", "2012-09-30", "1", "12/02/2024", "02/06/2025", "", ""],
        ],
    ),
    "import_orders": (
        cohorts.ORDER_COLUMNS,
        cohorts.ORDER_REQUIRED,
        [
            ["K1", "", "Morgan", "Fairley", "02/07/2016", "1", "Kinship", "SGO", "11/05/2023", "", ""],
            ["P1", upn(12), "Jordan", "Westcott", "20/10/2013", "2", "PLAC", "Adoption", "01/02/2019", "", "Wales"],
        ],
    ),
}


@pytest.mark.parametrize("command", list(WIDER))
def test_the_wider_cohorts_imports_survive_any_file(tmp_path, authority, command):
    columns, required, rows = WIDER[command]

    @FUZZ
    @engine_seed(f"test_the_wider_cohorts_imports_survive_any_file[{command}]")
    @given(data=csv_file(list(columns), rows))
    def check(data):
        path = tmp_path / "wider.csv"
        path.write_bytes(data)
        with transaction.atomic():
            status, _, err = run(command, path, "--authority", "201")
            assert status in (0, 1)
            problems = _check_messages(err, {str(path)})
            assert (status == 1) == bool(problems)
            # A child named on a line with a problem was not written at all.
            lines = keys_by_line(path, columns, required, "LAchildID")
            wrong = {lines.get(line) for _, line, _ in problems} - {None, ""}
            written = set(Child.objects.values_list("local_id", flat=True))
            assert not wrong & written, err
            assert all(child.local_authority_id == authority.pk for child in Child.objects.all())
            transaction.set_rollback(True)

    check()
