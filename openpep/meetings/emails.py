"""The meeting's e-mails, each with an iCalendar file.

They carry nothing sensitive: the child's first name, the meeting's date, time
and place, and a link to sign in. No surname, date of birth, placement or school
(unless the meeting is at the school). Each is sent after the transaction that
caused it has committed, and takes ids, reading what it needs afresh."""

from email.mime.text import MIMEText
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats

from openpep.mail import render_subject, render_text

from . import ics
from .enums import MeetingRole, VenueKind
from .models import Invitation, Meeting


def send_invitation(invitation_id: int) -> None:
    """The first invitation to the meeting (METHOD:REQUEST)."""
    invitation = _invitation(invitation_id)
    if invitation is not None:
        _send("invitation", invitation.meeting, invitation, ics.REQUEST)


def send_update(invitation_id: int) -> None:
    """The meeting has moved: the same event, a higher SEQUENCE (METHOD:REQUEST)."""
    invitation = _invitation(invitation_id)
    if invitation is not None:
        _send("update", invitation.meeting, invitation, ics.REQUEST)


def send_cancellation(invitation_id: int) -> None:
    """The meeting is cancelled (METHOD:CANCEL)."""
    invitation = _invitation(invitation_id)
    if invitation is not None:
        _send("cancellation", invitation.meeting, invitation, ics.CANCEL)


def send_withdrawal(meeting_id: int, name: str, email: str) -> None:
    """Someone has been taken off the meeting (METHOD:CANCEL to them alone). Their
    invitation is gone, so they are named here."""
    meeting = _meetings().filter(pk=meeting_id).first()
    if meeting is not None:
        _send("withdrawal", meeting, Invitation(meeting=meeting, name=name, email=email), ics.CANCEL)


def _meetings():
    return Meeting.objects.select_related("pep__child__social_worker")


def _invitation(invitation_id: int) -> Invitation | None:
    # Gone already when it was removed in the same transaction that sent it.
    return (
        Invitation.objects.select_related("meeting__pep__child__social_worker", "user").filter(pk=invitation_id).first()
    )


def _organiser(meeting: Meeting) -> ics.Person:
    social_worker = meeting.pep.child.social_worker
    if social_worker is None:
        return ics.Person(settings.SERVICE_NAME, settings.DEFAULT_FROM_EMAIL)
    return ics.Person(social_worker.full_name, social_worker.email)


def _link(meeting: Meeting) -> str:
    page = reverse("plans:detail", args=[meeting.pep_id])
    return f"{settings.SITE_URL}{reverse('login')}?{urlencode({'next': page})}"


def _summary(meeting: Meeting) -> str:
    return f"PEP meeting for {meeting.pep.child.first_name}"


def _description(link: str) -> str:
    return f"Sign in to {settings.SERVICE_NAME} to answer and to read the plan: {link}"


#: Who the downloaded file does not list: a carer's e-mail address tells where the child lives.
UNLISTED_ROLES = (MeetingRole.CARER,)


def calendar_file(meeting: Meeting) -> tuple[str, bytes]:
    """The file "Add to calendar" downloads: the e-mailed invitation's event (same UID and
    SEQUENCE; a CANCEL once cancelled), listing every invitee but carers by e-mail address
    alone. Returns the method and the file."""
    method = ics.CANCEL if meeting.cancelled else ics.REQUEST
    invitations = meeting.invitations.exclude(role__in=UNLISTED_ROLES).order_by("created_at", "pk")
    return method, ics.calendar_file(
        meeting,
        method=method,
        organiser=_organiser(meeting),
        attendees=[(ics.listed(i.email), i.response) for i in invitations],
        summary=_summary(meeting),
        description=_description(_link(meeting)),
    )


def _send(kind: str, meeting: Meeting, invitation: Invitation, method: str) -> None:
    child = meeting.pep.child
    organiser = _organiser(meeting)
    link = _link(meeting)
    context = {
        "service": settings.SERVICE_NAME,
        "first_name": child.first_name,
        "invitee": invitation.name,
        "day": formats.date_format(meeting.held_on, "l j F Y"),
        "starts": f"{meeting.start_time:%H:%M}",
        "ends": f"{meeting.ends_at:%H:%M}",
        "where": meeting.where,
        "online": meeting.venue_kind == VenueKind.ONLINE,
        "online_link": meeting.online_link,
        "organiser": organiser,
        "has_account": invitation.user_id is not None,
        "link": link,
    }
    message = EmailMultiAlternatives(
        subject=render_subject(f"meetings/email/{kind}_subject.txt", context),
        body=render_text(f"meetings/email/{kind}.txt", context),
        to=[invitation.email],
        reply_to=[organiser.email],
    )
    message.attach_alternative(render_to_string(f"meetings/email/{kind}.html", context), "text/html")
    calendar = ics.invitation(
        meeting,
        method=method,
        organiser=organiser,
        attendee=ics.Person(invitation.name, invitation.email),
        response=invitation.response,
        summary=_summary(meeting),
        description=_description(link),
    )
    part = MIMEText(calendar.decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    message.send()
