"""What a cell read from a file (a CSV import) may hold, for every import alike."""

#: What makes a spreadsheet run a cell as a formula (OWASP's list): refused in text that is stored,
#: as it would come back out in a CSV or XLSX export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def why_not_text(value: str) -> str | None:
    """Why a value read from a file cannot be text, if it cannot: a NUL (PostgreSQL refuses it in
    text), a byte that decoded to no character (U+FFFD), or another control character."""
    if "\x00" in value:
        return "holds a NUL byte: this is not text"
    if "\ufffd" in value:
        return "holds a byte that is not a character in UTF-8 or Windows-1252: save the file as CSV UTF-8"
    if any(not c.isprintable() and c not in "\t\r\n" for c in value):
        return "holds a control character: this is not text"
    return None


def formula_problem(value: str) -> str | None:
    if value.startswith(FORMULA_STARTS):
        return f"starts with {value[0]!r}, which a spreadsheet would run as a formula"
    return None
