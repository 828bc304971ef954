"""Who may do what with the wider cohort. Each takes what was already fetched through a scoped
lookup (``children_for``, ``queries.casework_for``)."""

from openpep.children.models import Child
from openpep.children.rules import works_for_childs_virtual_school
from openpep.people.models import User
from openpep.people.queries import roles_of

from .models import CaseworkEntry


def can_see_register(user: User) -> bool:
    """The register of every cohort: the Virtual School's officers and head."""
    return roles_of(user).virtual_school


def can_see_school_cohorts(user: User) -> bool:
    """A Designated Teacher's list of their school's children of the wider cohort that the
    children's councils share with schools (perhaps none)."""
    return roles_of(user).designated_teacher


def can_record_casework(user: User, child: Child) -> bool:
    """Advice is recorded by the Virtual School of the child's authority."""
    return works_for_childs_virtual_school(user, child)


def can_manage_cohorts(user: User, child: Child) -> bool:
    """Which of the wider cohorts a child is in: the Virtual School of the child's authority."""
    return works_for_childs_virtual_school(user, child)


def can_close_follow_up(user: User, entry: CaseworkEntry) -> bool:
    """The officer who gave the advice marks its follow-up done, once."""
    return entry.given_by_id == user.pk and entry.follow_up_on is not None and entry.followed_up_at is None
