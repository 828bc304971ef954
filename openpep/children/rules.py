"""Named rights over a child, shared by views and templates so a button and its
view always agree. Each takes a child already fetched through ``children_for``."""

from openpep.people.models import User
from openpep.people.queries import roles_of

from .models import Child, Delegation
from .queries import delegated_view


def is_allocated_social_worker(user: User, child: Child) -> bool:
    return roles_of(user).social_worker and child.social_worker_id == user.pk


def works_for_childs_virtual_school(user: User, child: Child) -> bool:
    return child.local_authority_id in roles_of(user).vs_authority_ids


def can_add_child(user: User) -> bool:
    roles = roles_of(user)
    return roles.social_worker or roles.virtual_school


def can_edit_child(user: User, child: Child) -> bool:
    """Details, change of school and change of placement."""
    return is_allocated_social_worker(user, child) or works_for_childs_virtual_school(user, child)


def can_reallocate(user: User, child: Child) -> bool:
    """Team managers move a child between social workers; so does the Virtual School
    Head, who must be able to allocate a child added without one."""
    roles = roles_of(user)
    if child.local_authority_id in roles.admin_authority_ids:
        return True
    if not roles.team_manager:
        return False
    social_worker = child.social_worker
    if social_worker is None:
        return False
    return any(
        m.team_id in roles.managed_team_ids for m in social_worker.memberships.all() if m.role == "social_worker"
    )


def can_see_care_details(user: User, child: Child) -> bool:
    """Placements and legal status are social care's business, not the school's."""
    roles = roles_of(user)
    return (
        is_allocated_social_worker(user, child)
        or works_for_childs_virtual_school(user, child)
        or roles.team_manager
        or child.iro_id == user.pk
    )


def can_see_timeline(user: User, child: Child) -> bool:
    """The education timeline tells the child's whole story (schools, PEPs, decisions, attendance):
    for those who work with the child themselves, not for a delegate, who reads only what was
    delegated (``queries.delegated_view``)."""
    return delegated_view(user, child.pk) is None


def can_delegate(user: User) -> bool:
    """A Designated Teacher shares named children with other staff of their school."""
    return roles_of(user).designated_teacher


def can_end_delegation(user: User, delegation: Delegation) -> bool:
    """Any Designated Teacher of the delegation's school ends it (a colleague may, after the
    one who made it has left), while it has not been ended already."""
    return delegation.ended_at is None and delegation.school_id in roles_of(user).school_ids
