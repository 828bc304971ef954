from openpep.people.models import User
from openpep.people.queries import roles_of


def can_see_dashboard(user: User) -> bool:
    """The Virtual School (their authority's cohort), team managers (their team's children) and
    Designated Teachers (their school's children in care). Social workers and IROs work child by child."""
    roles = roles_of(user)
    return roles.virtual_school or roles.team_manager or roles.designated_teacher


def can_see_child_voice(user: User) -> bool:
    """The child's voice figures (how many PEPs hold the child's own words, how children took part) and
    their lists: a quality measure the council reports, for the Virtual School and team managers. A
    Designated Teacher's dashboard leaves them out: whether Section B holds the child's own words is
    the council's measure of its PEPs, not a school figure."""
    roles = roles_of(user)
    return roles.virtual_school or roles.team_manager


def can_see_annual_report(user: User) -> bool:
    """The annual report's figures, every cohort: the Virtual School (officers and head) of its authority."""
    return roles_of(user).virtual_school
