"""Every import is fed the hostile files (issue point 7).

The import commands (``import_gias``, ``import_903``, ``import_enrolments``, ``import_attendance``) and the school
calendar's CSV import page each get: fields over the csv module's limit and over the model's column,
a field of 10 MB, the wrong encoding, binary data (random bytes, a PNG, a ZIP), NUL bytes, an empty
file, only a header, a missing file, a directory, a huge number of columns, CSV injection, very long
lines and mismatched quotes.

The files have a good row, the hostile row and another good row (lines 2, 3 and 4). Whatever the
file: no traceback; every line of the command's stderr is ``FILE:LINE: column NAME: message`` or a
one-line ``FILE: message``; the hostile row is reported by its line; the good rows are imported and
nothing of the hostile row is written. The calendar page (all or nothing by design) answers the form
again with the line and column, keeps nothing of the file, and never a 500. ``manage.py restore``,
the one other import of a file, refuses every archive that is not a backup in one line, writing
nothing. (The PEP exchange's JSON import has its own suite.)
"""

import csv
import datetime
import gzip
import io
import json
import random
import re
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from stdnum.gb import upn as upn_checker

from openpep.attendance.models import AttendanceDay
from openpep.children.models import Child, Enrolment
from openpep.clock.models import Holiday, Term
from openpep.people.models import LocalAuthority, School
from synthetic.files import ENROLMENTS, EPISODES_903, GIAS_HEADER, HEADER_903
from tests.backups.test_backup_restore import empty_the_database
from tests.fixtures import sign_in
from tests.imports.conftest import run

pytestmark = pytest.mark.django_db

CSV_LIMIT = csv.field_size_limit()
LOCATED = re.compile(r"^(?P<path>\S+):(?P<line>\d+): column (?P<column>[^:]+): .+$")
FILE_LEVEL = re.compile(r"^(?P<path>\S+): [^:].+$")
LATIN1_MARK = "\ue000"  # replaced by the byte 0x81: Latin-1 (a C1 control), undefined in Windows-1252
QUOTE_MARK = "\ue001"  # replaced by an opening quote that is never closed
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Importer:
    name: str
    header: list[str]
    row: Callable[[str], list[str]]
    keys: tuple[str, str, str]  # the good row, the hostile row, the other good row
    spoil: str  # the column that gets the hostile value
    text: dict[str, int]  # stored free-text columns and their model's max_length
    run: Callable[[Path], tuple[int, str, str]]
    written: Callable[[], set[str]]


def _gias() -> Importer:
    def row(urn):
        return [
            urn,
            "201",
            "Borough 201",
            "2001",
            f"School {urn}",
            "Community school",
            "Open",
            "Primary",
            "4",
            "11",
            "",
        ]

    return Importer(
        "import_gias",
        GIAS_HEADER,
        row,
        ("200001", "200002", "200003"),
        "EstablishmentName",
        {
            "EstablishmentName": School._meta.get_field("name").max_length,
            "LA (name)": LocalAuthority._meta.get_field("name").max_length,
        },
        lambda path: run("import_gias", path),
        lambda: set(School.objects.values_list("urn", flat=True)),
    )


def _903(tmp_path: Path) -> Importer:
    keys = ("H1", "H2", "H3")

    def run_903(path):
        episodes = tmp_path / "episodes.csv"
        rows = [[key, "01/02/2019", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""] for key in keys]
        episodes.write_text("\r\n".join(",".join(r) for r in [EPISODES_903, *rows]) + "\r\n")
        return run("import_903", path, episodes, "--authority", "201")

    return Importer(
        "import_903",
        HEADER_903,
        lambda key: [key, "1", "03/04/2012", "WBRI", "", "", ""],
        keys,
        "ETHNIC",
        {"CHILD": Child._meta.get_field("local_id").max_length},
        run_903,
        lambda: set(Child.objects.values_list("local_id", flat=True)),
    )


