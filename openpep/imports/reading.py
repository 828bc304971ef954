"""Reading the councils' and the DfE's CSV files: one row at a time, whatever the encoding.

Every problem is a ``Problem`` printed as ``FILE:LINE: column NAME: message``, the form
editors and CI logs understand.
"""

import codecs
import csv
import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

PROGRESS_EVERY = 5000


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: str
    message: str

    def __str__(self):
        # One problem, one line: a value quoted in the message may hold a line break or a NUL.
        message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in self.message)
        return f"{self.path}:{self.line}: column {self.column}: {message}"


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
    """UTF-8 with or without a BOM, else Windows-1252 (GIAS's own export)."""
    with open(path, "rb") as raw:
        if raw.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
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


def read_csv(
    path: str,
    columns: dict[str, tuple[str, ...]],
    required: list[str],
    progress: Callable[[str, int], None] | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line number, {column: stripped value})`` for each non-blank row.

    ``columns`` maps each column's name to other names it may go by; headers match
    ignoring case, spaces and underscores. Raises ``HeaderProblem`` before the first
    row when the file is empty or lacks a required column.
    """
    encoding = detect_encoding(path)
    # cp1252 leaves five bytes undefined; a stray one should not stop 50,000 rows.
    with open(path, encoding=encoding, errors="replace", newline="") as text:
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise HeaderProblem(
                [
                    Problem(
                        path, 1, required[0], f"the file is empty: expected a header row naming {', '.join(required)}"
                    )
                ]
            )
        positions = {_key(cell): i for i, cell in enumerate(header)}
        index = {}
        for name, aliases in columns.items():
            for alias in (name, *aliases):
                if _key(alias) in positions:
                    index[name] = positions[_key(alias)]
                    break
        missing = [name for name in required if name not in index]
        if missing:
            found = ", ".join(cell.strip() for cell in header)
            raise HeaderProblem(
                [
                    Problem(path, reader.line_num, name, f"missing from the header row (found: {found})")
                    for name in missing
                ]
            )
        count = 0
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            count += 1
            yield reader.line_num, {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
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
