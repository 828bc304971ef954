"""What the pages show about a PEP's meeting: the lesson-time warning, the Virtual
School's answer, and the meeting card of the PEP page."""

import datetime
from dataclasses import dataclass, field

from openpep.clock import validators
from openpep.people.models import User
from openpep.plans.enums import Occasion
from openpep.plans.models import Pep

from . import rules
from .enums import MeetingRole, Response, VenueKind
from .models import Meeting


def lesson_time_warning(pep: Pep, meeting: Meeting | None, *, now: datetime.datetime | None = None) -> str:
    """The lesson-time warning of a scheduled meeting still to come: the clock's one rule
    (``clock.validators.lesson_time_warning``), which Section D's next meeting uses too."""
    if meeting is None or meeting.cancelled or not meeting.scheduled:
        return ""
    school = pep.working_school
    return validators.lesson_time_warning(
        school,
        meeting.starts_at,
        meeting.ends_at,
        first_name=pep.child.first_name,
        authorities=(school.local_authority if school else None, pep.child.local_authority),
        now=now,
    )


def virtual_school_answer(invitations) -> str:
    """For an initial PEP, the page says plainly whether the Virtual School is coming."""
    answers = [i.response for i in invitations if i.role == MeetingRole.VIRTUAL_SCHOOL]
    if not answers:
        return "The Virtual School has not been invited"
    if Response.ATTENDING in answers:
        return "The Virtual School has accepted"
    if all(answer == Response.APOLOGIES for answer in answers):
        return "The Virtual School sent apologies"
    return "The Virtual School has not answered yet"


@dataclass
class Card:
    """The meeting card of the PEP page: what it shows and which of its buttons ``user`` gets."""

    meeting: Meeting | None
    invitations: list = field(default_factory=list)
    attendees: list = field(default_factory=list)
    warning: str = ""
    virtual_school: str = ""  # for an initial PEP only
    can_schedule: bool = False
    mine: list = field(default_factory=list)  # the user's own invitations they may answer
    answerable: set = field(default_factory=set)  # ids the social worker may answer for

    @property
    def fields(self) -> list[str]:
        """The meeting's rows: its arrangements once scheduled, what happened once recorded."""
        meeting = self.meeting
        if meeting is None:
            return []
        names = ["held_on", "start_time", "planned_minutes"]
        if meeting.scheduled:
            names.append("venue_kind")
        names.append("venue")
        if meeting.venue_kind == VenueKind.ONLINE:
            names.append("online_link")
        if meeting.scheduled:
            names += ["child_attending", "child_input"]
        if meeting.recorded or not meeting.scheduled:
            names += ["chair", "note_taker", "notes", "agreed"]
        return names


def meeting_card(user: User, pep: Pep) -> Card | None:
    """None for someone who may not see the meeting (a delegate: ``rules.can_see_meeting``)."""
    if not rules.can_see_meeting(user, pep):
        return None
    meeting = getattr(pep, "meeting", None)
    card = Card(meeting=meeting, can_schedule=rules.can_schedule(user, pep))
    if meeting is None:
        return card
    card.invitations = list(meeting.invitations.all())
    for invitation in card.invitations:
        invitation.meeting = meeting
    card.attendees = list(meeting.attendees.all())
    card.warning = lesson_time_warning(pep, meeting)
    if pep.occasion == Occasion.INITIAL and meeting.scheduled:
        card.virtual_school = virtual_school_answer(card.invitations)
    card.mine = [i for i in card.invitations if rules.can_respond(user, pep, i)]
    card.answerable = {i.pk for i in card.invitations if rules.can_record_answer(user, pep, i)}
    return card