def _903_episodes(tmp_path: Path) -> Importer:
    """The same import, the hostile file given as the Episodes table."""
    keys = ("E1", "E2", "E3")

    def run_903(path):
        header = tmp_path / "header.csv"
        header.write_text(_text(HEADER_903, [[key, "1", "03/04/2012", "WBRI", "", "", ""] for key in keys]))
        return run("import_903", header, path, "--authority", "201")

    return Importer(
        "import_903 (Episodes)",
        EPISODES_903,
        lambda key: [key, "01/02/2019", "S", "C2", "N1", "U4", "PR1", "", "", "", "", "", ""],
        keys,
        "PLACE_PROVIDER",
        {"CHILD": Child._meta.get_field("local_id").max_length},
        run_903,
        lambda: set(Child.objects.values_list("local_id", flat=True)),
    )


def _enrolments() -> Importer:
    authority = LocalAuthority.objects.get(code="201")
    School.objects.create(urn="100001", name="Oak", phase="primary", local_authority=authority)
    for key in ("C1", "C2", "C3"):
        Child.objects.create(
            local_authority=authority,
            local_id=key,
            first_name="Sam",
            last_name=key,
            date_of_birth=datetime.date(2014, 1, 1),
            gender="1",
            care_start_date=datetime.date(2020, 1, 1),
        )
    return Importer(
        "import_enrolments",
        ENROLMENTS,
        lambda key: [key, "100001", "01/09/2021", ""],
        ("C1", "C2", "C3"),
        "END DATE",
        {"CHILD": Child._meta.get_field("local_id").max_length},
        lambda path: run("import_enrolments", path, "--authority", "201"),
        lambda: set(Enrolment.objects.values_list("child__local_id", flat=True)),
    )


def _attendance() -> Importer:
    """One session of three children: the hostile value goes in the CODE column."""
    authority = LocalAuthority.objects.get(code="201")
    school = School.objects.get_or_create(
        urn="100009", defaults={"name": "Ash", "phase": "primary", "local_authority": authority}
    )[0]
    upns = [upn_checker.calc_check_digit(f"909210126{n:03d}") + f"909210126{n:03d}" for n in (1, 2, 3)]
    for n, pupil in enumerate(upns):
        Child.objects.create(
            local_authority=authority,
            local_id=f"A{n}",
            upn=pupil,
            first_name="Sam",
            last_name=f"A{n}",
            date_of_birth=datetime.date(2014, 1, 1),
            gender="1",
            care_start_date=datetime.date(2020, 1, 1),
        )
    return Importer(
        "import_attendance",
        ["UPN", "URN", "DATE", "SESSION", "CODE"],
        lambda key: [key, school.urn, "16/11/2026", "AM", "/"],
        tuple(upns),
        "CODE",
        {},
        lambda path: run("import_attendance", path, "--authority", "201"),
        lambda: set(AttendanceDay.objects.values_list("child__upn", flat=True)),
    )


def _text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue()


def _encode(text: str, encoding: str = "utf-8") -> bytes:
    data = text.replace(QUOTE_MARK, '"unclosed').encode(encoding)
    return data.replace(LATIN1_MARK.encode(encoding), b"\x81")


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("schools.csv", "URN\r\n100001\r\n")
    return out.getvalue()


