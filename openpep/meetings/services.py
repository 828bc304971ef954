from django.db import transaction

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import User
from openpep.plans.enums import Section
from openpep.plans.models import Pep
from openpep.plans.services import _locked, _require

from .models import Attendee


@transaction.atomic
def add_attendee(actor: User, pep: Pep, attendee: Attendee) -> Attendee:
    """Side effects: audit entry."""
    _require(actor, _locked(pep), Section.MEETING)
    attendee.meeting = pep.meeting
    attendee.save()
    record(
        actor,
        Verb.CREATED,
        attendee,
        summary=f"Recorded {attendee.name} ({attendee.get_role_display()}) "
        f"as {attendee.get_attendance_display().lower()}",
    )
    return attendee


@transaction.atomic
def remove_attendee(actor: User, pep: Pep, attendee: Attendee) -> None:
    """Side effects: audit entry."""
    _require(actor, _locked(pep), Section.MEETING)
    record(actor, Verb.DELETED, attendee, summary=f"Removed {attendee.name} from the attendees")
    attendee.delete()
