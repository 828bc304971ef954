"""What the calendar tells the apps above it, without knowing them (as ``plans.signals``)."""

from django.dispatch import Signal

#: Sent with ``authority_id`` after a transaction that changed an authority's terms, holidays or
#: timescales has committed: every due date counted over them may have moved (``plans.due``).
calendar_changed = Signal()