# What each hostile file is expected to do: "row" (line 3 reported; lines 2 and 4 imported), "rest"
# (line 3 reported; an unclosed quote swallows what follows), "all" (every row imported), "file" (one
# problem about the file; nothing imported), "none" (nothing to import, nothing wrong).
def hostile_files(importer: Importer) -> list[tuple[str, str, str, bytes | None]]:
    """(kind of thing tried, description, expectation, bytes — None for a path that is no file)."""
    a, b, c = importer.keys
    header = importer.header

    def spoilt(value: str, column: str | None = None, key: str = b) -> list[str]:
        row = importer.row(key)
        row[header.index(column or importer.spoil)] = value
        return row

    def three(value: str, column: str | None = None) -> str:
        return _text(header, [importer.row(a), spoilt(value, column), importer.row(c)])

    good = _text(header, [importer.row(k) for k in importer.keys])
    files = [
        ("oversized fields", "a field over the csv module's limit", "row", _encode(three("x" * (CSV_LIMIT + 1)))),
        ("oversized fields", "a field of 10 MB", "row", _encode(three("x" * 10_000_000))),
        ("wrong encoding", "UTF-16 with a byte-order mark", "all", good.encode("utf-16")),
        ("wrong encoding", "UTF-16 without a byte-order mark", "file", good.encode("utf-16-le")),
        ("wrong encoding", "a Latin-1 byte undefined in Windows-1252", "row", _encode(three(f"Caf{LATIN1_MARK}"))),
        ("binary data", "random bytes", "file", random.Random(15).randbytes(4096)),
        ("binary data", "a PNG", "file", PNG),
        ("binary data", "a ZIP", "file", _zip()),
        ("NUL bytes", "a NUL byte in a field", "row", _encode(three("a\x00b"))),
        ("empty or absent files", "an empty file", "file", b""),
        ("empty or absent files", "only a header", "none", _encode(_text(header, []))),
        ("empty or absent files", "a missing file", "file", None),
        ("empty or absent files", "a directory", "file", None),
        (
            "huge number of columns",
            "20,000 columns",
            "all",
            _encode(
                _text(
                    header + [f"X{n}" for n in range(20_000)], [importer.row(k) + ["y"] * 20_000 for k in importer.keys]
                )
            ),
        ),
        (
            "oversized fields",
            "a header cell over the csv module's limit",
            "file",
            _encode(_text([*header, "H" * (CSV_LIMIT + 1)], [])),
        ),
        (
            "very long lines",
            "a line of 1 MB in 500,000 cells",
            "all",
            _encode(_text(header, [importer.row(a), importer.row(b) + ["y"] * 500_000, importer.row(c)])),
        ),
        ("mismatched quotes", "a quote opened and never closed", "rest", _encode(three(QUOTE_MARK))),
    ]
    for column, max_length in importer.text.items():
        files.append(
            (
                "oversized fields",
                f"{column} over the model's {max_length}",
                "row",
                _encode(three("x" * (max_length + 1), column)),
            )
        )
        formula = "=1+cmd|' /C calc'!A0"[:max_length]
        files.append(("CSV injection", f"{column} starting with =", "row", _encode(three(formula, column))))
        files.append(("CSV injection", f"{column} starting with @", "row", _encode(three("@SUM(1+1)", column))))
    return files


def _importers(tmp_path):
    LocalAuthority.objects.create(code="201", name="Borough 201")
    return [_gias(), _903(tmp_path), _903_episodes(tmp_path), _enrolments(), _attendance()]


def _check_stderr(err: str, path: Path) -> list[tuple[str, int | None]]:
    """Every line is a located problem or one line about the file; returns (path, line) of each."""
    found = []
    for line in err.splitlines():
        if not line.strip() or re.fullmatch(r"\d+ errors: see the lines above", line):
            continue
        assert len(line) < 1000, f"a message echoes the hostile value: {line[:200]!r}…"
        if match := LOCATED.match(line):
            found.append((match["path"], int(match["line"])))
        else:
            match = FILE_LEVEL.match(line)
            assert match, f"not a located problem: {line[:200]!r}"
            found.append((match["path"], None))
    return found


