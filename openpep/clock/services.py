"""Every write to an authority's calendar and timescales, each with its audit entry.

The checks that need other rows (terms do not overlap, a holiday lies inside a
term) live in ``problems``: forms and the import call it to show errors, and
the writes call it again inside their transaction, with the authority's row
locked so that two admins adding overlapping terms at once cannot both pass.
"""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.people.models import LocalAuthority, User

from .calendar import academic_year_of, long_date
from .enums import TermName
from .models import DATES_ORDERED, Holiday, Term, Timescales
from .signals import calendar_changed

Entry = Term | Holiday
Problem = tuple[Entry, str, str]  # the entry, the field at fault, the message

ENTRY_FIELDS = ["name", "starts_on", "ends_on"]


def problems(authority: LocalAuthority, entries: Sequence[Entry]) -> list[Problem]:
    """What is wrong with adding ``entries`` (unsaved terms and holidays) to the
    authority's calendar, judged against what is saved and against each other."""
    found: list[Problem] = []
    sound = []
    for entry in entries:
        if entry.ends_on < entry.starts_on:
            found.append((entry, "ends_on", DATES_ORDERED))
        elif isinstance(entry, Term) and academic_year_of(entry.ends_on) != academic_year_of(entry.starts_on):
            found.append((entry, "ends_on", "A term must end in the academic year it starts in (by 31 July)"))
        else:
            sound.append(entry)
    terms = list(authority.terms.all())
    for term in (entry for entry in sound if isinstance(entry, Term)):
        found.extend((term, field, message) for field, message in _term_clashes(term, terms))
        terms.append(term)
    holidays = list(authority.school_holidays.all())
    for holiday in (entry for entry in sound if isinstance(entry, Holiday)):
        if not any(term.starts_on <= holiday.starts_on and holiday.ends_on <= term.ends_on for term in terms):
            found.append(
                (holiday, "starts_on", "A school holiday must fall inside one term: enter the term's dates first")
            )
        for other in holidays:
            if _overlap(holiday, other):
                found.append((holiday, "starts_on", f"The dates overlap {other.name} ({_dates(other)})"))
                break
        holidays.append(holiday)
    return found


def _term_clashes(term: Term, terms: Iterable[Term]):
    year = academic_year_of(term.starts_on)
    for other in terms:
        if other.name == term.name and academic_year_of(other.starts_on) == year:
            yield "name", f"The {TermName(term.name).label} term of {year} is already entered"
        elif _overlap(term, other):
            yield "starts_on", f"The dates overlap the {other.span.label} ({_dates(other)})"


def _overlap(one: Entry, other: Entry) -> bool:
    return one.starts_on <= other.ends_on and other.starts_on <= one.ends_on


def _dates(entry: Entry) -> str:
    return f"{long_date(entry.starts_on)} to {long_date(entry.ends_on)}"


def _lock(authority: LocalAuthority) -> None:
    """Serialise writes to one authority's calendar, so that checks see every earlier write."""
    LocalAuthority.objects.select_for_update().filter(pk=authority.pk).first()


def _check(authority: LocalAuthority, entries: Sequence[Entry]) -> None:
    _lock(authority)
    found = problems(authority, entries)
    if found:
        raise ValidationError([message for _entry, _field, message in found])


def _record_added(actor: User | None, entry: Entry, how: str) -> None:
    record(
        actor,
        Verb.CREATED,
        entry,
        summary=f"{how} {entry.span.label if isinstance(entry, Term) else entry.name}: {_dates(entry)}",
        after=snapshot(entry, ENTRY_FIELDS),
    )


@transaction.atomic
def add_entry(actor: User | None, entry: Entry) -> Entry:
    """Add one term or holiday (``local_authority`` set) to its authority's calendar.

    Side effects: the entry is saved; one audit entry. Raises ValidationError
    when it clashes with the calendar (see ``problems``)."""
    _check(entry.local_authority, [entry])
    entry.save()
    _record_added(actor, entry, "Added")
    _recount_after_commit(entry.local_authority_id)
    return entry


@transaction.atomic
def add_entries(actor: User | None, authority: LocalAuthority, entries: Sequence[Entry], *, how="Imported") -> None:
    """Add many terms and holidays at once, all or nothing (the CSV import, the demo).

    Side effects: every entry is saved; one audit entry each. Raises
    ValidationError, writing nothing, when any entry has a problem."""
    for entry in entries:
        entry.local_authority = authority
    _check(authority, entries)
    for entry in entries:
        entry.save()
        _record_added(actor, entry, how)
    _recount_after_commit(authority.pk)


@transaction.atomic
def delete_term(actor: User, term: Term) -> None:
    """Delete a term and the holidays inside it, which mean nothing without it.

    Side effects: the rows are deleted; one audit entry each, written first so
    that each still names the row it describes."""
    _lock(term.local_authority)
    inside = Holiday.objects.filter(
        local_authority=term.local_authority, starts_on__gte=term.starts_on, ends_on__lte=term.ends_on
    )
    for holiday in inside:
        delete_holiday(actor, holiday, why=f" with the {term.span.label}", recount=False)
    record(actor, Verb.DELETED, term, summary=f"Deleted the {term.span.label}", before=snapshot(term, ENTRY_FIELDS))
    term.delete()
    _recount_after_commit(term.local_authority_id)


@transaction.atomic
def delete_holiday(actor: User, holiday: Holiday, *, why: str = "", recount: bool = True) -> None:
    """Delete a school holiday. Side effects: the row is deleted; one audit entry."""
    record(
        actor,
        Verb.DELETED,
        holiday,
        summary=f"Deleted the school holiday {holiday.name}{why}",
        before=snapshot(holiday, ENTRY_FIELDS),
    )
    holiday.delete()
    if recount:
        _recount_after_commit(holiday.local_authority_id)


@transaction.atomic
def save_timescales(actor: User, timescales: Timescales) -> Timescales:
    """Save an authority's timescales (creating its row the first time).

    Side effects: the row is saved; one audit entry with what changed."""
    saved = Timescales.for_authority(timescales.local_authority)
    before = snapshot(saved, list(Timescales.FIELDS))
    if saved.pk:
        timescales.pk = saved.pk
    timescales.save()
    old, new = changes(before, snapshot(timescales, list(Timescales.FIELDS)))
    record(actor, Verb.UPDATED, timescales, summary="Changed the statutory timescales", before=old, after=new)
    _recount_after_commit(timescales.local_authority_id)
    return timescales


def _recount_after_commit(authority_id: int) -> None:
    """Due dates depend on the calendar: say it changed once it is saved (``plans`` recomputes them)."""
    transaction.on_commit(lambda: calendar_changed.send(sender=LocalAuthority, authority_id=authority_id))
