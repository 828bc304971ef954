"""Who may do what with PP+, shared by views, services and templates.

Each takes a PEP already fetched through ``plans.queries.peps_for``: seeing is decided there."""

from openpep.people.models import User
from openpep.people.queries import roles_of
from openpep.plans import rules as plan_rules
from openpep.plans.enums import Section
from openpep.plans.models import Pep


def can_request(user: User, pep: Pep) -> bool:
    """Requests are part of Section D: the DT of the PEP's school, while the school part is open."""
    return plan_rules.can_edit(user, pep, Section.D)


def can_decide(user: User, pep: Pep) -> bool:
    """The Virtual School of the child's authority approves, approves in part or declines, and pays."""
    return plan_rules.is_virtual_school(user, pep)


def can_configure(user: User) -> bool:
    return roles_of(user).vs_admin
