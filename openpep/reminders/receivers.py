"""Drops a PEP's reminders that a move made stale (see ``services.drop_stale_reminders``)."""

from django.dispatch import receiver

from openpep.plans.signals import pep_moved

from .services import drop_stale_reminders


@receiver(pep_moved, dispatch_uid="reminders.drop_stale_reminders")
def pep_moved_drop_stale_reminders(sender, pep, **kwargs) -> None:
    drop_stale_reminders(pep)
