"""Named rights over quality assurance, shared by views, services and templates."""

from openpep.people.models import User
from openpep.plans.enums import Status
from openpep.plans.models import Pep
from openpep.plans.rules import is_virtual_school

__all__ = ["can_review", "is_virtual_school"]


def can_review(user: User, pep: Pep) -> bool:
    """The child's Virtual School records a QA round of a PEP submitted to it."""
    return pep.status == Status.SUBMITTED and is_virtual_school(user, pep)
