import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection

from openpep.plans.enums import Status
from openpep.reminders.enums import ReminderKind, TaskKind
from openpep.reminders.models import Reminder
from openpep.reminders.services import run_reminders, send_queued
from tests.builders import cast_of, pep_in, start
from tests.reminders.helpers import days, set_due, today


def sent():
    return sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox)


def test_run_reminders_sends_upcoming_reminder_to_the_designated_teacher_once(world):
    pep = start(cast_of(world))
    set_due(pep, views_due=days(2))

    assert run_reminders(today()) == 1
    assert run_reminders(today()) == 0
    assert sent() == [("dt@test.example", "Reminder")]
    assert list(Reminder.objects.values_list("kind", "task", "recipient__email", "due_on")) == [
        (ReminderKind.UPCOMING, TaskKind.VIEWS, "dt@test.example", days(2))
    ]


def test_run_reminders_sends_nothing_before_the_reminder_window(world):
    set_due(start(cast_of(world)), views_due=days(4), school_section_due=days(30))

    assert run_reminders(today()) == 0


def test_overdue_school_section_goes_to_teacher_and_social_workers_team_manager(world):
    set_due(start(cast_of(world)), school_section_due=days(-1))

    run_reminders(today())

    assert sent() == [("dt@test.example", "Overdue"), ("tm@test.example", "Overdue")]


def test_overdue_beyond_the_threshold_escalates_to_the_virtual_school(world):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    set_due(pep, submit_due=days(-11))

    run_reminders(today())

    assert sent() == [
        ("sw@test.example", "Overdue"),
        ("tm@test.example", "Overdue"),
        ("vs@test.example", "Overdue PEP task escalated"),
    ]


def test_a_new_due_date_is_a_new_reminder(world):
    pep = start(cast_of(world))
    set_due(pep, views_due=days(1))
    run_reminders(today())
    set_due(pep, views_due=days(2))

    assert run_reminders(today()) == 1
    assert len(mail.outbox) == 2


def test_reminder_email_names_the_child_by_first_name_only(world):
    world.child.last_name = "Zyxwick"
    world.child.save()
    pep = start(cast_of(world))
    set_due(pep, views_due=days(1))

    run_reminders(today())

    message = mail.outbox[0]
    text = message.subject + message.body + message.alternatives[0][0]
    assert "Amira" in text
    assert "Zyxwick" not in text
    assert f"http://127.0.0.1:8000/peps/{pep.pk}/" in message.body


class FailingForDt(EmailBackend):
    def send_messages(self, messages):
        if any("dt@test.example" in m.to for m in messages):
            raise ConnectionError("mail server refused")
        return super().send_messages(messages)


def test_a_failed_email_is_tried_again_and_does_not_hold_up_others(world, settings):
    set_due(start(cast_of(world)), school_section_due=days(-1))
    settings.EMAIL_BACKEND = "tests.reminders.test_services.FailingForDt"

    assert run_reminders(today()) == 1  # the team manager's
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_queued() == 1
    assert sent() == [("dt@test.example", "Overdue"), ("tm@test.example", "Overdue")]


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_exactly_once(world, settings):
    """Two workers, each on its own database connection, queue and send at the
    same moment, many times over: every reminder goes out once."""
    settings.EMAIL_BACKEND = "tests.reminders.test_services.SlowBackend"
    peps = [start(cast_of(world)), start(cast_of(world, world.other_child))]
    for round_ in range(10):
        for pep in peps:
            set_due(pep, views_due=days(1), school_section_due=days(-1 - round_), pep_due=days(-12 - round_))
        assert run_two_workers_at_once() == []

    keys = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(keys) == len(set(keys)) == Reminder.objects.count()
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert Reminder.objects.count() > 20


def run_two_workers_at_once() -> list[Exception]:
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def worker():
        try:
            barrier.wait()
            run_reminders(today())
        except Exception as error:  # returned to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


class SlowBackend(EmailBackend):
    """Slow enough that two workers' sends overlap."""

    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)


def test_worker_once_recomputes_due_dates_and_sends_reminders(world):
    start(cast_of(world))  # an initial PEP for a child in care since September 2023: long overdue

    call_command("worker", "--once")

    assert sent() == [
        ("sw@test.example", "Overdue"),
        ("tm@test.example", "Overdue"),
        ("vs@test.example", "Overdue PEP task escalated"),
    ]
