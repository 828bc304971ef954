"""Due dates of a PEP and of a child's next PEP, against Testshire's fixed calendar."""

import datetime

import pytest
from django.utils import timezone

from openpep.children.models import Child, Enrolment, Placement
from openpep.clock.calendar import NoTermDates
from openpep.clock.models import Timescales
from openpep.clock.queries import calendar_years, review_due_after
from openpep.meetings.models import Meeting
from openpep.plans.due import DueKey, due_dates, next_pep_due
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status
from openpep.plans.models import Decision, Pep, SchoolSection

D = datetime.date


def _aware(day: datetime.date, hour=15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))


def _pep(world, occasion, *, status=Status.DRAFT, school=None, child=None) -> Pep:
    return Pep.objects.create(
        child=child or world.child,
        school=school or world.school,
        phase=Phase.STATUTORY,
        occasion=occasion,
        status=status,
        created_by=world.sw,
    )


def _signed_off(world, on: datetime.date, *, next_meeting: datetime.date | None = None, child=None) -> Pep:
    """A signed-off PEP, made directly (how PEPs get signed off is tested in plans/)."""
    pep = _pep(world, Occasion.REVIEW, status=Status.SIGNED_OFF, child=child)
    decision = Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
    Decision.objects.filter(pk=decision.pk).update(decided_at=_aware(on))
    if next_meeting:
        SchoolSection.objects.create(pep=pep, updated_by=world.dt, sen_status="N", next_meeting_at=_aware(next_meeting))
    return pep


def _meeting(pep, world, held_on: datetime.date) -> Meeting:
    return Meeting.objects.create(
        pep=pep,
        held_on=held_on,
        start_time=datetime.time(9, 30),
        venue="Oak Primary",
        chair="Sam Worker",
        note_taker="Dee Teacher",
        updated_by=world.sw,
    )


def _entered_care(child, day):
    Child.objects.filter(pk=child.pk).update(care_start_date=day)
    child.refresh_from_db()


def test_initial_pep_is_started_in_10_and_ready_in_20_working_days_across_easter(world, calendar):
    _entered_care(world.child, D(2026, 3, 27))
    pep = _pep(world, Occasion.INITIAL)

    assert due_dates(pep) == dict.fromkeys(DueKey) | {
        "initial_started": D(2026, 4, 14),
        "initial_ready": D(2026, 4, 28),
    }


def test_review_pep_is_due_by_the_end_of_the_term_after_the_previous_pep(world, calendar):
    _signed_off(world, D(2026, 11, 20))
    pep = _pep(world, Occasion.REVIEW)

    assert due_dates(pep)["review"] == D(2027, 3, 25)


def test_a_pep_signed_off_in_the_summer_holiday_counts_for_the_summer_term(world, calendar):
    _signed_off(world, D(2026, 8, 10))
    pep = _pep(world, Occasion.REVIEW)

    assert due_dates(pep)["review"] == D(2026, 12, 18)


def test_a_review_pep_with_no_previous_pep_has_no_review_date(world, calendar):
    pep = _pep(world, Occasion.REVIEW)

    assert due_dates(pep)["review"] is None


def test_change_of_school_pep_is_due_10_school_days_after_the_new_school_starts_across_half_term(world, calendar):
    Enrolment.objects.filter(child=world.child).update(ends_on=D(2026, 10, 21))
    Enrolment.objects.create(child=world.child, school=world.other_school, starts_on=D(2026, 10, 22))
    pep = _pep(world, Occasion.CHANGE_OF_SCHOOL, school=world.other_school)

    assert due_dates(pep)["change_of_school"] == D(2026, 11, 12)


def test_meeting_deadlines_across_christmas_from_a_meeting_on_the_first_day_of_term(world, calendar):
    pep = _pep(world, Occasion.INTERIM)
    _meeting(pep, world, D(2027, 1, 4))

    assert due_dates(pep) == dict.fromkeys(DueKey) | {
        "views": D(2026, 12, 16),
        "school_section": D(2027, 1, 11),
        "submitted": D(2027, 1, 18),
    }


def test_without_a_meeting_record_the_next_meeting_agreed_in_the_previous_pep_is_used(world, calendar):
    _signed_off(world, D(2026, 11, 20), next_meeting=D(2027, 1, 4))
    pep = _pep(world, Occasion.REVIEW)

    due = due_dates(pep)

    assert (due["views"], due["school_section"], due["submitted"]) == (D(2026, 12, 16), D(2027, 1, 11), D(2027, 1, 18))


def test_due_dates_follow_the_authoritys_own_timescales(world, calendar):
    Timescales.objects.create(local_authority=world.authority, views_before_meeting_school_days=5)
    pep = _pep(world, Occasion.INTERIM)
    _meeting(pep, world, D(2027, 1, 4))

    assert due_dates(pep)["views"] == D(2026, 12, 14)


def test_due_dates_in_a_year_with_no_term_dates_raise_no_term_dates(world, calendar):
    pep = _pep(world, Occasion.INTERIM)
    _meeting(pep, world, D(2027, 9, 8))

    with pytest.raises(NoTermDates) as raised:
        due_dates(pep)
    assert raised.value.academic_year == "2027-28"


def test_next_pep_due_is_the_initial_pep_until_one_is_signed_off(world, calendar):
    _entered_care(world.child, D(2026, 3, 27))

    assert next_pep_due(world.child) == D(2026, 4, 28)


def test_next_pep_due_is_the_end_of_the_next_term_after_the_last_signed_off_pep(world, calendar):
    _signed_off(world, D(2026, 11, 20))

    assert next_pep_due(world.child) == D(2027, 3, 25)
    assert review_due_after(world.authority, D(2026, 11, 20)) == D(2027, 3, 25)


def test_next_pep_due_is_sooner_after_a_change_of_school(world, calendar):
    _signed_off(world, D(2026, 10, 1))
    Enrolment.objects.filter(child=world.child).update(ends_on=D(2026, 10, 21))
    Enrolment.objects.create(child=world.child, school=world.other_school, starts_on=D(2026, 10, 22))

    assert next_pep_due(world.child) == D(2026, 11, 12)


def test_a_child_who_has_left_care_has_no_next_pep_due(world, calendar):
    Placement.objects.filter(child=world.child).update(ends_on=D(2026, 6, 30))

    assert next_pep_due(world.child) is None


def test_another_childs_signed_off_pep_does_not_count(world, calendar):
    _entered_care(world.child, D(2026, 3, 27))
    _signed_off(world, D(2026, 11, 20), child=world.other_child)

    assert next_pep_due(world.child) == D(2026, 4, 28)


def test_calendar_years_group_terms_and_holidays_and_count_school_days(world, calendar):
    years = calendar_years(world.authority)

    assert [(y.academic_year, len(y.terms), len(y.holidays), y.school_days) for y in years] == [
        ("2025-26", 3, 4, 194),
        ("2026-27", 3, 3, 194),
    ]
