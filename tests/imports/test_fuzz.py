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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpep.children.models import Child, Enrolment
from openpep.clock.models import Holiday, Term
from openpep.imports.synthetic import ENROLMENTS, EPISODES_903, GIAS_HEADER, HEADER_903, upn
from openpep.people.models import School
from tests.fixtures import sign_in

from .conftest import run

pytestmark = pytest.mark.django_db

FUZZ = settings(suppress_health_check=list(HealthCheck), deadline=None)
PROBLEM = re.compile(r"^(?P<path>\S+):(?P<line>\d+): column (?P<column>[^:]+): .+$")
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


def cell(valid: str) -> st.SearchStrategy[str]:
    """The right value most of the time, else something wrong or odd."""
    return st.one_of(st.just(valid), st.just(valid), st.sampled_from(NASTY), st.text(max_size=12))


@st.composite
def csv_file(draw, header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV of ``rows`` under ``header``, each cell perhaps spoiled, columns perhaps dropped, added,
    reordered or renamed, rows perhaps repeated, in one encoding or another."""
    header = list(header)
    if draw(st.booleans()):
        drop = draw(st.sets(st.integers(0, len(header) - 1), max_size=2))
        keep = [i for i in range(len(header)) if i not in drop]
    else:
        keep = list(range(len(header)))
    if draw(st.booleans()):
        keep = draw(st.permutations(keep))
    out_header = [draw(st.sampled_from([header[i], header[i].lower(), f" {header[i]} "])) for i in keep]
    extra = draw(st.integers(0, 2))
    out_header += [f"EXTRA{n}" for n in range(extra)]
    out_rows = []
    for row in rows:
        spoilt = [draw(cell(row[i])) for i in keep] + ["x"] * extra
        if draw(st.integers(0, 9)) == 0:
            spoilt = spoilt[: draw(st.integers(0, len(spoilt)))]  # a short row
        out_rows.append(spoilt)
        if draw(st.integers(0, 9)) == 0:
            out_rows.append(spoilt)  # the same row twice
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))

    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value

    text = newline.join(",".join(quote(v) for v in line) for line in [out_header, *out_rows]) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    return draw(st.one_of(st.just(data), st.just(data), st.binary(max_size=200), st.just(b""), st.just(data[:-7])))


def _check_messages(err: str, paths: set[str]) -> list[tuple[str, int, str]]:
    """Every line of stderr is a located problem (or the progress line); returns them."""
    found = []
    for line in err.splitlines():
        if not line.strip() or line.endswith("rows read…") or line.startswith(("There is no", "0 errors")):
            continue
        if re.match(r"^\d+ errors: see the lines above$", line):
            continue
        match = PROBLEM.match(line)
        assert match, f"not a located problem: {line!r}"
        assert match["path"] in paths
        found.append((match["path"], int(match["line"]), match["column"].strip()))
    return found


def _lines(data: bytes) -> list[str]:
    """The file's physical lines as the importer counts them (for finding the child of a problem)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").splitlines()


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
    @given(header=csv_file(HEADER_903, header_rows()), episodes=csv_file(EPISODES_903, episode_rows()))
    def check(header, episodes):
        h, e = tmp_path / "header.csv", tmp_path / "episodes.csv"
        h.write_bytes(header)
        e.write_bytes(episodes)
        with transaction.atomic():
            status, out, err = run("import_903", h, e, "--authority", "201")
            assert status in (0, 1)
            problems = _check_messages(err, {str(h), str(e)})
            assert (status == 1) == bool(problems) or "rejected" in out
            # A child on a line with a problem was not written at all.
            for path, line, _column in problems:
                data = header if path == str(h) else episodes
                lines = _lines(data)
                if 1 < line <= len(lines):
                    key = lines[line - 1].split(",")[0].strip().strip('"')
                    if key in ("C1", "C2"):
                        assert not Child.objects.filter(local_id=key).exists(), (path, line, err)
            for child in Child.objects.all():
                assert child.placements.exists() or True  # created children are whole: see below
                assert child.local_authority_id == authority.pk
            transaction.set_rollback(True)

    check()


def test_import_903_reports_a_child_with_a_date_that_is_no_date(tmp_path, authority):
    """Not left to chance: whichever row's DECOM is spoilt, that child is reported and not written, the other is."""

    @FUZZ
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
    @given(data=csv_file(ENROLMENTS, rows))
    def check(data):
        path = tmp_path / "enrolments.csv"
        path.write_bytes(data)
        with transaction.atomic():
            status, out, err = run("import_enrolments", path, "--authority", "201")
            assert status in (0, 1)
            problems = _check_messages(err, {str(path)})
            if problems:  # the child's rows are wrong somewhere: it keeps the enrolments it had (none)
                assert status == 1
                if any(line > 1 for _, line, _ in problems):
                    assert not Enrolment.objects.exists() or status == 1
            transaction.set_rollback(True)

    check()


def test_import_gias_survives_any_file(tmp_path):
    rows = [
        ["100001", "201", "Borough 201", "2001", "Oak Primary", "Community school", "Open", "Primary", "4", "11", ""],
        ["100002", "201", "Borough 201", "4001", "Elm", "Academy converter", "Open", "Secondary", "11", "16", ""],
    ]

    @FUZZ
    @given(data=csv_file(GIAS_HEADER, rows))
    def check(data):
        path = tmp_path / "gias.csv"
        path.write_bytes(data)
        with transaction.atomic():
            status, out, err = run("import_gias", path)
            assert status in (0, 1)
            problems = _check_messages(err, {str(path)})
            lines = _lines(data)
            for _, line, _ in problems:  # a school on a wrong line is not written
                if 1 < line <= len(lines):
                    urn = lines[line - 1].split(",")[0].strip().strip('"')
                    if urn in ("100001", "100002") and [r for r in rows if r[0] == urn]:
                        assert not School.objects.filter(urn=urn).exists() or status == 1
            transaction.set_rollback(True)

    check()


def test_calendar_import_page_survives_any_file(world, client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sign_in(client, world.vs_admin)
    url = reverse("clock:import")
    rows = [["term", "autumn", "01/09/2026", "18/12/2026"], ["holiday", "Half-term", "2026-10-26", "2026-10-30"]]

    @FUZZ
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
