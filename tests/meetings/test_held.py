"""A meeting is recorded as held only once it has started, and a PEP is not signed off while
its meeting is still to come: in the services, and said plainly on the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpep.meetings import services
from openpep.meetings.enums import Attendance, MeetingRole
from openpep.meetings.models import LONDON, Attendee, Meeting
from openpep.plans.enums import DecisionOutcome, Status
from openpep.plans.models import Pep
from openpep.plans.workflow import transition
from tests.builders import a_weekday_ahead, cast_of, fresh, hold, pep_in, schedule_meeting, start
from tests.fixtures import sign_in

D = datetime.date


def _still_to_come(pep: Pep) -> Meeting:
    Meeting.objects.filter(pep=pep).update(held_on=a_weekday_ahead(7))
    return Meeting.objects.get(pep=pep)


def _not_started(meeting: Meeting, doing: str) -> str:
    day = f"{meeting.held_on:%A} {meeting.held_on.day} {meeting.held_on:%B %Y}"
    return f"The PEP meeting is on {day} at {meeting.start_time:%H:%M}: {doing} until it has started"


def test_a_meeting_has_started_from_its_start_time_in_london():
    meeting = Meeting(held_on=D(2027, 3, 2), start_time=datetime.time(10, 0))

    assert meeting.has_started(datetime.datetime(2027, 3, 2, 9, 59, 59, tzinfo=LONDON)) is False
    assert meeting.has_started(datetime.datetime(2027, 3, 2, 10, 0, tzinfo=LONDON)) is True
    # Summer time: 10:00 in London is 09:00 UTC.
    summer = Meeting(held_on=D(2027, 6, 8), start_time=datetime.time(10, 0))
    assert summer.has_started(datetime.datetime(2027, 6, 8, 9, 0, tzinfo=datetime.UTC)) is True


def test_recording_a_meeting_still_to_come_is_refused_by_the_service(world):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw)
    meeting.chair, meeting.note_taker, meeting.agreed = "Sam Worker", "Dee Teacher", True

    with pytest.raises(ValidationError) as refused:
        services.record_meeting(world.sw, fresh(pep), meeting, expected_version=meeting.lock_version)

    assert refused.value.messages == [_not_started(meeting, "it cannot be recorded as held")]
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.chair, saved.note_taker, saved.agreed) == ("", "", False)


def test_the_record_form_says_why_in_its_error_summary_and_keeps_what_was_typed(world, client):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw)
    sign_in(client, world.sw)
    data = {
        "held_on_0": str(meeting.held_on.day),
        "held_on_1": str(meeting.held_on.month),
        "held_on_2": str(meeting.held_on.year),
        "start_time": "16:00",
        "planned_minutes": "60",
        "venue": "Meeting room 2",
        "chair": "Sam Worker",
        "note_taker": "Dee Teacher",
        "notes": "Amira read her views aloud",
        "agreed": "on",
        "lock_version": str(meeting.lock_version),
    }

    response = client.post(reverse("meetings:edit", args=[pep.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index("govuk-error-summary") :]
    assert _not_started(meeting, "it cannot be recorded as held") in summary
    assert "Amira read her views aloud" in page and 'value="Sam Worker"' in page
    assert Meeting.objects.get(pk=meeting.pk).chair == ""


def test_the_meeting_is_recorded_once_it_has_started(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)
    meeting = hold(pep)
    meeting.chair, meeting.note_taker, meeting.agreed = "Sam Worker", "Dee Teacher", True

    services.record_meeting(world.sw, fresh(pep), meeting, expected_version=meeting.lock_version)

    assert Meeting.objects.get(pk=meeting.pk).chair == "Sam Worker"


def test_nobody_is_recorded_as_present_before_the_meeting_but_apologies_may_come_first(world, client):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw)
    present = Attendee(name="Jo Carer", role=MeetingRole.CARER, attendance=Attendance.PRESENT)

    with pytest.raises(ValidationError) as refused:
        services.add_attendee(world.sw, fresh(pep), present)
    services.add_attendee(world.sw, fresh(pep), Attendee(name="Ann Iro", role=MeetingRole.IRO, attendance="apologies"))

    assert refused.value.message_dict == {"attendance": [_not_started(meeting, "nobody can be recorded as present")]}
    sign_in(client, world.sw)
    response = client.post(
        reverse("meetings:attendee_add", args=[pep.pk]), {"name": "Jo Carer", "role": "carer", "attendance": "present"}
    )
    assert _not_started(meeting, "nobody can be recorded as present") in response.content.decode()
    assert list(meeting.attendees.values_list("name", "attendance")) == [("Ann Iro", "apologies")]


def test_sign_off_is_refused_while_the_meeting_is_to_come_then_allowed_once_it_has_started(world, client):
    cast = cast_of(world)
    pep = pep_in(cast, Status.SUBMITTED)
    meeting = _still_to_come(pep)
    why = _not_started(meeting, "the PEP cannot be signed off")

    with pytest.raises(ValidationError) as refused:
        transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)
    assert refused.value.messages == [why]

    sign_in(client, world.vs)
    url = reverse("plans:move", args=[pep.pk, Status.SIGNED_OFF])
    assert why in client.get(url).content.decode()
    response = client.post(url, {"note": ""})
    assert response.status_code == 200 and why in response.content.decode()
    assert fresh(pep).status == Status.SUBMITTED

    hold(pep)
    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)

    assert fresh(pep).status == Status.SIGNED_OFF
    assert list(fresh(pep).decisions.values_list("outcome", flat=True)) == [DecisionOutcome.SIGNED_OFF]
