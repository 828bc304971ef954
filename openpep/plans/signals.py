"""What the PEP tells the apps above it, without knowing them.

Apps that keep something derived from a PEP (the statutory clock's due dates,
later notifications) connect a receiver; plans never imports them."""

from django.db import transaction
from django.dispatch import Signal

#: Sent with ``pep_id`` after a transaction that changed a PEP has committed.
pep_changed = Signal()


def announce(pep) -> None:
    pep_id = pep.pk
    transaction.on_commit(lambda: pep_changed.send(sender=type(pep), pep_id=pep_id))
