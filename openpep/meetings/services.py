"""Writes to a PEP's meeting. Every function checks the actor's right on a locked
PEP row, saves, writes its audit entry and queues its e-mails (sent once the
transaction has committed), in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone

from openpep.audit.enums import Verb
from openpep.audit.services import changes, record, snapshot
from openpep.people.models import User
from openpep.people.queries import designated_teachers_of, virtual_school_officers_in
from openpep.plans import services as plan_services
from openpep.plans.enums import Occasion, Section
from openpep.plans.locking import create_once, update_locked
from openpep.plans.models import Pep
from openpep.plans.services import lock_pep, require_editable
from openpep.plans.signals import announce

from . import emails, rules
from .enums import Attendance, MeetingRole, Response
from .models import Attendee, Invitation, Meeting

#: What the schedule page sets: the arrangements, and how the child takes part.
SCHEDULE_FIELDS = (*Meeting.WHEN_AND_WHERE, "child_attending", "child_input")

#: Answers given when the meeting was at another time no longer hold.
RESETS_ANSWERS = ("held_on", "start_time")


def _require_scheduler(actor: User, pep: Pep) -> None:
    if not rules.can_schedule(actor, pep):
        raise PermissionDenied(
            f"Only the allocated social worker can arrange the meeting while the PEP is ‘{pep.get_status_display()}’"
        )


def _when(meeting: Meeting) -> str:
    return f"{formats.date_format(meeting.held_on, 'l j F Y')} at {meeting.start_time:%H:%M}"


def _queue(send, *args) -> None:
    transaction.on_commit(lambda: send(*args))


@transaction.atomic
def schedule(actor: User, pep: Pep, meeting: Meeting, *, expected_version: int | None) -> Meeting:
    """Schedule the PEP meeting, or change its arrangements, on behalf of the allocated social worker.

    ``expected_version`` is the ``lock_version`` the form was opened on (None for a
    new meeting): if someone has saved since, nothing is written and ``Conflict``
    carries their version.

    Side effects:
    - the first time: invites the Designated Teacher(s) of the child's school today,
      the child's IRO and, for an initial PEP, the Virtual School's officers, and
      e-mails each an invitation (iCalendar REQUEST, SEQUENCE 0);
    - a change of date, time, length or place raises the SEQUENCE and e-mails every
      invitee the update; a change of date or time clears their answers;
    - scheduling a cancelled meeting again reinstates it and re-invites everyone;
    - audit entries for the meeting and each invitation; tells the clock (``announce``).
    """
    _require_scheduler(actor, lock_pep(pep))
    saved = Meeting.objects.filter(pep=pep).first()
    if saved is None:
        meeting.pep = pep
        meeting.updated_by = actor
        meeting.sequence = 0
        meeting.cancelled_at = None
        create_once(meeting, pep=pep)
        record(
            actor,
            Verb.SCHEDULED,
            meeting,
            summary=f"Scheduled the PEP meeting for {_when(meeting)}",
            after=snapshot(meeting, list(SCHEDULE_FIELDS)),
        )
        _invite_automatically(actor, pep, meeting)
        announce(pep)
        return meeting

    first_time = not saved.scheduled
    reinstated = saved.cancelled
    moved = not first_time and any(getattr(saved, f) != getattr(meeting, f) for f in Meeting.WHEN_AND_WHERE)
    sequence = saved.sequence + 1 if (moved or reinstated) else saved.sequence
    values = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
    update_locked(
        saved,
        expected_version,
        sequence=sequence,
        cancelled_at=None,
        updated_by=actor,
        updated_at=timezone.now(),
        **values,
    )
    meeting.refresh_from_db()
    old, new = changes(snapshot(saved, list(SCHEDULE_FIELDS)), snapshot(meeting, list(SCHEDULE_FIELDS)))
    if first_time:
        summary = f"Scheduled the PEP meeting for {_when(meeting)}"
    elif reinstated:
        summary = f"Scheduled the cancelled PEP meeting again, for {_when(meeting)}"
    else:
        summary = f"Changed the arrangements of the PEP meeting, now {_when(meeting)}"
    if new or first_time or reinstated:
        verb = Verb.SCHEDULED if first_time or reinstated else Verb.UPDATED
        record(actor, verb, meeting, summary=summary, before=old, after=new)
    if first_time:
        _invite_automatically(actor, pep, meeting)
    elif reinstated or moved:
        _send_to_everyone(saved, meeting, send=emails.send_invitation if reinstated else emails.send_update)
    announce(pep)
    return meeting


def _send_to_everyone(before: Meeting, after: Meeting, *, send) -> None:
    """After a move: answers given for another time are cleared, and every invitee is e-mailed."""
    if before.cancelled or any(getattr(before, f) != getattr(after, f) for f in RESETS_ANSWERS):
        after.invitations.exclude(response=Response.PENDING).update(response=Response.PENDING, responded_at=None)
    for invitation_id in after.invitations.values_list("pk", flat=True):
        _queue(send, invitation_id)


def _invite_automatically(actor: User, pep: Pep, meeting: Meeting) -> list[Invitation]:
    """Those who are always asked: the school, the IRO and, for a child new into care, the Virtual School."""
    child = pep.child
    wanted: list[tuple[User, MeetingRole]] = []
    school = pep.working_school
    if school is not None:
        wanted += [(user, MeetingRole.DESIGNATED_TEACHER) for user in designated_teachers_of(school.pk)]
    if child.iro is not None and child.iro.is_active:
        wanted.append((child.iro, MeetingRole.IRO))
    if pep.occasion == Occasion.INITIAL:
        wanted += [(user, MeetingRole.VIRTUAL_SCHOOL) for user in virtual_school_officers_in(child.local_authority_id)]
    invited = []
    taken = set(meeting.invitations.values_list("email", flat=True))
    for user, role in wanted:
        email = user.email.lower()
        if email in taken:
            continue
        taken.add(email)
        invited.append(_add(actor, meeting, Invitation(name=user.full_name, email=email, role=role, user=user)))
    return invited


def _add(actor: User, meeting: Meeting, invitation: Invitation) -> Invitation:
    invitation.meeting = meeting
    invitation.save()
    record(
        actor,
        Verb.CREATED,
        invitation,
        summary=f"Invited {invitation.name} ({invitation.get_role_display()}) to the PEP meeting",
        after={"email": invitation.email, "role": invitation.role},
    )
    _queue(emails.send_invitation, invitation.pk)
    return invitation


def _scheduled_meeting(pep: Pep) -> Meeting:
    meeting = Meeting.objects.filter(pep=pep).first()
    if meeting is None or not meeting.scheduled:
        raise ValidationError("Schedule the meeting first")
    if meeting.cancelled:
        raise ValidationError("The meeting has been cancelled: schedule it again first")
    return meeting


@transaction.atomic
def invite(actor: User, pep: Pep, invitation: Invitation) -> Invitation:
    """Invite someone else to the scheduled meeting: a carer, the child, a parent.
    Someone with an OpenPEP account (found by e-mail address) answers in the app.
    Side effects: audit entry; one e-mail with the invitation, after commit."""
    _require_scheduler(actor, lock_pep(pep))
    meeting = _scheduled_meeting(pep)
    invitation.email = invitation.email.strip().lower()
    if meeting.invitations.filter(email=invitation.email).exists():
        raise ValidationError({"email": f"{invitation.email} has already been invited"})
    invitation.user = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
    return _add(actor, meeting, invitation)


@transaction.atomic
def remove_invitation(actor: User, pep: Pep, invitation: Invitation) -> None:
    """Take someone off the meeting. Side effects: audit entry; when the meeting is
    still on, SEQUENCE goes up and they are e-mailed a cancellation (METHOD:CANCEL)
    for their calendar, after commit."""
    _require_scheduler(actor, lock_pep(pep))
    meeting = Meeting.objects.get(pk=invitation.meeting_id)
    record(
        actor,
        Verb.DELETED,
        invitation,
        summary=f"Withdrew the invitation of {invitation.name} ({invitation.get_role_display()})",
        before={"email": invitation.email, "role": invitation.role, "response": invitation.response},
    )
    name, email = invitation.name, invitation.email
    invitation.delete()
    if meeting.scheduled and not meeting.cancelled:
        Meeting.objects.filter(pk=meeting.pk).update(sequence=F("sequence") + 1)
        _queue(emails.send_withdrawal, meeting.pk, name, email)


@transaction.atomic
def cancel(actor: User, pep: Pep) -> Meeting:
    """Cancel the scheduled meeting. It is kept (with its invitations) so that it can
    be scheduled again. Side effects: SEQUENCE goes up; audit entry; every invitee is
    e-mailed the cancellation (METHOD:CANCEL, the same UID), after commit; tells the clock."""
    _require_scheduler(actor, lock_pep(pep))
    meeting = _scheduled_meeting(pep)
    Meeting.objects.filter(pk=meeting.pk).update(
        cancelled_at=timezone.now(),
        sequence=F("sequence") + 1,
        lock_version=F("lock_version") + 1,
        updated_by=actor,
        updated_at=timezone.now(),
    )
    meeting.refresh_from_db()
    record(
        actor,
        Verb.CANCELLED,
        meeting,
        summary=f"Cancelled the PEP meeting of {_when(meeting)}",
        after={"cancelled_at": meeting.cancelled_at.isoformat()},
    )
    for invitation_id in meeting.invitations.values_list("pk", flat=True):
        _queue(emails.send_cancellation, invitation_id)
    announce(pep)
    return meeting


@transaction.atomic
def answer(actor: User, pep: Pep, invitation: Invitation, response: str) -> Invitation:
    """Record whether an invitee is coming: their own answer, or the social worker's
    note of the answer of someone with no account. Side effects: audit entry."""
    lock_pep(pep)  # a cancellation and an answer never interleave
    invitation = Invitation.objects.select_for_update().select_related("meeting").get(pk=invitation.pk)
    if invitation.meeting.pep_id != pep.pk or not rules.can_answer(actor, pep, invitation):
        raise PermissionDenied("You cannot answer this invitation")
    if response not in (Response.ATTENDING, Response.APOLOGIES):
        raise ValidationError("Say whether they are attending or send apologies")
    before = invitation.response
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    label = Response(response).label.lower()
    if invitation.user_id == actor.pk:
        summary = f"{invitation.name} answered the invitation to the PEP meeting: {label}"
    else:
        summary = f"Recorded the answer of {invitation.name} to the invitation to the PEP meeting: {label}"
    record(actor, Verb.ANSWERED, invitation, summary=summary, before={"response": before}, after={"response": response})
    return invitation


@transaction.atomic
def record_meeting(
    actor: User, pep: Pep, meeting: Meeting, *, section: Section = Section.MEETING, expected_version: int | None
) -> Meeting:
    """Save the record of the meeting (``plans.services.save_section``: rights, the
    optimistic lock, the audit entry). Who chaired, who took notes, the notes and the
    agreement are refused while the meeting has not started. When that moves a scheduled meeting, the
    invitees are told as if it had been rescheduled: SEQUENCE goes up, answers given
    for another time are cleared, and each is e-mailed the update after commit."""
    lock_pep(pep)
    if meeting.recorded and not meeting.has_started():
        raise ValidationError(meeting.not_started_message("it cannot be recorded as held"))
    before = Meeting.objects.filter(pk=meeting.pk).first() if meeting.pk else None
    saved = plan_services.save_section(actor, pep, meeting, section=section, expected_version=expected_version)
    if before is None:
        return saved
    # The record form does not set these; they stay as they are now, whatever the form was opened on.
    moved = any(getattr(before, f) != getattr(saved, f) for f in Meeting.WHEN_AND_WHERE)
    tell_invitees = moved and before.scheduled and not before.cancelled
    saved.sequence = before.sequence + 1 if tell_invitees else before.sequence
    saved.cancelled_at = before.cancelled_at
    Meeting.objects.filter(pk=saved.pk).update(sequence=saved.sequence, cancelled_at=saved.cancelled_at)
    if tell_invitees:
        _send_to_everyone(before, saved, send=emails.send_update)
    return saved


@transaction.atomic
def add_attendee(actor: User, pep: Pep, attendee: Attendee) -> Attendee:
    """Someone who came (not while the meeting has not started) or sent apologies.
    Side effects: audit entry."""
    require_editable(actor, lock_pep(pep), Section.MEETING)
    attendee.meeting = pep.meeting
    if attendee.attendance == Attendance.PRESENT and not attendee.meeting.has_started():
        raise ValidationError({"attendance": attendee.meeting.not_started_message("nobody can be recorded as present")})
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
    require_editable(actor, lock_pep(pep), Section.MEETING)
    record(actor, Verb.DELETED, attendee, summary=f"Removed {attendee.name} from the attendees")
    attendee.delete()


def calendar_file(actor: User, pep: Pep) -> tuple[str, bytes]:
    """The scheduled meeting's calendar file for ``actor``, who sees it (``rules.can_see_meeting``):
    the e-mailed invitation's event, same UID and SEQUENCE, a CANCEL once cancelled
    (``emails.calendar_file``). Returns the method and the file. Side effects: the audit
    entry of the download (``Verb.DOWNLOADED``)."""
    if not rules.can_see_meeting(actor, pep):
        raise PermissionDenied("You cannot see this meeting")
    meeting = Meeting.objects.select_related("pep__child__social_worker").filter(pep=pep).first()
    if meeting is None or not meeting.scheduled:
        raise ValidationError("The meeting has not been scheduled")
    method, content = emails.calendar_file(meeting)
    record(
        actor,
        Verb.DOWNLOADED,
        meeting,
        summary="Downloaded the calendar file of the PEP meeting "
        + ("(its cancellation)" if meeting.cancelled else f"of {_when(meeting)}"),
        after={"method": method, "sequence": meeting.sequence},
    )
    return method, content


@transaction.atomic
def resend(actor: User, pep: Pep, invitation: Invitation | None = None) -> list[Invitation]:
    """E-mail the invitation again — to one invitee, or to every one when ``invitation`` is
    None — as it stands now: the same UID and SEQUENCE, so a calendar keeps one entry.
    Only the allocated social worker, while the meeting is on. Side effects: an audit
    entry per invitee; the e-mails, after commit."""
    _require_scheduler(actor, lock_pep(pep))
    meeting = _scheduled_meeting(pep)
    invitations = list(meeting.invitations.all())
    if invitation is not None:
        invitations = [i for i in invitations if i.pk == invitation.pk]
        if not invitations:
            raise ValidationError("This person is not invited to the meeting")
    for sent in invitations:
        record(
            actor,
            Verb.SENT,
            sent,
            summary=f"Sent the invitation to the PEP meeting again to {sent.name} ({sent.get_role_display()})",
            after={"email": sent.email, "sequence": meeting.sequence},
        )
        _queue(emails.send_invitation, sent.pk)
    return invitations
