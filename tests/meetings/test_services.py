"""Scheduling, invitations and answers through the services: who is invited, who may act."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpep.audit.models import AuditEntry
from openpep.children import services as children_services
from openpep.meetings import services
from openpep.meetings.enums import MeetingRole, Response
from openpep.meetings.models import Invitation, Meeting
from openpep.people.enums import Role
from openpep.people.models import Membership
from openpep.plans.enums import Occasion, Status
from openpep.plans.services import Conflict
from openpep.plans.workflow import transition
from tests.builders import (
    cast_of,
    complete_section_c,
    fresh,
    invite,
    record_meeting,
    schedule_meeting,
    school_part_done,
    start,
)
from tests.fixtures import make_user

D = datetime.date
SPRING_DAY = D(2027, 3, 2)


def invited(meeting) -> set:
    return set(meeting.invitations.values_list("role", "user__email", "response"))


def test_first_scheduling_of_an_initial_pep_invites_the_school_the_iro_and_the_virtual_school(world):
    meeting = schedule_meeting(start(cast_of(world), occasion=Occasion.INITIAL), world.sw)

    # The Virtual School's officer, not its Head; not the officer of another authority.
    assert invited(meeting) == {
        (MeetingRole.DESIGNATED_TEACHER, "dt@test.example", Response.PENDING),
        (MeetingRole.IRO, "iro@test.example", Response.PENDING),
        (MeetingRole.VIRTUAL_SCHOOL, "vs@test.example", Response.PENDING),
    }
    assert meeting.sequence == 0


def test_first_scheduling_of_a_review_pep_does_not_invite_the_virtual_school(world):
    meeting = schedule_meeting(start(cast_of(world), occasion=Occasion.REVIEW), world.sw)

    assert invited(meeting) == {
        (MeetingRole.DESIGNATED_TEACHER, "dt@test.example", Response.PENDING),
        (MeetingRole.IRO, "iro@test.example", Response.PENDING),
    }


def test_first_scheduling_invites_every_designated_teacher_of_the_school_today(world):
    second = make_user("dt3@test.example", "Dana Second", Role.DESIGNATED_TEACHER, school=world.school)
    left = make_user("dt4@test.example", "Del Left", Role.DESIGNATED_TEACHER, school=world.school)
    Membership.objects.filter(user=left).update(ends_on=datetime.date(2024, 7, 31))
    pep = start(cast_of(world), occasion=Occasion.REVIEW)

    meeting = schedule_meeting(pep, world.sw)

    assert set(meeting.invitations.filter(role=MeetingRole.DESIGNATED_TEACHER).values_list("user", flat=True)) == {
        world.dt.pk,
        second.pk,
    }


def test_first_scheduling_after_a_change_of_school_invites_the_new_schools_teacher(world):
    pep = start(cast_of(world), occasion=Occasion.REVIEW)
    children_services.change_school(world.sw, world.child, world.other_school, datetime.date(2024, 1, 8))

    meeting = schedule_meeting(fresh(pep), world.sw)

    assert set(meeting.invitations.values_list("user__email", flat=True)) == {"dt2@test.example", "iro@test.example"}


def test_scheduling_writes_the_audit_trail(world):
    meeting = schedule_meeting(start(cast_of(world)), world.sw, held_on=SPRING_DAY)

    entries = AuditEntry.objects.filter(pep_id=meeting.pep_id).order_by("id").values_list("verb", "summary")
    assert list(entries)[-4:] == [
        ("scheduled", "Scheduled the PEP meeting for Tuesday 2 March 2027 at 16:00"),
        ("created", "Invited Dee Teacher (Designated Teacher) to the PEP meeting"),
        ("created", "Invited Ira Reviewer (Independent Reviewing Officer) to the PEP meeting"),
        ("created", "Invited Val School (Virtual School) to the PEP meeting"),
    ]


@pytest.mark.parametrize("role", ["dt", "sw_other", "tm", "vs", "vs_admin", "iro"])
def test_scheduling_by_anyone_but_the_allocated_social_worker_is_refused(role, world):
    pep = start(cast_of(world))

    with pytest.raises(PermissionDenied):
        schedule_meeting(pep, getattr(world, role))

    assert Meeting.objects.filter(pep=pep).exists() is False


def test_scheduling_a_submitted_pep_is_refused(world):
    cast = cast_of(world)
    pep = start(cast)
    school_part_done(cast, pep)
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)
    complete_section_c(fresh(pep), world.sw)
    schedule_meeting(pep, world.sw)
    record_meeting(pep, world.sw)
    transition(fresh(pep), Status.SUBMITTED, actor=world.sw)

    with pytest.raises(PermissionDenied):
        schedule_meeting(pep, world.sw, held_on=SPRING_DAY)


def test_scheduling_on_a_stale_version_raises_conflict_and_writes_nothing(world):
    pep = start(cast_of(world))
    mine = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    schedule_meeting(pep, world.sw, held_on=D(2027, 3, 3))  # someone else's save: version 2
    mine.held_on = D(2027, 3, 4)

    with pytest.raises(Conflict) as clash:
        services.schedule(world.sw, fresh(pep), mine, expected_version=1)

    assert clash.value.current.held_on == D(2027, 3, 3)
    assert Meeting.objects.get(pep=pep).held_on == D(2027, 3, 3)


def test_moving_the_date_clears_the_answers_but_moving_the_room_keeps_them(world):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    dt_invitation = meeting.invitations.get(user=world.dt)
    services.answer(world.dt, fresh(pep), dt_invitation, Response.ATTENDING)

    schedule_meeting(pep, world.sw, held_on=SPRING_DAY, venue="The library")
    after_room = Invitation.objects.get(pk=dt_invitation.pk)
    schedule_meeting(pep, world.sw, held_on=D(2027, 3, 3), venue="The library")
    after_date = Invitation.objects.get(pk=dt_invitation.pk)

    assert (after_room.response, after_room.responded_at is not None) == (Response.ATTENDING, True)
    assert (after_date.response, after_date.responded_at) == (Response.PENDING, None)
    assert Meeting.objects.get(pep=pep).sequence == 2


def test_inviting_someone_else_links_their_account_by_email(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)

    carer = invite(pep, world.sw, name="Jo Carer", email=" Jo.Carer@Example.org ")
    head = invite(pep, world.sw, name="Viv Head", email="VSH@test.example", role=MeetingRole.VIRTUAL_SCHOOL)

    assert (carer.email, carer.user, carer.role) == ("jo.carer@example.org", None, MeetingRole.CARER)
    assert (head.email, head.user) == ("vsh@test.example", world.vs_admin)


def test_inviting_the_same_address_twice_is_refused(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)
    invite(pep, world.sw)

    with pytest.raises(ValidationError) as refusal:
        invite(pep, world.sw, name="Jo Again", email="JO.CARER@example.org")

    assert refusal.value.message_dict == {"email": ["jo.carer@example.org has already been invited"]}


def test_inviting_before_the_meeting_is_scheduled_is_refused(world):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)  # recorded, never scheduled

    with pytest.raises(ValidationError) as refusal:
        invite(pep, world.sw)

    assert refusal.value.messages == ["Schedule the meeting first"]


def test_scheduling_a_meeting_already_recorded_keeps_the_record_and_invites(world):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)

    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)

    assert (meeting.chair, meeting.agreed, meeting.held_on, meeting.sequence) == ("Sam Worker", True, SPRING_DAY, 0)
    assert meeting.invitations.count() == 3


def test_an_invitee_answers_their_own_invitation(world):
    pep = start(cast_of(world))
    invitation = schedule_meeting(pep, world.sw).invitations.get(user=world.vs)

    services.answer(world.vs, fresh(pep), invitation, Response.APOLOGIES)

    invitation.refresh_from_db()
    assert (invitation.response, invitation.responded_at is not None) == (Response.APOLOGIES, True)
    entry = AuditEntry.objects.filter(target_type="meetings.invitation").latest("id")
    assert (entry.verb, entry.actor, entry.summary, entry.before, entry.after) == (
        "answered",
        world.vs,
        "Val School answered the invitation to the PEP meeting: sent apologies",
        {"response": "pending"},
        {"response": "apologies"},
    )


@pytest.mark.parametrize("role", ["sw", "vs", "iro", "dt_other"])
def test_answering_someone_elses_invitation_is_refused(role, world):
    pep = start(cast_of(world))
    invitation = schedule_meeting(pep, world.sw).invitations.get(user=world.dt)

    with pytest.raises(PermissionDenied):
        services.answer(getattr(world, role), fresh(pep), invitation, Response.ATTENDING)

    assert Invitation.objects.get(pk=invitation.pk).response == Response.PENDING


def test_the_social_worker_records_the_answer_of_someone_without_an_account(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)
    carer = invite(pep, world.sw)

    services.answer(world.sw, fresh(pep), carer, Response.ATTENDING)

    carer.refresh_from_db()
    assert carer.response == Response.ATTENDING
    assert AuditEntry.objects.latest("id").summary == (
        "Recorded the answer of Jo Carer to the invitation to the PEP meeting: attending"
    )


def test_the_designated_teacher_cannot_record_the_carers_answer(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)
    carer = invite(pep, world.sw)

    with pytest.raises(PermissionDenied):
        services.answer(world.dt, fresh(pep), carer, Response.ATTENDING)


def test_answering_a_cancelled_meeting_is_refused(world):
    pep = start(cast_of(world))
    invitation = schedule_meeting(pep, world.sw).invitations.get(user=world.dt)
    services.cancel(world.sw, fresh(pep))

    with pytest.raises(PermissionDenied):
        services.answer(world.dt, fresh(pep), invitation, Response.ATTENDING)


def test_an_answer_that_is_neither_attending_nor_apologies_is_refused(world):
    pep = start(cast_of(world))
    invitation = schedule_meeting(pep, world.sw).invitations.get(user=world.dt)

    with pytest.raises(ValidationError):
        services.answer(world.dt, fresh(pep), invitation, Response.PENDING)


def test_cancelling_twice_is_refused(world):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw)
    services.cancel(world.sw, fresh(pep))

    with pytest.raises(ValidationError) as refusal:
        services.cancel(world.sw, fresh(pep))

    assert refusal.value.messages == ["The meeting has been cancelled: schedule it again first"]


def test_moving_a_scheduled_meeting_on_the_record_page_tells_the_invitees(
    world, django_capture_on_commit_callbacks, mailoutbox
):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw, held_on=SPRING_DAY)
    meeting.held_on = D(2027, 3, 4)  # moved, with nothing recorded: the meeting is still to come

    with django_capture_on_commit_callbacks(execute=True):
        saved = services.record_meeting(world.dt, fresh(pep), meeting, expected_version=meeting.lock_version)

    assert (saved.sequence, Meeting.objects.get(pk=meeting.pk).sequence) == (1, 1)
    assert sorted(m.to[0] for m in mailoutbox) == ["dt@test.example", "iro@test.example", "vs@test.example"]
    assert {m.subject for m in mailoutbox} == {"Changed: PEP meeting for Amira, now Thursday 4 March 2027 at 16:00"}


def test_writing_what_happened_on_the_record_page_sends_nothing(world, django_capture_on_commit_callbacks, mailoutbox):
    pep = start(cast_of(world))
    schedule_meeting(pep, world.sw, held_on=SPRING_DAY)

    with django_capture_on_commit_callbacks(execute=True):
        saved = record_meeting(pep, world.sw)

    assert (mailoutbox, saved.sequence, saved.chair, saved.venue_kind) == ([], 0, "Sam Worker", "school")


def _ready_to_submit(world):
    cast = cast_of(world)
    pep = start(cast)
    school_part_done(cast, pep)
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)
    complete_section_c(fresh(pep), world.sw)
    return fresh(pep)


def _refusal(pep, actor) -> list[str]:
    with pytest.raises(ValidationError) as refusal:
        transition(fresh(pep), Status.SUBMITTED, actor=actor)
    return refusal.value.messages


def test_submitting_with_a_meeting_only_scheduled_asks_for_chair_note_taker_and_agreement(world):
    pep = _ready_to_submit(world)
    schedule_meeting(pep, world.sw)

    assert _refusal(pep, world.sw) == [
        "Record in the meeting record who chaired the meeting",
        "Record in the meeting record who took the notes",
        "Confirm in the meeting record that the plan was agreed at the meeting",
    ]


def test_submitting_with_a_cancelled_meeting_is_refused(world):
    pep = _ready_to_submit(world)
    schedule_meeting(pep, world.sw)
    record_meeting(pep, world.sw)
    services.cancel(world.sw, fresh(pep))

    assert _refusal(pep, world.sw) == ["The PEP meeting was cancelled: schedule it again, then record it"]


def test_submitting_after_the_scheduled_meeting_is_recorded_succeeds(world):
    pep = _ready_to_submit(world)
    schedule_meeting(pep, world.sw)
    record_meeting(pep, world.sw)

    assert transition(fresh(pep), Status.SUBMITTED, actor=world.sw).status == Status.SUBMITTED
