"""The meeting's e-mails and their iCalendar files, read back with the ``icalendar`` library:
one UID for the meeting's life, a SEQUENCE that only goes up, REQUEST then CANCEL, London times,
and nothing about the child but the first name."""

import datetime

import pytest
from django.conf import settings
from icalendar import Calendar

from openpep.meetings import services
from openpep.meetings.enums import Response, VenueKind
from openpep.meetings.models import LONDON
from tests.builders import cast_of, fresh, invite, schedule_meeting, start

D = datetime.date
T = datetime.time
SPRING_DAY = D(2027, 3, 2)  # a Tuesday, Greenwich Mean Time
SUMMER_DAY = D(2027, 6, 8)  # a Tuesday, British Summer Time
AUTOMATIC = ["dt@test.example", "iro@test.example", "vs@test.example"]


def calendar_of(message):
    """The message's one .ics attachment: its MIME part and the calendar parsed from it."""
    [part] = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def event_of(message):
    return calendar_of(message)[1].events[0]


def recipients(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


@pytest.fixture
def pep(world):
    return start(cast_of(world))  # an initial PEP: the Virtual School is invited too


def test_first_scheduling_sends_each_invitee_a_request(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY, start_time=T(16, 0), planned_minutes=45)

    assert recipients(mailoutbox) == AUTOMATIC
    for message in mailoutbox:
        part, calendar = calendar_of(message)
        event = calendar.events[0]
        assert (part.get_param("method"), part.get_filename()) == ("REQUEST", "invite.ics")
        assert (calendar["METHOD"], event.uid, event.sequence, event["STATUS"]) == (
            "REQUEST",
            f"pep-meeting-{meeting.pk}@openpep",
            0,
            "CONFIRMED",
        )
        assert (event.start, event.end) == (
            datetime.datetime(2027, 3, 2, 16, 0, tzinfo=LONDON),
            datetime.datetime(2027, 3, 2, 16, 45, tzinfo=LONDON),
        )
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert str(event["LOCATION"]) == "Meeting room 2, Oak Primary"  # a room at the school names it
        assert str(event["ORGANIZER"]) == "mailto:sw@test.example"
        assert str(event["ATTENDEE"]) == f"mailto:{message.to[0]}"
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        assert message.subject == "Invitation: PEP meeting for Amira, Tuesday 2 March 2027 at 16:00"
        assert message.reply_to == ["sw@test.example"]


def test_summer_meeting_is_in_british_summer_time(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=SUMMER_DAY, start_time=T(16, 0))

    event = event_of(mailoutbox[0])
    assert event.start.utcoffset() == datetime.timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/London:20270608T160000" in calendar_of(mailoutbox[0])[0].get_payload(decode=True)


def test_rescheduling_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    world, pep, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    uid = event_of(mailoutbox[0]).uid
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        moved = schedule_meeting(pep, world.sw, held_on=D(2027, 3, 3), start_time=T(15, 30))

    assert (first.pk, moved.sequence) == (moved.pk, 1)
    assert recipients(mailoutbox) == AUTOMATIC
    for message in mailoutbox:
        event = event_of(message)
        assert (calendar_of(message)[1]["METHOD"], event.uid, event.sequence) == ("REQUEST", uid, 1)
        assert event.start == datetime.datetime(2027, 3, 3, 15, 30, tzinfo=LONDON)
        assert message.subject == "Changed: PEP meeting for Amira, now Wednesday 3 March 2027 at 15:30"


def test_changing_only_how_the_child_takes_part_sends_nothing(
    world, pep, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    meeting.child_input = "Her views written with her key adult"

    with django_capture_on_commit_callbacks(execute=True):
        saved = services.schedule(world.sw, fresh(pep), meeting, expected_version=meeting.lock_version)

    assert (mailoutbox, saved.sequence, saved.child_input) == ([], 0, "Her views written with her key adult")


def test_cancelling_sends_cancel_with_the_same_uid_and_a_higher_sequence(
    world, pep, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    schedule_meeting(pep, world.sw, held_on=D(2027, 3, 3))  # sequence 1

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(world.sw, fresh(pep))

    assert recipients(mailoutbox) == AUTOMATIC
    for message in mailoutbox:
        part, calendar = calendar_of(message)
        event = calendar.events[0]
        assert (part.get_param("method"), calendar["METHOD"]) == ("CANCEL", "CANCEL")
        assert (event.uid, event.sequence, event["STATUS"]) == (f"pep-meeting-{meeting.pk}@openpep", 2, "CANCELLED")
        assert message.subject == "Cancelled: PEP meeting for Amira, Wednesday 3 March 2027 at 16:00"


def test_scheduling_again_after_cancelling_re_invites_everyone_with_a_higher_sequence(
    world, pep, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    services.cancel(world.sw, fresh(pep))

    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=D(2027, 3, 9))

    meeting.refresh_from_db()
    assert (meeting.cancelled_at, meeting.sequence) == (None, 2)
    assert recipients(mailoutbox) == AUTOMATIC
    assert {(calendar_of(m)[1]["METHOD"], event_of(m).sequence) for m in mailoutbox} == {("REQUEST", 2)}


def test_someone_invited_later_gets_the_current_sequence(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    schedule_meeting(pep, world.sw, held_on=D(2027, 3, 3))

    with django_capture_on_commit_callbacks(execute=True):
        invite(pep, world.sw)

    [message] = mailoutbox
    assert (message.to, event_of(message).sequence) == (["jo.carer@example.org"], 1)


def test_a_withdrawn_invitee_alone_is_sent_a_cancel(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    carer = invite(pep, world.sw)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_invitation(world.sw, fresh(pep), carer)

    [message] = mailoutbox
    part, calendar = calendar_of(message)
    event = calendar.events[0]
    assert (message.to, part.get_param("method"), event.uid, event.sequence) == (
        ["jo.carer@example.org"],
        "CANCEL",
        f"pep-meeting-{meeting.pk}@openpep",
        1,
    )
    assert message.subject.startswith("Withdrawn: invitation to the PEP meeting for Amira")
    assert meeting.invitations.filter(email="jo.carer@example.org").exists() is False


def test_the_attendee_line_carries_the_invitees_answer(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    dt_invitation = fresh(pep).meeting.invitations.get(user=world.dt)
    services.answer(world.dt, fresh(pep), dt_invitation, Response.ATTENDING)

    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=SPRING_DAY, venue="The library")  # the place only: answers stand

    by_address = {message.to[0]: event_of(message) for message in mailoutbox}
    assert by_address["dt@test.example"]["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert by_address["vs@test.example"]["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"


def test_an_invitee_with_an_account_gets_a_link_to_sign_in(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=SPRING_DAY)

    link = f"{settings.SITE_URL}/sign-in/?next=%2Fpeps%2F{pep.pk}%2F"
    message = next(m for m in mailoutbox if m.to == ["dt@test.example"])
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0].content


def test_an_invitee_without_an_account_is_asked_to_reply(world, pep, django_capture_on_commit_callbacks, mailoutbox):
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)

    with django_capture_on_commit_callbacks(execute=True):
        invite(pep, world.sw)

    [message] = mailoutbox
    assert "Please tell Sam Worker (sw@test.example) whether you can come: reply to this e-mail." in message.body
    assert "sign-in" not in message.body
    assert message.reply_to == ["sw@test.example"]


def test_no_email_or_calendar_says_more_about_the_child_than_the_first_name(
    world, pep, django_capture_on_commit_callbacks, mailoutbox
):
    child = world.child
    child.last_name = "Quarshie-Whitlock"  # a surname no address or word contains
    child.upn = "A999999999121"
    child.save()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_meeting(pep, world.sw, held_on=SPRING_DAY, venue_kind=VenueKind.ELSEWHERE, venue="Town Hall")
        carer = invite(pep, world.sw)
        schedule_meeting(
            pep, world.sw, held_on=D(2027, 3, 3), venue_kind=VenueKind.ONLINE, online_link="https://meet.example/x"
        )
        services.remove_invitation(world.sw, fresh(pep), carer)
        services.cancel(world.sw, fresh(pep))

    subjects = {message.subject.split(":")[0] for message in mailoutbox}
    assert subjects == {"Invitation", "Changed", "Withdrawn", "Cancelled"}
    secrets = ["Quarshie", "Whitlock", "A999999999121", "2 March 2014", "2014-03-02", "20140302", "Oak Primary"]
    for message in mailoutbox:
        ics = calendar_of(message)[0].get_payload(decode=True).decode().replace("\r\n ", "")  # lines unfolded
        for text in (message.subject, message.body, message.alternatives[0].content, ics):
            assert "Amira" in text
            for secret in secrets:
                assert secret not in text, (message.subject, secret)
