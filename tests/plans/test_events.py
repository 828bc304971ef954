"""``plans.signals.pep_moved``: sent once per move, after commit only, and what each listener does."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from openpep.audit.models import AuditEntry
from openpep.clock.models import PepClock
from openpep.plans.enums import Status
from openpep.plans.signals import pep_moved
from openpep.plans.workflow import transition
from openpep.reminders.enums import ReminderKind, TaskKind
from openpep.reminders.models import Reminder
from tests.builders import cast_of, fresh, pep_in


class Boom(Exception):
    pass


@pytest.fixture
def heard():
    """What a receiver of ``pep_moved`` is told, move by move."""
    moves = []

    def listen(sender, pep, from_status, to_status, by, at, **kwargs):
        moves.append((pep.pk, from_status, to_status, by, at))

    pep_moved.connect(listen, dispatch_uid="tests.heard")
    yield moves
    pep_moved.disconnect(dispatch_uid="tests.heard")


def test_pep_moved_is_sent_once_per_move_after_commit(world, heard, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)

    with django_capture_on_commit_callbacks() as callbacks:
        transition(pep, Status.SUBMITTED, actor=world.sw)
        assert heard == []  # not before the move has committed
    for callback in callbacks:
        callback()

    entry = AuditEntry.objects.filter(pep_id=pep.pk, target_type="plans.pep").latest("id")
    assert heard == [(pep.pk, Status.SCHOOL_RETURNED, Status.SUBMITTED, world.sw, entry.at)]


def test_pep_moved_is_not_sent_for_a_move_rolled_back(world, heard, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            transition(pep, Status.SIGNED_OFF, actor=world.vs)
            raise Boom

    assert (callbacks, heard) == ([], [])
    assert fresh(pep).status == Status.SUBMITTED


def test_pep_moved_is_not_sent_for_a_move_refused(world, heard, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        transition(pep, Status.SIGNED_OFF, actor=world.dt)

    assert heard == []


def test_a_failing_listener_is_logged_and_the_others_still_run(world, caplog, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    PepClock.objects.filter(pep=pep).delete()

    def broken(sender, **kwargs):
        raise Boom("listener down")

    pep_moved.connect(broken, dispatch_uid="tests.broken")
    try:
        with caplog.at_level(logging.ERROR, logger="django.dispatch"):
            with django_capture_on_commit_callbacks(execute=True):
                transition(pep, Status.SUBMITTED, actor=world.sw)
    finally:
        pep_moved.disconnect(dispatch_uid="tests.broken")

    assert fresh(pep).status == Status.SUBMITTED
    assert [r.exc_info[1].args for r in caplog.records if r.exc_info] == [("listener down",)]
    assert PepClock.objects.filter(pep=pep).exists()  # the clock's listener ran all the same


def test_the_clock_recomputes_the_due_dates_of_a_moved_pep(world, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.DRAFT)
    PepClock.objects.filter(pep=pep).delete()

    with django_capture_on_commit_callbacks(execute=True):
        transition(pep, Status.SCHOOL_RETURNED, actor=world.dt)

    assert PepClock.objects.filter(pep=pep).count() == 1


def test_a_move_drops_the_unsent_reminders_that_no_longer_apply(world, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.DRAFT)
    due = pep.created_at.date()

    def remind(task, *, sent=None, kind=ReminderKind.UPCOMING):
        return Reminder.objects.create(kind=kind, task=task, pep=pep, recipient=world.dt, due_on=due, sent_at=sent)

    remind(TaskKind.SCHOOL_SECTION)
    already_sent = remind(TaskKind.VIEWS, sent=pep.created_at)
    still_due = remind(TaskKind.PEP_DUE)
    remind(TaskKind.VIEWS, kind=ReminderKind.OVERDUE)

    with django_capture_on_commit_callbacks(execute=True):
        transition(pep, Status.SCHOOL_RETURNED, actor=world.dt)

    assert set(Reminder.objects.filter(pep=pep).values_list("pk", flat=True)) == {already_sent.pk, still_due.pk}


def test_sign_off_drops_every_unsent_reminder(world, django_capture_on_commit_callbacks):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    Reminder.objects.create(
        kind=ReminderKind.OVERDUE, task=TaskKind.PEP_DUE, pep=pep, recipient=world.sw, due_on=pep.created_at.date()
    )

    with django_capture_on_commit_callbacks(execute=True):
        transition(pep, Status.SIGNED_OFF, actor=world.vs)

    assert not Reminder.objects.filter(pep=pep).exists()
