"""Who may ask a child for their views and take them in: whoever records Section B of the PEP
(``pep.views_recorded_by``: the Designated Teacher or the social worker), while their part is open.
Each takes a PEP already fetched through ``peps_for``."""

from openpep.people.models import User
from openpep.plans.enums import Section
from openpep.plans.models import Pep
from openpep.plans.rules import can_edit, can_see


def can_invite(user: User, pep: Pep) -> bool:
    """Make or withdraw an invitation to "Have your say", and take what the child sends into Section B."""
    return can_edit(user, pep, Section.B)


def can_read_contributions(user: User, pep: Pep) -> bool:
    """The child's own words are part of Section B: whoever reads Section B reads them."""
    return can_see(user, pep, Section.B)
