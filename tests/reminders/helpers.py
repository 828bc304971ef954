import datetime

from django.utils import timezone

from openpep.clock.models import PepClock


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def set_due(pep, **dates) -> PepClock:
    """Give a PEP stored due dates (the clock's own tests prove how they are worked out)."""
    values = {"pep_due": None, "views_due": None, "school_section_due": None, "submit_due": None, **dates}
    clock, _ = PepClock.objects.update_or_create(pep=pep, defaults=values)
    return clock
