"""The demo schedules the open PEPs' meetings through the services, with answers to show."""

from openpep.meetings.enums import MeetingRole, Response
from openpep.meetings.models import Meeting
from openpep.meetings.queries import virtual_school_answer
from openpep.plans.enums import Occasion, Status
from openpep.plans.models import Pep


def test_demo_schedules_every_open_peps_meeting_with_invitations_and_answers(
    db, django_capture_on_commit_callbacks, mailoutbox, demo_snapshot
):
    with django_capture_on_commit_callbacks(execute=True):
        demo_snapshot.load()  # as build_demo() leaves it, built once for the run (tests/fixtures.py)

    open_peps = Pep.objects.exclude(status=Status.SIGNED_OFF)
    scheduled = Meeting.objects.filter(pep__in=open_peps).exclude(venue_kind="")
    assert scheduled.count() == open_peps.count()
    assert not Meeting.objects.filter(pep__status=Status.SIGNED_OFF).exclude(venue_kind="").exists()
    assert all(meeting.invitations.filter(role=MeetingRole.CARER).exists() for meeting in scheduled)
    initial = scheduled.filter(pep__occasion=Occasion.INITIAL)
    answers = [virtual_school_answer(list(meeting.invitations.all())) for meeting in initial]
    assert "The Virtual School has accepted" in answers
    assert "The Virtual School has not answered yet" in answers
    assert scheduled.filter(invitations__response=Response.APOLOGIES, invitations__role=MeetingRole.IRO).exists()
    # Sent once committed: the invitations, and the word to Poppy's Designated Teacher that she has sent
    # her views (the demo's Have your say, openpep/voice/demo.py).
    assert {message.subject.split(":")[0] for message in mailoutbox} == {"Invitation", "Poppy has sent their views"}
