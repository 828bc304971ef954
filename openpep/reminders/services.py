"""The reminder job. Safe to run as often as wanted, by as many workers as wanted:
each reminder is sent exactly once (see ``models.Reminder``)."""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from . import emails
from .models import Reminder
from .queries import reminders_due, tasks_open

log = logging.getLogger(__name__)


def queue_reminders(today: datetime.date | None = None) -> int:
    """Insert the reminders due today; those already there are left alone.
    Returns how many were looked at (not how many were new)."""
    wanted = [
        Reminder(kind=kind, task=deadline.task, pep=deadline.pep, recipient=person, due_on=deadline.due)
        for kind, deadline, person in reminders_due(today)
    ]
    Reminder.objects.bulk_create(wanted, ignore_conflicts=True)
    return len(wanted)


def drop_stale_reminders(pep) -> int:
    """Delete the PEP's unsent reminders of tasks it no longer waits for (``queries.tasks_open``),
    so a reminder queued before a move is not sent after it. Derived data: not audited.
    Returns how many were dropped."""
    stale = Reminder.objects.filter(pep_id=pep.pk, sent_at__isnull=True).exclude(task__in=tasks_open(pep))
    return stale.delete()[0]


def send_queued(now: datetime.datetime | None = None) -> int:
    """Send every unsent reminder, one at a time: each is claimed by an update
    that only one worker can win (``sent_at`` still empty), inside the
    transaction that sends it. A failed e-mail rolls its claim back, to be tried
    on the next run, and does not hold up the others. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    failed: set[int] = set()
    while True:
        try:
            with transaction.atomic():
                # SKIP LOCKED (PostgreSQL) lets concurrent workers share the queue
                # without waiting; the conditional update is what guarantees once.
                reminder = (
                    Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(sent_at__isnull=True)
                    .exclude(pk__in=failed)
                    .select_related("pep__child", "recipient")
                    .order_by("pk")
                    .first()
                )
                if reminder is None:
                    return sent
                if not Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(sent_at=now):
                    continue
                emails.send_reminder(reminder)
                sent += 1
        except Exception:
            log.exception("Could not send reminder %s; it will be tried again", reminder.pk)
            failed.add(reminder.pk)


def run_reminders(today: datetime.date | None = None) -> int:
    queue_reminders(today)
    return send_queued()
