"""The iCalendar invitation (RFC 5545, with RFC 5546's methods) a PEP meeting's
e-mails carry, written with the maintained ``icalendar`` library.

One meeting is one event with a stable UID; every change is sent with a higher
SEQUENCE, so a calendar replaces its entry rather than adding a second; a
cancellation is METHOD:CANCEL with the same UID. The event says no more than the
e-mail does: the child's first name, when, where and a link to sign in."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .enums import Response, VenueKind
from .models import Meeting

REQUEST = "REQUEST"
CANCEL = "CANCEL"

PARTSTAT = {Response.PENDING: "NEEDS-ACTION", Response.ATTENDING: "ACCEPTED", Response.APOLOGIES: "DECLINED"}


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def uid(meeting: Meeting) -> str:
    """The same for every message about the meeting, however often it moves."""
    return f"pep-meeting-{meeting.pk}@openpep"


def _address(person: Person, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    for name, value in params.items():
        address.params[name] = vText(value)
    return address


def invitation(
    meeting: Meeting,
    *,
    method: str,
    organiser: Person,
    attendee: Person,
    response: str = Response.PENDING,
    summary: str,
    description: str,
) -> bytes:
    """The .ics file for one invitee. ``meeting.sequence`` must already count the change being sent."""
    return calendar_file(
        meeting,
        method=method,
        organiser=organiser,
        attendees=[(_address(attendee), response)],
        summary=summary,
        description=description,
    )


def listed(email: str) -> vCalAddress:
    """An attendee as the downloaded file lists them: the e-mail address alone, no name."""
    return vCalAddress(f"mailto:{email}")


def calendar_file(
    meeting: Meeting,
    *,
    method: str,
    organiser: Person,
    attendees: list[tuple[vCalAddress, str]],
    summary: str,
    description: str,
) -> bytes:
    """The meeting's event, with ``attendees`` (address, answer): the e-mailed invitation
    names its one invitee, the file downloaded from the meeting lists every invitee's
    address. ``meeting.sequence`` must already count the change being sent."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//PEP meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", summary)
    event.add("location", meeting.online_link if meeting.venue_kind == VenueKind.ONLINE else meeting.where)
    event.add("description", description)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", _address(organiser))
    # Answers are given in OpenPEP, where everyone can see them: calendars are
    # asked not to send replies to the social worker's mailbox.
    for address, response in attendees:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText(PARTSTAT[Response(response)])
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    calendar.add_component(event)
    # VTIMEZONE for Europe/London around the meeting only, not since 1970.
    year = meeting.held_on.year
    calendar.add_missing_timezones(first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 1, 12, 31))
    return calendar.to_ical()
