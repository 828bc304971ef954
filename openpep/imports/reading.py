"""Reading the councils' and the DfE's CSV files: one row at a time, whatever the encoding.

Every problem is a ``Problem`` printed as ``FILE:LINE: column NAME: message``, the form
editors and CI logs understand, followed by ``(DfE rule CODE)`` when it is one of the DfE's
validation rules for the file (``dfe_rules.py``).
"""

import codecs
import csv
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from openpep.cells import formula_problem, why_not_text

PROGRESS_EVERY = 5000


#: A problem about the whole file (missing, binary, unreadable) has no line and no column.
FILE = 0
#: However long the value a message quotes, the message stays one short line.
MESSAGE_LIMIT = 300
#: Files that are plainly not CSV, by their first bytes.
SIGNATURES = {
    b"PK\x03\x04": "a ZIP file (an Excel workbook?)",
    b"PK\x05\x06": "a ZIP file",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF",
    b"\x1f\x8b": "a gzip file",
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: str
    message: str
    #: The code of the DfE validation rule this problem is, if it is one (the 903 import's).
    rule: str = ""

    def __str__(self):
        # One problem, one line: a value quoted in the message may hold a line break or a NUL.
        message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
        if len(message) > MESSAGE_LIMIT:
            message = message[:MESSAGE_LIMIT] + "…"
        if self.rule:
            message += f" (DfE rule {self.rule})"
        if self.line == FILE:
            return f"{self.path}: {message}"
        return f"{self.path}:{self.line}: column {self.column}: {message}"


@dataclass(frozen=True)
class Change:
    """A record an import changed, or in a dry run would change, and which of the file's columns changed it:
    ``FILE:LINE: child ID: UPN, Forename updated``. Values are not repeated (the audit keeps them)."""

    path: str
    line: int
    what: str
    columns: tuple[str, ...]
    dry_run: bool = False

    def said(self) -> str:
        return f"{self.what}: {', '.join(self.columns)} {'would be updated' if self.dry_run else 'updated'}"

    def __str__(self):
        return f"{self.path}:{self.line}: {self.said()}"


class HeaderProblem(Exception):
    """The file cannot be read at all (empty, or a required column missing): nothing is imported."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Report:
    """What an import did (or, in a dry run, would do)."""

    name: str
    dry_run: bool = False
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    extra: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: Existing records whose own details the file changed (or would): the wider cohort's imports say so.
    changes: list[Change] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.rejected or self.problems)

    def summary(self, unit: str) -> str:
        text = (
            f"{self.name}{' (dry run: nothing written)' if self.dry_run else ''}: {self.read} {unit} read, "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.skipped:
            text += f", {self.skipped} skipped"
        for name, value in self.extra.items():
            text += f"; {name} {value}"
        return text


def detect_encoding(path: str) -> str:
    """UTF-8 with or without a BOM, UTF-16 with its BOM (Excel's "Unicode text"), else
    Windows-1252 (GIAS's own export). Raises ``HeaderProblem`` for a file that is plainly
    not CSV (a workbook, an image…) and ``OSError`` for one that cannot be opened."""
    with open(path, "rb") as raw:
        start = raw.read(8)
        for signature, what in SIGNATURES.items():
            if start.startswith(signature):
                raise HeaderProblem([Problem(path, FILE, "", f"is {what}, not a CSV file: save it as CSV UTF-8")])
        if start.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        raw.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := raw.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", " ", name.strip()).upper()


class _Lines:
    """The file's lines, counted, keeping those of the record being read: a record the csv
    module refuses is read again from them, and is reported at the line where it starts."""

    def __init__(self, text):
        self.text = text
        self.count = 0
        self.record: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.text)
        self.count += 1
        self.record.append(line)
        return line


# A field as the excel dialect writes it: quoted (with "" for a quote), or up to the next comma.
_FIELD = re.compile(r'"([^"]*(?:""[^"]*)*)"[^,]*|([^,]*)')


def _split(raw: str) -> list[str]:
    """The fields of a record the csv module refused (a field over its limit), read without one."""
    raw = raw.rstrip("\r\n")
    fields, position = [], 0
    while True:
        match = _FIELD.match(raw, position)
        quoted, plain = match.groups()
        fields.append(quoted.replace('""', '"') if quoted is not None else plain)
        position = match.end()
        if position >= len(raw) or raw[position] != ",":
            return fields
        position += 1


def read_csv(
    path: str,
    columns: dict[str, tuple[str, ...]],
    required: list[str],
    progress: Callable[[str, int], None] | None = None,
    *,
    text: dict[str, int] | None = None,
) -> Iterator[tuple[int, dict[str, str], list[Problem]]]:
    """Yield ``(line number, {column: stripped value}, problems)`` for each non-blank row.

    ``columns`` maps each column's name to other names it may go by; headers match
    ignoring case, spaces and underscores. ``text`` names the columns whose values are
    stored as text, with their model field's ``max_length``: a longer value, or one a
    spreadsheet would run as a formula, is a problem of its row. So is a field over the
    csv module's limit (its row is read again without the csv module, to know whose it
    is), a NUL or a byte that is no character, and a quote never closed. A row with
    problems is still yielded, so the import can reject what it belongs to. Raises
    ``HeaderProblem`` before the first row when the file is missing, not text, empty or
    lacks a required column; nothing raised carries a traceback to the user.
    """
    try:
        yield from _read(path, columns, required, progress, text or {})
    except OSError as error:
        reason = {
            FileNotFoundError: "there is no such file",
            IsADirectoryError: "is a directory, not a CSV file",
            PermissionError: "cannot be read: permission denied",
        }.get(type(error), f"cannot be read: {error.strerror or error}")
        raise HeaderProblem([Problem(path, FILE, "", reason)]) from None


def _read(path, columns, required, progress, text):
    encoding = detect_encoding(path)
    limit = csv.field_size_limit()
    # cp1252 leaves five bytes undefined: a stray one is a problem of its row, not of the file.
    with open(path, encoding=encoding, errors="replace", newline="") as stream:
        lines = _Lines(stream)
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
        except csv.Error:
            raise HeaderProblem(
                [Problem(path, FILE, "", f"the header row has a field longer than {limit} characters: is this CSV?")]
            ) from None
        if header is None or not any(cell.strip() for cell in header):
            raise HeaderProblem(
                [
                    Problem(
                        path, 1, required[0], f"the file is empty: expected a header row naming {', '.join(required)}"
                    )
                ]
            )
        if any(why_not_text(cell) for cell in header):
            raise HeaderProblem(
                [Problem(path, FILE, "", "is not CSV text (its first line holds binary data): save it as CSV UTF-8")]
            )
        positions = {}
        for i, cell in enumerate(header):
            positions.setdefault(_key(cell), i)
        index = {}
        for name, aliases in columns.items():
            for alias in (name, *aliases):
                if _key(alias) in positions:
                    index[name] = positions[_key(alias)]
                    break
        missing = [name for name in required if name not in index]
        if missing:
            found = ", ".join(cell.strip() for cell in header[:40])
            raise HeaderProblem(
                [Problem(path, lines.count, name, f"missing from the header row (found: {found})") for name in missing]
            )
        named = {i: name for name, i in index.items()}

        def column(i: int) -> str:
            return named.get(i) or (header[i].strip()[:40] if i < len(header) and header[i].strip() else f"{i + 1}")

        count = 0
        while True:
            lines.record = []
            line = lines.count + 1
            problems = []
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                row = _split("".join(lines.record))
                long = [i for i, cell in enumerate(row) if len(cell) > limit]
                for i in long or [0]:
                    message = f"is longer than {limit} characters" if long else f"cannot be read: {error}"
                    problems.append(Problem(path, line, column(i), message))
            if not problems and not any(cell.strip() for cell in row):
                continue
            if len(lines.record) > 1 and "".join(lines.record).count('"') % 2:
                i = next((i for i, cell in enumerate(row) if "\n" in cell or "\r" in cell), 0)
                problems.append(
                    Problem(path, line, column(i), "a quote opens here and is never closed: close it, or remove it")
                )
            values = {}
            for name, i in index.items():
                value = row[i].strip() if i < len(row) else ""
                if len(value) > limit:
                    value = ""  # reported above; too long to quote in any message
                elif (why := why_not_text(value)) is not None:
                    problems.append(Problem(path, line, name, why))
                elif name in text and len(value) > text[name]:
                    problems.append(Problem(path, line, name, f"is longer than {text[name]} characters"))
                elif name in text and (why := formula_problem(value)) is not None:
                    problems.append(Problem(path, line, name, why))
                values[name] = value
            count += 1
            yield line, values, problems
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(path, count)


def parse_date(value: str) -> datetime.date:
    """A date as the DfE files give it (dd/mm/yyyy) or as cleaned files do (yyyy-mm-dd)."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date: give dd/mm/yyyy or yyyy-mm-dd")
