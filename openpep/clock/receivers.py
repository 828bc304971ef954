"""Keeps each PEP's stored due dates in step with the PEP (see ``PepClock``)."""

from django.dispatch import receiver

from openpep.plans.signals import pep_changed, pep_moved

from .services import refresh_pep_clock


@receiver(pep_changed, dispatch_uid="clock.refresh_pep_clock")
def pep_changed_refresh_clock(sender, pep_id: int, **kwargs) -> None:
    refresh_pep_clock(pep_id)


@receiver(pep_moved, dispatch_uid="clock.refresh_pep_clock_on_move")
def pep_moved_refresh_clock(sender, pep, **kwargs) -> None:
    refresh_pep_clock(pep.pk)
