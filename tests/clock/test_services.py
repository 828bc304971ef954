"""Writes to the calendar: checked against the rest of it, all or nothing, audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from openpep.audit.models import AuditEntry
from openpep.clock import services
from openpep.clock.models import Holiday, Term, Timescales

D = datetime.date


def _term(authority, name, start, end) -> Term:
    return Term(local_authority=authority, name=name, starts_on=start, ends_on=end)


def _holiday(authority, name, start, end) -> Holiday:
    return Holiday(local_authority=authority, name=name, starts_on=start, ends_on=end)


def test_add_entry_saves_the_term_with_its_academic_year_and_audits_it(world):
    term = services.add_entry(world.vs_admin, _term(world.authority, "autumn", D(2027, 9, 1), D(2027, 12, 17)))

    assert Term.objects.get().academic_year == "2027-28"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.verb, entry.target_id) == (world.vs_admin, "created", str(term.pk))
    assert entry.summary == "Added Autumn term 2027-28: 1 September 2027 to 17 December 2027"


def test_an_overlapping_term_is_refused(world, calendar):
    with pytest.raises(ValidationError) as raised:
        services.add_entry(world.vs_admin, _term(world.authority, "summer", D(2027, 3, 1), D(2027, 7, 20)))

    assert raised.value.messages == [
        "The dates overlap the Spring term 2026-27 (4 January 2027 to 25 March 2027)",
        "The Summer term of 2026-27 is already entered",
    ]


def test_a_term_may_not_run_into_the_next_academic_year(world):
    problems = services.problems(world.authority, [_term(world.authority, "summer", D(2027, 4, 12), D(2027, 8, 3))])

    assert [(field, message) for _entry, field, message in problems] == [
        ("ends_on", "A term must end in the academic year it starts in (by 31 July)")
    ]


def test_another_authoritys_terms_do_not_clash(world, calendar):
    services.add_entry(world.vs_admin, _term(world.other_authority, "autumn", D(2026, 9, 2), D(2026, 12, 18)))

    assert Term.objects.filter(local_authority=world.other_authority).count() == 1


def test_a_holiday_outside_every_term_or_overlapping_another_is_refused(world, calendar):
    outside = _holiday(world.authority, "Christmas", D(2026, 12, 21), D(2027, 1, 1))
    overlapping = _holiday(world.authority, "Extra day", D(2026, 10, 30), D(2026, 11, 2))

    problems = services.problems(world.authority, [outside, overlapping])

    assert [(entry.name, field, message) for entry, field, message in problems] == [
        ("Christmas", "starts_on", "A school holiday must fall inside one term: enter the term's dates first"),
        (
            "Extra day",
            "starts_on",
            "The dates overlap October half-term (26 October 2026 to 30 October 2026)",
        ),
    ]


def test_add_entries_writes_nothing_when_one_entry_is_wrong(world):
    entries = [
        _term(world.authority, "autumn", D(2027, 9, 1), D(2027, 12, 17)),
        _holiday(world.authority, "Half-term", D(2028, 2, 14), D(2028, 2, 18)),  # no spring term
    ]

    with pytest.raises(ValidationError):
        services.add_entries(world.vs_admin, world.authority, entries)

    assert (Term.objects.count(), Holiday.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_deleting_a_term_deletes_its_holidays_and_audits_each(world, calendar):
    term = Term.objects.get(academic_year="2026-27", name="autumn")
    audited = AuditEntry.objects.count()

    services.delete_term(world.vs_admin, term)

    assert not Term.objects.filter(academic_year="2026-27", name="autumn").exists()
    assert not Holiday.objects.filter(starts_on=D(2026, 10, 26)).exists()
    assert Holiday.objects.filter(starts_on=D(2025, 10, 27)).exists()
    summaries = list(AuditEntry.objects.order_by("id").values_list("summary", flat=True)[audited:])
    assert summaries == [
        "Deleted the school holiday October half-term with the Autumn term 2026-27",
        "Deleted the Autumn term 2026-27",
    ]


def test_save_timescales_creates_the_row_and_audits_only_what_changed(world):
    timescales = Timescales.for_authority(world.authority)
    timescales.views_before_meeting_school_days = 5

    services.save_timescales(world.vs_admin, timescales)

    assert Timescales.objects.get(local_authority=world.authority).views_before_meeting_school_days == 5
    entry = AuditEntry.objects.get()
    assert (entry.verb, entry.before, entry.after) == (
        "updated",
        {"views_before_meeting_school_days": 3},
        {"views_before_meeting_school_days": 5},
    )


def test_timescales_default_to_the_statutory_guidance_without_writing(world):
    timescales = Timescales.for_authority(world.authority)

    assert timescales.pk is None
    assert [getattr(timescales, name) for name in Timescales.FIELDS] == [10, 20, 10, 3, 5, 10, 10, 3]
