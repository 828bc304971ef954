"""Who may do what with a warning they are sent (``queries.warnings_for``)."""

from openpep.children.queries import is_looked_after
from openpep.people.models import User
from openpep.plans.enums import Status
from openpep.plans.rules import can_start_pep

from .models import EarlyWarning


def can_acknowledge(user: User, warning: EarlyWarning) -> bool:
    """Whoever the warning is sent to acknowledges it, once."""
    return warning.acknowledged_at is None


def can_start_interim(user: User, warning: EarlyWarning) -> bool:
    """A warning not yet answered is answered with an interim PEP by whoever may start the child's
    PEPs (the allocated social worker), when the child is looked after and has none in progress."""
    return (
        warning.acknowledged_at is None
        and can_start_pep(user, warning.child)
        and is_looked_after(warning.child)
        and not warning.child.peps.exclude(status=Status.SIGNED_OFF).filter(corrects__isnull=True).exists()
    )