def test_every_import_command_survives_every_hostile_file(tmp_path, tally):
    importers = _importers(tmp_path)
    for importer in importers:
        for kind, description, expected, data in hostile_files(importer):
            path = tmp_path / "hostile.csv"
            if path.is_dir():
                path.rmdir()
            elif path.exists():
                path.unlink()
            if description == "a directory":
                path.mkdir()
            elif data is not None:
                path.write_bytes(data)
            before = importer.written()
            what = f"{importer.name}, {description}"

            status, _, err = importer.run(path)  # anything but CommandError would fail here

            problems = _check_stderr(err, path)
            written = importer.written() - before
            a, b, c = importer.keys
            if expected == "row":
                assert status == 1, what
                assert (str(path), 3) in problems, f"{what}: line 3 not reported:\n{err[:2000]}"
                assert written == {a, c}, f"{what}: wrote {written}\n{err[:2000]}"
            elif expected == "rest":
                assert status == 1, what
                assert (str(path), 3) in problems, f"{what}: line 3 not reported:\n{err[:2000]}"
                assert written == {a}, f"{what}: wrote {written}"
            elif expected == "all":
                assert (status, problems) == (0, []), f"{what}:\n{err[:2000]}"
                assert written == {a, b, c}, what
            elif expected == "file":
                assert status == 1, what
                assert len(problems) >= 1 and all(p == str(path) for p, _ in problems), f"{what}:\n{err[:2000]}"
                assert written == set(), what
            else:  # nothing wrong in the file (903's Episodes then name children it lacks)
                assert [p for p in problems if p[0] == str(path)] == [], f"{what}:\n{err[:2000]}"
                assert written == set(), what
            # Clean slate for the next file, so a row written by one file cannot hide another's.
            School.objects.filter(urn__in=importer.keys).delete()
            Enrolment.objects.all().delete()
            AttendanceDay.objects.all().delete()
            if importer.name.startswith("import_903"):
                Child.objects.filter(local_id__in=importer.keys).delete()
            tally(f"hostile files: {kind}", 1)
    tally("hostile files: importers fed", len(importers))


def test_calendar_import_page_survives_every_hostile_file(world, client, tally):
    """The page's import is all or nothing: any hostile row sends the form back with its line, nothing kept."""
    sign_in(client, world.vs_admin)
    url = reverse("clock:import")
    max_name = Holiday._meta.get_field("name").max_length
    header = ["type", "name", "starts_on", "ends_on"]
    a = ["term", "autumn", "01/09/2026", "18/12/2026"]
    c = ["term", "spring", "04/01/2027", "26/03/2027"]

    def holiday(name):
        return ["holiday", name, "26/10/2026", "30/10/2026"]

    def three(name):
        return _text(header, [a, holiday(name), c])

    good = _text(header, [a, holiday("Half-term"), c])
    files = [
        (
            "oversized fields",
            "a field over the csv module's limit",
            _encode(three("x" * (CSV_LIMIT + 1))),
            "smaller than",
        ),
        ("oversized fields", "a field of 10 MB", _encode(three("x" * 10_000_000)), "smaller than"),
        (
            "oversized fields",
            "a name over the model's column",
            _encode(three("x" * (max_name + 1))),
            "Line 3, column name",
        ),
        ("wrong encoding", "UTF-16 with a byte-order mark", good.encode("utf-16"), None),
        ("wrong encoding", "UTF-16 without a byte-order mark", good.encode("utf-16-le"), "first line"),
        (
            "wrong encoding",
            "a Latin-1 byte undefined in Windows-1252",
            _encode(three(f"Caf{LATIN1_MARK}")),
            "Line 3, column name",
        ),
        ("binary data", "random bytes", random.Random(15).randbytes(4096), "first line"),
        ("binary data", "a PNG", PNG, "first line"),
        ("binary data", "a ZIP", _zip(), "first line"),
        ("NUL bytes", "a NUL byte in a field", _encode(three("a\x00b")), "Line 3, column name"),
        ("empty or absent files", "an empty file", b"", "The selected file is empty"),
        ("empty or absent files", "only a header", _encode(_text(header, [])), "no terms or holidays"),
        (
            "huge number of columns",
            "2,000 columns of a 1-character name each",
            _encode(_text(header + ["x"] * 2000, [a])),
            None,
        ),
        ("CSV injection", "a name starting with =", _encode(three("=cmd|' /C calc'!A0")), "Line 3, column name"),
        ("CSV injection", "a name starting with @", _encode(three("@SUM(1+1)")), "Line 3, column name"),
        ("very long lines", "a line of 90 KB", _encode(_text(header, [a + ["y"] * 45_000])), None),
        ("mismatched quotes", "a quote opened and never closed", _encode(three(QUOTE_MARK)), "Line 3"),
    ]
    for kind, description, data, error in files:
        response = client.post(url, {"file": SimpleUploadedFile("calendar.csv", data, "text/csv")})
        page = response.content.decode()
        if error is None:  # nothing hostile to the page in it: imported
            assert response.status_code == 302, description
        else:
            assert response.status_code == 200, description
            assert 'class="govuk-error-summary"' in page, description
            assert error in page, f"{description}: {re.findall(r'govuk-error-message.*?</p>', page, re.S)}"
            assert len(page) < 200_000, f"{description}: the page echoes the file"
            assert not Term.objects.exists() and not Holiday.objects.exists(), description
        Term.objects.all().delete()
        Holiday.objects.all().delete()
        tally(f"hostile files: {kind}", 1)
    response = client.post(url, {"file": ""})  # the form sent with no file chosen
    assert response.status_code == 200 and "Select a CSV file" in response.content.decode()
    tally("hostile files: empty or absent files", 1)


