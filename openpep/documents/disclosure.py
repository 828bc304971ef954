"""What never leaves OpenPEP in a document: carers' and placements' details.

Placements (type, legal status, carer, dates) are social care's business: no PDF
shows them, and the subject-access export carries the carer's name only when a
Virtual School officer ticks "include carer details" and gives a reason.

Carers' names can also reach free text (Section C's "carer's views", the
meeting's notes or its list of attendees), so every document is also scrubbed of
the names of the child's carers, as recorded on their placements: an exact,
case-insensitive match of the whole name. That is a safety net, not a promise:
a carer called by a first name only in a note is not caught."""

import re

from django.utils.html import escape

WITHHELD = "[carer's name withheld]"
#: Shorter names would match ordinary words.
MIN_LENGTH = 4


def carer_names(placements) -> list[str]:
    """The distinct carer names of ``placements``, longest first (so a longer name wins over a part of it)."""
    names = {p.carer_name.strip() for p in placements if len(p.carer_name.strip()) >= MIN_LENGTH}
    return sorted(names, key=len, reverse=True)


def _pattern(names: list[str], *, html: bool) -> re.Pattern | None:
    forms = set()
    for name in names:
        forms.add(re.escape(name))
        if html:
            forms.add(re.escape(str(escape(name))))
    if not forms:
        return None
    return re.compile("|".join(sorted(forms, key=len, reverse=True)), re.IGNORECASE)


def redact_text(text: str, names: list[str]) -> str:
    pattern = _pattern(names, html=False)
    return pattern.sub(WITHHELD, text) if pattern else text


def redact_html(html: str, names: list[str]) -> str:
    """``html`` with every carer name, as typed or as the template escaped it, withheld."""
    pattern = _pattern(names, html=True)
    return pattern.sub(str(escape(WITHHELD)), html) if pattern else html


def scrub(value, names: list[str]):
    """``value`` (JSON-like data) with every carer name in its strings withheld."""
    pattern = _pattern(names, html=False)
    if pattern is None:
        return value

    def walk(item):
        if isinstance(item, str):
            return pattern.sub(WITHHELD, item)
        if isinstance(item, dict):
            return {key: walk(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [walk(inner) for inner in item]
        return item

    return walk(value)
