"""The stored due dates (PepClock) follow the PEP, its meeting and the council's calendar."""

import datetime

from openpep.clock.models import Holiday, PepClock
from openpep.clock.services import add_entry
from openpep.plans.due import refresh_open_pep_clocks
from openpep.plans.enums import Status
from openpep.plans.workflow import transition
from tests.builders import cast_of, fresh, record_meeting, school_part_done, start

D = datetime.date


def test_start_pep_stores_initial_due_date(world, calendar, django_capture_on_commit_callbacks):
    world.child.care_start_date = D(2026, 11, 2)
    world.child.save()
    with django_capture_on_commit_callbacks(execute=True):
        pep = start(cast_of(world))

    clock = PepClock.objects.get(pep=pep)
    # 20 working days after Monday 2 November 2026
    assert (clock.pep_due, clock.views_due, clock.submit_due, clock.problem) == (D(2026, 11, 30), None, None, "")


def test_recording_the_meeting_stores_the_meeting_deadlines(world, calendar, django_capture_on_commit_callbacks):
    pep = start(cast_of(world))
    with django_capture_on_commit_callbacks(execute=True):
        record_meeting(fresh(pep), world.sw)  # Wednesday 4 February 2026

    clock = PepClock.objects.get(pep=pep)
    # views 3 school days before; school section 5 after; submission 10 after, across February half-term
    assert (clock.views_due, clock.school_section_due, clock.submit_due) == (
        D(2026, 1, 30),
        D(2026, 2, 11),
        D(2026, 2, 25),
    )


def test_a_new_holiday_moves_the_stored_dates(world, calendar, django_capture_on_commit_callbacks):
    pep = start(cast_of(world))
    with django_capture_on_commit_callbacks(execute=True):
        record_meeting(fresh(pep), world.sw)
        add_entry(
            world.vs_admin,
            Holiday(
                local_authority=world.authority, name="INSET day", starts_on=D(2026, 2, 10), ends_on=D(2026, 2, 10)
            ),
        )

    assert PepClock.objects.get(pep=pep).school_section_due == D(2026, 2, 12)


def test_a_move_of_status_refreshes_the_clock(world, calendar, django_capture_on_commit_callbacks):
    cast = cast_of(world)
    pep = start(cast)
    school_part_done(cast, pep)
    PepClock.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)

    assert PepClock.objects.filter(pep=pep).count() == 1


def test_without_term_dates_the_problem_is_stored_not_a_guess(world):
    pep = start(cast_of(world))
    record_meeting(fresh(pep), world.sw)

    assert refresh_open_pep_clocks(world.authority.pk) == 1
    clock = PepClock.objects.get(pep=pep)
    assert (clock.views_due, clock.submit_due) == (None, None)
    assert "2025-26" in clock.problem