def _tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return out.getvalue()


def _manifest(**changes) -> bytes:
    manifest = {
        "format": 1,
        "engine": connection.vendor,
        "database_file": "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump",
        "created_at": "2026-12-02T15:00:00+00:00",
        "tables": {},
        "documents": {},
    }
    return json.dumps(manifest | changes).encode()


def test_restore_refuses_every_hostile_archive_in_one_line_and_writes_nothing(
    transactional_db, settings, tmp_path, tally
):
    """``manage.py restore`` is the one other import of a file: an archive made by ``backup``."""
    documents = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": str(documents)}},
    }
    database = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    archives = [
        ("binary data", "random bytes", random.Random(15).randbytes(4096)),
        ("binary data", "a PNG", PNG),
        ("binary data", "a ZIP", _zip()),
        ("empty or absent files", "an empty file", b""),
        ("wrong format", "a CSV", b"URN,name\r\n100001,Oak\r\n"),
        ("wrong format", "a gzip that is no tar", gzip.compress(b"hello")),
        ("wrong format", "a tar.gz without a manifest", _tar_gz({"readme.txt": b"hello"})),
        ("wrong format", "a manifest that is not JSON", _tar_gz({"manifest.json": b"{not json"})),
        ("wrong format", "a manifest that is a list", _tar_gz({"manifest.json": b"[]"})),
        ("wrong format", "a manifest with only its format", _tar_gz({"manifest.json": b'{"format": 1}'})),
        ("NUL bytes", "a manifest of NULs", _tar_gz({"manifest.json": b"\x00" * 64})),
        (
            "path traversal",
            "a database file outside the archive",
            _tar_gz({"manifest.json": _manifest(database_file="../../../../etc/passwd")}),
        ),
        (
            "path traversal",
            "a document outside the documents folder",
            _tar_gz({"manifest.json": _manifest(documents={"../escaped.txt": "0" * 64}), database: b""}),
        ),
        (
            "wrong format",
            "a database file that is no database",
            _tar_gz({"manifest.json": _manifest(), database: b"not a database" * 100}),
        ),
    ]
    empty_the_database()
    try:
        for kind, description, data in archives:
            path = tmp_path / "hostile.tar.gz"
            path.write_bytes(data)

            with pytest.raises(CommandError) as refused:  # anything else is a traceback
                call_command("restore", str(path), stdout=io.StringIO(), stderr=io.StringIO())

            message = str(refused.value)
            assert "\n" not in message and len(message) < 400, f"{description}: {message[:400]!r}"
            with connection.cursor() as cursor:
                assert connection.introspection.table_names(cursor) == [], description
            assert not documents.exists() or not any(documents.rglob("*")), description
            assert not (tmp_path / "escaped.txt").exists(), description
            tally(f"hostile files: {kind}", 1)
    finally:
        call_command("migrate", verbosity=0)  # the schema back, for the flush after the test
    tally("hostile files: importers fed", 1)
