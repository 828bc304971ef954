""" "Add to calendar" (the meeting's .ics, downloaded from the PEP page) and "Resend invitation":
the downloaded file is the e-mailed event (same UID and SEQUENCE), read back with ``icalendar``;
it lists invitees by e-mail address alone and nothing of the carer; resending is the social
worker's, audited, and sends the same event again."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.meetings import services
from openpep.meetings.models import Meeting
from tests.builders import cast_of, fresh, invite, schedule_meeting, start
from tests.fixtures import sign_in

D = datetime.date
T = datetime.time
SPRING_DAY = D(2027, 3, 2)  # a Tuesday, Greenwich Mean Time
SUMMER_DAY = D(2027, 6, 8)  # a Tuesday, British Summer Time
AUTOMATIC = ["dt@test.example", "iro@test.example", "vs@test.example"]


@pytest.fixture
def pep(world):
    return start(cast_of(world))  # an initial PEP: the Virtual School is invited too


def _download(client, pep):
    response = client.get(reverse("meetings:calendar", args=[pep.pk]))
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def _emailed_event(message):
    [part] = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True)).events[0]


def test_the_downloaded_file_is_the_emailed_event_in_london_time(
    world, client, pep, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=SPRING_DAY, start_time=T(16, 0))
        meeting = schedule_meeting(pep, world.sw, held_on=SUMMER_DAY, start_time=T(15, 30))  # moved: SEQUENCE 1
    sign_in(client, world.dt)

    response, calendar = _download(client, pep)

    event = calendar.events[0]
    emailed = _emailed_event(mailoutbox[-1])
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=REQUEST"
    assert response["Content-Disposition"] == f'attachment; filename="pep-meeting-{pep.pk}.ics"'
    assert (calendar["METHOD"], event.uid, event.sequence, event["STATUS"]) == (
        "REQUEST",
        f"pep-meeting-{meeting.pk}@openpep",
        1,
        "CONFIRMED",
    )
    assert (event.uid, event.sequence) == (emailed.uid, emailed.sequence)
    assert event.start == datetime.datetime(2027, 6, 8, 15, 30, tzinfo=meeting.starts_at.tzinfo)
    assert str(event.start.tzinfo) == "Europe/London" and event.start.utcoffset() == datetime.timedelta(hours=1)
    assert event.decoded("DTSTART").astimezone(datetime.UTC).hour == 14
    assert str(event["SUMMARY"]) == "PEP meeting for Amira"


def test_the_downloaded_file_lists_invitees_by_address_alone_and_nothing_of_the_carer(world, client, pep):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    invite(pep, world.sw, name="Jo Carer", email="jo.carer@example.org")
    invite(pep, world.sw, name="Pat Parent", email="pat.parent@example.org", role="parent")
    sign_in(client, world.iro)

    response, calendar = _download(client, pep)

    attendees = calendar.events[0].get("ATTENDEE")
    assert sorted(str(a) for a in attendees) == sorted(f"mailto:{e}" for e in [*AUTOMATIC, "pat.parent@example.org"])
    assert all("CN" not in a.params for a in attendees)
    text = response.content.decode()
    assert "jo.carer" not in text.lower() and "Jo Carer" not in text and "Carer" not in text
    assert "Pat Parent" not in text  # names are not listed, only addresses


def test_downloading_is_audited_as_a_download(world, client, pep):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    sign_in(client, world.vs)

    _download(client, pep)

    entry = AuditEntry.objects.filter(verb=Verb.DOWNLOADED).get()
    assert (entry.actor, entry.pep_id, entry.child_id, entry.summary) == (
        world.vs,
        pep.pk,
        pep.child_id,
        "Downloaded the calendar file of the PEP meeting of Tuesday 2 March 2027 at 16:00",
    )
    assert entry.after == {"method": "REQUEST", "sequence": meeting.sequence}


def test_a_cancelled_meetings_file_is_a_cancel_of_the_same_event(world, client, pep):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    services.cancel(world.sw, fresh(pep))
    sign_in(client, world.dt)

    response, calendar = _download(client, pep)

    event = calendar.events[0]
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=CANCEL"
    assert (calendar["METHOD"], event.uid, event.sequence, event["STATUS"]) == (
        "CANCEL",
        f"pep-meeting-{meeting.pk}@openpep",
        1,
        "CANCELLED",
    )


def test_no_file_for_a_meeting_not_scheduled_and_none_out_of_scope(world, client, pep):
    sign_in(client, world.sw)
    assert client.get(reverse("meetings:calendar", args=[pep.pk])).status_code == 404
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    # Charlie: the social worker of another team sees nothing of Amira's meeting.
    sign_in(client, world.sw_other)
    assert client.get(reverse("meetings:calendar", args=[pep.pk])).status_code == 404
    assert not AuditEntry.objects.filter(verb=Verb.DOWNLOADED).exists()


def test_resending_one_invitation_sends_the_same_event_again_and_is_audited(
    world, client, pep, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    first = _emailed_event(next(m for m in mailoutbox if m.to == ["dt@test.example"]))
    mailoutbox.clear()
    dt_invitation = meeting.invitations.get(email="dt@test.example")
    sign_in(client, world.sw)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:resend", args=[pep.pk, dt_invitation.pk]))

    assert response.status_code == 302
    [message] = mailoutbox
    again = _emailed_event(message)
    assert message.to == ["dt@test.example"]
    assert (again.uid, again.sequence) == (first.uid, first.sequence) == (f"pep-meeting-{meeting.pk}@openpep", 0)
    entry = AuditEntry.objects.filter(summary__startswith="Sent the invitation").get()
    assert (entry.actor, entry.verb, entry.pep_id, entry.summary) == (
        world.sw,
        Verb.SENT,
        pep.pk,
        f"Sent the invitation to the PEP meeting again to {dt_invitation.name} (Designated Teacher)",
    )


def test_resending_to_everyone_emails_every_invitee(world, client, pep, django_capture_on_commit_callbacks, mailoutbox):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    invite(pep, world.sw)
    sign_in(client, world.sw)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:resend_all", args=[pep.pk]))

    assert sorted(m.to[0] for m in mailoutbox) == sorted([*AUTOMATIC, "jo.carer@example.org"])
    assert AuditEntry.objects.filter(summary__startswith="Sent the invitation to the PEP meeting again").count() == 4


def test_only_the_social_worker_resends_and_not_for_a_cancelled_meeting(
    world, client, pep, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    sign_in(client, world.dt)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:resend_all", args=[pep.pk]))
    with pytest.raises(PermissionDenied):
        services.resend(world.dt, fresh(pep))

    assert response.status_code == 403 and mailoutbox == []
    services.cancel(world.sw, fresh(pep))
    with pytest.raises(ValidationError) as refused:
        services.resend(world.sw, fresh(pep), meeting.invitations.first())
    assert refused.value.messages == ["The meeting has been cancelled: schedule it again first"]
    assert not AuditEntry.objects.filter(summary__startswith="Sent the invitation").exists()


def test_the_pep_page_offers_add_to_calendar_to_whoever_sees_the_meeting_and_resend_to_the_social_worker(
    world, client, pep
):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    calendar_url = reverse("meetings:calendar", args=[pep.pk])
    resend_url = reverse("meetings:resend_all", args=[pep.pk])

    sign_in(client, world.sw)
    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()
    assert calendar_url in page and resend_url in page and "Resend invitation" in page
    sign_in(client, world.dt)
    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()
    assert calendar_url in page and resend_url not in page and "Resend invitation" not in page
    assert Meeting.objects.get(pep=pep).sequence == 0
