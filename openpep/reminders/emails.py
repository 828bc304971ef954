"""Reminder e-mails. They name the child by first name only and link to the
service: the detail is behind the sign-in."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from openpep.mail import render_subject, render_text

from .enums import ReminderKind
from .models import Reminder


def send_reminder(reminder: Reminder) -> None:
    context = {
        "reminder": reminder,
        "first_name": reminder.pep.child.first_name,
        "task": reminder.get_task_display(),
        "overdue": reminder.kind != ReminderKind.UPCOMING,
        "escalated": reminder.kind == ReminderKind.ESCALATED,
        "link": settings.SITE_URL + reverse("plans:detail", args=[reminder.pep_id]),
    }
    send_mail(
        subject=render_subject("reminders/email/reminder_subject.txt", context),
        message=render_text("reminders/email/reminder.txt", context),
        from_email=None,
        recipient_list=[reminder.recipient.email],
        html_message=render_to_string("reminders/email/reminder.html", context),
    )
