"""What the child's record tells the apps above it, without knowing them (as ``plans.signals``).

``plans`` connects a receiver so that a PEP in progress follows the child to a new school."""

from django.dispatch import Signal

#: Sent inside ``services.change_school``'s transaction, once the enrolments are written, with
#: ``actor``, ``child``, ``school``, ``starts_on`` and ``enrolment``. A receiver's error (a
#: ``ValidationError``) undoes the whole move.
school_changed = Signal()
