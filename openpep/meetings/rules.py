"""Named rights over a PEP's meeting, shared by views, services and templates.

Each takes a PEP already fetched through ``peps_for``: seeing is decided there."""

from openpep.people.models import User
from openpep.plans import rules as plan_rules
from openpep.plans.enums import Section, Status
from openpep.plans.models import Pep

from .models import Invitation, Meeting


def can_see_meeting(user: User, pep: Pep) -> bool:
    """The meeting (its arrangements, invitees — carers among them — and record): for whoever reads
    the whole PEP, not a delegate (``plans.rules.sees_whole_pep``); to anyone else its pages are a 404."""
    return plan_rules.sees_whole_pep(user, pep)


def can_schedule(user: User, pep: Pep) -> bool:
    """Scheduling, inviting, cancelling: the allocated social worker, while their part
    of the plan is open. (The DT may also write the meeting record in a draft, but
    sending invitations is the social worker's.)"""
    return plan_rules.is_social_worker(user, pep) and plan_rules.can_edit(user, pep, Section.MEETING)


def _open_for_answers(pep: Pep, invitation: Invitation) -> bool:
    return pep.status != Status.SIGNED_OFF and invitation.meeting.cancelled_at is None


def can_respond(user: User, pep: Pep, invitation: Invitation) -> bool:
    """Answer one's own invitation, in the app."""
    return invitation.user_id is not None and invitation.user_id == user.pk and _open_for_answers(pep, invitation)


def can_record_answer(user: User, pep: Pep, invitation: Invitation) -> bool:
    """The social worker writes down the answer of someone with no account (a carer on the phone)."""
    return invitation.user_id is None and can_schedule(user, pep) and _open_for_answers(pep, invitation)


def can_answer(user: User, pep: Pep, invitation: Invitation) -> bool:
    return can_respond(user, pep, invitation) or can_record_answer(user, pep, invitation)


def held_before_sign_off(pep: Pep) -> list[str]:
    """The sign-off move's readiness check (``apps.ready``): the meeting must have started."""
    meeting = Meeting.objects.filter(pep=pep, cancelled_at__isnull=True).first()
    if meeting is None or meeting.has_started():
        return []
    return [meeting.not_started_message("the PEP cannot be signed off")]
