from django.conf import settings
from django.db import models

from .enums import ReminderKind, TaskKind


class Reminder(models.Model):
    """One e-mail about one task, to one person, for one due date.

    The unique key is what makes each reminder go out exactly once: the job
    inserts the reminders it finds due (a second insert of the same key does
    nothing), then claims unsent rows one at a time before sending. A new due
    date is a new reminder."""

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    task = models.CharField(max_length=20, choices=TaskKind.choices)
    pep = models.ForeignKey("plans.Pep", on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "task", "pep", "recipient", "due_on"], name="one_reminder_per_task_due_date"
            )
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_task_display()} (PEP {self.pep_id}) to {self.recipient_id}"
