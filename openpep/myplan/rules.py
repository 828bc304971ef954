"""Who decides whether a child's "My plan" is shared, and with whom: the child's allocated social
worker (``plans.rules.is_social_worker``), and only for a signed-off PEP. Each takes a PEP already
fetched through ``peps_for``."""

from openpep.people.models import User
from openpep.plans.enums import Status
from openpep.plans.models import Pep
from openpep.plans.rules import is_social_worker


def has_my_plan(pep: Pep) -> bool:
    """Only a signed-off PEP has a My plan: before that nothing has been agreed."""
    return pep.status == Status.SIGNED_OFF


def can_share(user: User, pep: Pep) -> bool:
    """Share My plan (with the child, with the carer), withdraw a share, download its PDF."""
    return has_my_plan(pep) and is_social_worker(user, pep)
