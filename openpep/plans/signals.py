"""What the PEP tells the apps above it, without knowing them.

Apps that keep something derived from a PEP (the statutory clock's due dates,
stored copies, webhooks, reminders) connect a receiver in their ``AppConfig.ready``;
plans never imports them. Both signals are sent only once the change has committed
(never for a change rolled back), with ``send_robust``: a failing receiver is logged
(Django's ``django.dispatch`` logger) and cannot undo, nor turn into an error, the change that was made."""

import datetime

from django.db import transaction
from django.dispatch import Signal

#: Sent with ``pep_id`` after a transaction that changed a PEP has committed
#: (a section, its meeting, its school); a move of the workflow sends ``pep_moved`` instead.
pep_changed = Signal()

#: Sent once per move of the workflow (``workflow.transition``), after it has committed, with
#: ``pep`` (its new status set), ``from_status`` and ``to_status`` (``enums.Status``), ``by``
#: (the user who moved it) and ``at`` (when: the time of its audit entry).
pep_moved = Signal()


def announce(pep) -> None:
    pep_id, sender = pep.pk, type(pep)
    transaction.on_commit(lambda: pep_changed.send_robust(sender=sender, pep_id=pep_id))


def announce_move(pep, from_status, to_status, *, by, at: datetime.datetime) -> None:
    move = {"pep": pep, "from_status": from_status, "to_status": to_status, "by": by, "at": at}
    transaction.on_commit(lambda: pep_moved.send_robust(sender=type(pep), **move))
