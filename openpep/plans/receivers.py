"""What plans does when the apps below it tell it something (``children.signals``, ``clock.signals``),
and the PEP clock's own answer to ``signals.pep_changed``."""

from django.dispatch import receiver

from openpep.children.signals import school_changed
from openpep.clock.signals import calendar_changed

from .due import refresh_open_pep_clocks, refresh_pep_clock
from .services import follow_school_change
from .signals import pep_changed, pep_moved


@receiver(school_changed, dispatch_uid="plans.follow_school_change")
def pep_follows_the_child(sender, *, actor, child, school, starts_on, **kwargs):
    follow_school_change(actor, child, school, starts_on)


@receiver(pep_changed, dispatch_uid="plans.refresh_pep_clock")
def pep_changed_refresh_clock(sender, pep_id: int, **kwargs) -> None:
    refresh_pep_clock(pep_id)


@receiver(pep_moved, dispatch_uid="plans.refresh_pep_clock_on_move")
def pep_moved_refresh_clock(sender, pep, **kwargs) -> None:
    refresh_pep_clock(pep.pk)


@receiver(calendar_changed, dispatch_uid="plans.refresh_open_pep_clocks")
def calendar_changed_refresh_clocks(sender, authority_id: int, **kwargs) -> None:
    refresh_open_pep_clocks(authority_id)
