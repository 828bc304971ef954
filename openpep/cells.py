"""What a cell read from a file (a CSV import) may hold, for every import alike."""

import re

#: What makes a spreadsheet run a cell as a formula (OWASP's list): refused in text that is stored,
#: as it would come back out in a CSV or XLSX export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: C0 and C1 control characters but tab and line breaks (a quoted value may run over lines). Not
#: ``str.isprintable``, which also refuses a no-break space, common in names typed in Word or Excel.
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def why_not_text(value: str) -> str | None:
    """Why a value read from a file cannot be text, if it cannot: a NUL (PostgreSQL refuses it in
    text), a byte that decoded to no character (U+FFFD), or another control character."""
    if "\x00" in value:
        return "holds a NUL byte: this is not text"
    if "\ufffd" in value:
        return "holds a byte that is not a character in UTF-8 or Windows-1252: save the file as CSV UTF-8"
    if CONTROL.search(value):
        return "holds a control character: this is not text"
    return None


def formula_problem(value: str) -> str | None:
    if value.startswith(FORMULA_STARTS):
        return f"starts with {value[0]!r}, which a spreadsheet would run as a formula"
    return None
