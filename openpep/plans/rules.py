"""Named rights over a PEP, shared by views, services and templates.

Each takes a PEP already fetched through ``peps_for``; seeing is decided there."""

from openpep.children.queries import delegated_sections, delegated_view
from openpep.children.rules import is_allocated_social_worker, works_for_childs_virtual_school
from openpep.people.models import User
from openpep.people.queries import roles_of

from .enums import SCHOOL_PART_OPEN, SOCIAL_WORKER_PART_OPEN, Section, Status, ViewsRecordedBy
from .models import Pep


def is_schools_designated_teacher(user: User, pep: Pep) -> bool:
    """The DT of the school working on the PEP: the child's school today, for a PEP in progress."""
    if pep.status == Status.SIGNED_OFF:
        return False
    school = pep.working_school
    return school is not None and school.pk in roles_of(user).school_ids


def is_delegated(user: User, pep: Pep, section: Section) -> bool:
    """Other school staff to whom a DT of the school working on the PEP has delegated this
    section for this child (``children.queries.delegated_sections``: active delegations only)."""
    if pep.status == Status.SIGNED_OFF:
        return False
    school = pep.working_school
    return school is not None and section.value in delegated_sections(user, pep.child_id, school.pk)


def is_social_worker(user: User, pep: Pep) -> bool:
    return is_allocated_social_worker(user, pep.child)


def is_virtual_school(user: User, pep: Pep) -> bool:
    return works_for_childs_virtual_school(user, pep.child)


def is_connected_system(user: User, pep: Pep) -> bool:
    """A connected system writing with a read-write API token of the child's Virtual School
    (``openpep.api`` marks the token's principal when the token authenticates): it may write
    what the part's owner holds open, never more."""
    return getattr(user, "writes_as_connected_system", False) and is_virtual_school(user, pep)


def sees_whole_pep(user: User, pep: Pep) -> bool:
    """Whether ``user`` reads all of ``pep`` and what surrounds it (Sections A to E, the meeting and
    its invitees, the QA rounds, the PEP's history, the whole-PEP PDF): whoever works with the child
    by a relationship of their own, and a Designated Teacher in their own school's signed-off PEPs.
    Not a delegate, who reads only the sections delegated (``children.queries.delegated_view``)."""
    if delegated_view(user, pep.child_id) is None:
        return True
    return pep.status == Status.SIGNED_OFF and pep.school_id in roles_of(user).school_ids


def can_see(user: User, pep: Pep, section: Section) -> bool:
    """Whether ``user`` reads ``section`` of ``pep`` (which they see: it came through ``peps_for``)."""
    return sees_whole_pep(user, pep) or section.value in (delegated_view(user, pep.child_id) or ())


def visible_sections(user: User, pep: Pep) -> set[str]:
    return {section.value for section in Section if can_see(user, pep, section)}


def school_owns_views(pep: Pep) -> bool:
    return pep.views_recorded_by == ViewsRecordedBy.SCHOOL


def can_edit(user: User, pep: Pep, section: Section) -> bool:
    """Whether ``user`` may change ``section`` of ``pep`` now. Only the part
    of the plan its owner holds open can change; a signed-off PEP never does."""
    system = is_connected_system(user, pep)
    school_open = pep.status in SCHOOL_PART_OPEN and (system or is_schools_designated_teacher(user, pep))
    social_worker_open = pep.status in SOCIAL_WORKER_PART_OPEN and (system or is_social_worker(user, pep))
    if section in (Section.B, Section.D) and pep.status in SCHOOL_PART_OPEN and is_delegated(user, pep, section):
        school_open = True  # a delegate edits only the sections delegated to them
    if section == Section.D:
        return school_open
    if section == Section.B:
        return school_open if school_owns_views(pep) else social_worker_open
    if section == Section.MEETING:
        return social_worker_open or (pep.status == Status.DRAFT and school_open)
    if section in (Section.A, Section.C):
        return social_worker_open
    return False


def can_start_pep(user: User, child) -> bool:
    return is_allocated_social_worker(user, child)


def can_correct(user: User, pep: Pep) -> bool:
    """A signed-off PEP is corrected by a new version, never edited."""
    return (
        pep.status == Status.SIGNED_OFF
        and not hasattr(pep, "corrected_by")
        and (is_social_worker(user, pep) or is_virtual_school(user, pep))
    )


def editable_sections(user: User, pep: Pep) -> set[str]:
    return {section for section in Section if can_edit(user, pep, section)}
