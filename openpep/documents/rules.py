"""Who may download which document, shared by the views, the services and the PEP page's panel.

Seeing a PEP is decided by ``plans.queries.peps_for``; these take a PEP (or child)
already fetched through it. The decisions:

- The **school section** (Sections B and D) goes to everyone who sees the PEP. That
  includes the Designated Teacher of a school the child has left, for the signed-off
  PEPs their school wrote: it is the copy the school keeps.
- The **whole PEP** goes to everyone who works with the child today (``children_for``):
  the allocated social worker, their team manager, the IRO, the Virtual School and the
  Designated Teacher of the child's current school — who already read Section C on the
  PEP's page. A former school keeps its own section only: its relationship with the
  child has ended. A delegate (other school staff given sections of the child's PEPs)
  reads only what was delegated (``plans.rules.sees_whole_pep``): the school section,
  never the whole PEP.
- No document shows a placement or a carer's name (see ``disclosure``).
- The **subject-access export** is for Virtual School officers and heads of the
  child's authority.
"""

from openpep.children.models import Child
from openpep.children.rules import works_for_childs_virtual_school
from openpep.people.models import User
from openpep.people.queries import roles_of
from openpep.plans.models import Pep
from openpep.plans.queries import works_with_child
from openpep.plans.rules import sees_whole_pep

from .enums import CopyKind


def can_download(user: User, pep: Pep, kind: str) -> bool:
    if kind == CopyKind.SCHOOL:
        return True
    return kind == CopyKind.WHOLE and works_with_child(user, pep) and sees_whole_pep(user, pep)


def downloadable_kinds(user: User, pep: Pep) -> list[str]:
    return [kind for kind in CopyKind if can_download(user, pep, kind)]


def can_export(user: User, child: Child) -> bool:
    return works_for_childs_virtual_school(user, child)


def is_designated_teacher(user: User) -> bool:
    return roles_of(user).designated_teacher
