"""Reading terms and holidays from a CSV file, as councils publish them or keep them in a spreadsheet.

Columns: ``type`` (term or holiday), ``name``, ``starts_on``, ``ends_on``; dates
as 02/09/2026 or 2026-09-02. Every problem is reported with its line and column,
so the admin can fix the file in one go; the import writes nothing unless every
row is right (``services.add_entries`` is all or nothing).
"""

import codecs
import csv
import datetime
import io
from dataclasses import dataclass

from openpep.cells import formula_problem, why_not_text
from openpep.people.models import LocalAuthority

from .enums import EntryType, TermName
from .models import Holiday, Term
from .services import Entry, problems

COLUMNS = ("type", "name", "starts_on", "ends_on")
#: The import page's example file (a test imports it).
EXAMPLE = (
    ("term", "Autumn", "01/09/2026", "18/12/2026"),
    ("holiday", "October half-term", "26/10/2026", "30/10/2026"),
    ("holiday", "INSET day", "2026-09-01", "2026-09-01"),
)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
MAX_NAME = Holiday._meta.get_field("name").max_length


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return f"Line {self.line}, column {self.column}: {self.message}"


def decode(data: bytes) -> str:
    """UTF-8 with or without the byte-order mark Excel writes, UTF-16 with its byte-order mark
    (Excel's "Unicode text"); otherwise Windows-1252, which is what Excel's plain "CSV (Comma
    delimited)" saves on a council laptop. A byte that is no character becomes U+FFFD, which
    the row's checks refuse."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_calendar(authority: LocalAuthority, text: str) -> tuple[list[Entry], list[RowError]]:
    """The terms and holidays in ``text`` (unsaved), and every error found, by line.
    Entries are only worth saving when there are no errors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    columns = [name.strip().lower() for name in header or []]
    missing = [name for name in COLUMNS if name not in columns]
    if missing:
        message = "The first line must name the columns type, name, starts_on, ends_on"
        return [], [RowError(1, name, message) for name in missing]
    position = {name: columns.index(name) for name in COLUMNS}  # extra columns are ignored
    entries, errors, lines = [], [], {}
    while True:
        line = reader.line_num + 1  # where the row starts: reader.line_num is where it ends
        try:
            row = next(reader, None)
        except csv.Error as error:  # a field over the csv module's limit: the form's size limit keeps it out
            return [], [RowError(reader.line_num, "type", f"This line cannot be read: {error}")]
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i] if i < len(row) else "").strip() for name, i in position.items()}
        if reader.line_num > line:
            column = next((name for name, value in values.items() if "\n" in value or "\r" in value), "type")
            errors.append(RowError(line, column, "A quote opens here and is not closed, or a value runs over lines"))
            continue
        entry, row_errors = _entry(values, line)
        errors.extend(row_errors)
        if entry is not None:
            entry.local_authority = authority
            entries.append(entry)
            lines[id(entry)] = line
    for entry, field, message in problems(authority, entries):
        errors.append(RowError(lines[id(entry)], field, message))
    return entries, sorted(errors, key=lambda error: (error.line, COLUMNS.index(error.column)))


def _entry(values: dict[str, str], line: int) -> tuple[Entry | None, list[RowError]]:
    errors = [RowError(line, column, f"This {why}") for column, value in values.items() if (why := why_not_text(value))]
    if errors:
        return None, errors
    kind = values["type"].lower()
    if kind not in EntryType.values:
        errors.append(RowError(line, "type", f"Enter term or holiday, not ‘{values['type']}’"))
    name = values["name"]
    if kind == EntryType.TERM:
        if name.lower() not in TermName.values:
            errors.append(RowError(line, "name", f"A term's name must be Autumn, Spring or Summer, not ‘{name}’"))
        name = name.lower()
    elif not name:
        errors.append(RowError(line, "name", "Enter the holiday's name, for example October half-term"))
    elif len(name) > MAX_NAME:
        errors.append(RowError(line, "name", f"A holiday's name must be {MAX_NAME} characters or fewer"))
    elif why := formula_problem(name):
        errors.append(RowError(line, "name", f"A holiday's name must not be a formula: it {why}"))
    dates = {}
    for column in ("starts_on", "ends_on"):
        dates[column] = parse_date(values[column])
        if dates[column] is None:
            errors.append(RowError(line, column, f"Enter a date like 02/09/2026 or 2026-09-02, not ‘{values[column]}’"))
    if errors:
        return None, errors
    model = Term if kind == EntryType.TERM else Holiday
    return model(name=name, starts_on=dates["starts_on"], ends_on=dates["ends_on"]), []


def parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
