"""Recording a new school makes the change-of-school PEP due, by the statutory clock, unless a
PEP in progress moves with the child instead (tests/plans/test_services.py)."""

import datetime

from openpep.audit.models import AuditEntry
from openpep.children import services as children_services
from openpep.children.models import Child
from openpep.clock.models import PepClock, Timescales
from openpep.plans.enums import Occasion, Phase, Status
from openpep.plans.models import Pep
from tests.builders import cast_of, pep_in, start
from tests.fixtures import make_child

MONDAY = datetime.date(2026, 11, 23)  # in the autumn term of the conftest's calendar


def test_a_move_after_a_signed_off_pep_starts_the_change_of_school_pep_due_in_ten_school_days(
    world, calendar, django_capture_on_commit_callbacks
):
    signed_off = pep_in(cast_of(world), Status.SIGNED_OFF)

    with django_capture_on_commit_callbacks(execute=True):
        children_services.change_school(world.vs, world.child, world.other_school, MONDAY)

    pep = Pep.objects.exclude(pk=signed_off.pk).get(child=world.child)
    assert (pep.occasion, pep.status, pep.school, pep.phase, pep.created_by) == (
        Occasion.CHANGE_OF_SCHOOL,
        Status.DRAFT,
        world.other_school,
        Phase.STATUTORY,
        world.vs,
    )
    # Ten school days after Monday 23 November: 24-27 November, 30 November-4 December, 7 December.
    assert PepClock.objects.get(pep=pep).pep_due == datetime.date(2026, 12, 7)
    # The previous PEP's targets are set out for the new school to review.
    assert list(pep.target_reviews.values_list("target__pep", flat=True)) == [signed_off.pk]
    entry = AuditEntry.objects.get(pep_id=pep.pk, verb="created")
    assert entry.actor == world.vs and "change-of-school PEP" in entry.summary


def test_the_due_date_follows_the_authoritys_timescale(world, calendar, django_capture_on_commit_callbacks):
    pep_in(cast_of(world), Status.SIGNED_OFF)
    Timescales.objects.create(local_authority=world.authority, change_of_school_school_days=5)

    with django_capture_on_commit_callbacks(execute=True):
        children_services.change_school(world.sw, world.child, world.other_school, MONDAY)

    clock = PepClock.objects.get(pep__occasion=Occasion.CHANGE_OF_SCHOOL)
    assert clock.pep_due == datetime.date(2026, 11, 30)


def test_a_pep_in_progress_moves_instead_and_no_second_one_starts(world, calendar, django_capture_on_commit_callbacks):
    pep_in(cast_of(world), Status.SIGNED_OFF)
    in_progress = start(cast_of(world), occasion=Occasion.REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        children_services.change_school(world.sw, world.child, world.other_school, MONDAY)

    open_peps = Pep.objects.filter(child=world.child).exclude(status=Status.SIGNED_OFF)
    assert list(open_peps.values_list("pk", "occasion", "school")) == [
        (in_progress.pk, Occasion.REVIEW, world.other_school.pk)
    ]


def test_a_child_with_no_pep_yet_still_waits_for_the_initial_one(world, calendar):
    child = make_child(world.authority, world.sw, world.school, first="Nel", last="New")

    children_services.change_school(world.sw, child, world.other_school, MONDAY)

    assert not Pep.objects.filter(child=child).exists()


def test_a_move_recorded_in_advance_starts_the_pep_due_from_the_new_start(
    world, calendar, django_capture_on_commit_callbacks
):
    pep_in(cast_of(world), Status.SIGNED_OFF)

    with django_capture_on_commit_callbacks(execute=True):
        child = Child.objects.get(pk=world.child.pk)
        children_services.change_school(world.sw, child, world.other_school, datetime.date(2027, 1, 4))

    clock = PepClock.objects.get(pep__occasion=Occasion.CHANGE_OF_SCHOOL)
    # 4 January 2027 is the first day of the spring term: ten school days after it.
    assert clock.pep_due == datetime.date(2027, 1, 18)
