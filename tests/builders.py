"""PEPs in each state of the workflow, built through the real services and
``workflow.transition`` — never by setting a status — so a test starts from a
state the application itself can reach.

Every builder takes the people who act on the child (``Cast``), so the same
steps serve ``world.child`` (sw, dt) and ``world.other_child`` (sw_other, dt_other).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from openpep.clock.calendar import is_working_day
from openpep.meetings import services as meeting_services
from openpep.meetings.enums import ChildAttending, MeetingRole, VenueKind
from openpep.meetings.models import Attendee, Invitation, Meeting
from openpep.people.models import User
from openpep.plans import services
from openpep.plans.enums import (
    HowGathered,
    Occasion,
    Phase,
    Section,
    SenStatus,
    Status,
    TargetArea,
    TargetRating,
    ViewsRecordedBy,
)
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Pep,
    SchoolSection,
    Target,
)
from openpep.plans.workflow import transition

NEXT_MEETING = datetime.datetime(2026, 3, 4, 14, 30)


@dataclass(frozen=True)
class Cast:
    """Who works on a child's PEP: the allocated social worker, the DT of the
    child's school and a Virtual School officer."""

    child: object
    sw: User
    dt: User
    vs: User


def cast_of(world, child=None) -> Cast:
    if child is None or child == world.child:
        return Cast(world.child, world.sw, world.dt, world.vs)
    if child == world.other_child:
        return Cast(world.other_child, world.sw_other, world.dt_other, world.vs)
    raise ValueError(f"No cast for {child}")


def fresh(pep: Pep) -> Pep:
    """The PEP as a new request would load it (no cached sections)."""
    return Pep.objects.get(pk=pep.pk)


def start(cast: Cast, *, views_recorded_by=ViewsRecordedBy.SCHOOL, occasion=Occasion.INITIAL) -> Pep:
    pep = Pep(phase=Phase.STATUTORY, occasion=occasion, views_recorded_by=views_recorded_by)
    return services.start_pep(cast.sw, cast.child, pep)


def record_views(pep: Pep, actor: User, *, going_well="Reading with my carer") -> ChildViews:
    views = ChildViews(pep=pep, going_well=going_well, how_gathered=HowGathered.OWN_WORDS)
    return services.save_section(actor, pep, views, section=Section.B, expected_version=None)


def complete_section_c(pep: Pep, actor: User, *, setting="Year 6 at Oak Primary, full time") -> Arrangements:
    arrangements = Arrangements(pep=pep, setting=setting, full_time=True, carer_views="Settled and happy")
    return services.save_section(actor, pep, arrangements, section=Section.C, expected_version=None)


def complete_section_d(
    pep: Pep, actor: User, *, next_meeting=True, education_story="Joined Oak Primary in Year 4"
) -> SchoolSection:
    section = SchoolSection(
        pep=pep,
        sen_status=SenStatus.NONE,
        education_story=education_story,
        next_meeting_at=timezone.make_aware(NEXT_MEETING) if next_meeting else None,
    )
    return services.save_section(actor, pep, section, section=Section.D, expected_version=None)


def add_target(pep: Pep, actor: User, *, outcome="I will read a chapter book each week") -> Target:
    target = Target(
        outcome=outcome,
        area=TargetArea.READING,
        success_measure="Reading log signed by carer",
        actions="Daily reading with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2026, 7, 17),
    )
    return services.add_target(actor, pep, target)


def add_attainment(pep: Pep, actor: User, *, subject="Reading") -> Attainment:
    return services.add_attainment(actor, pep, Attainment(subject=subject, current="WTS", expected="EXS"))


def rate_reviews(pep: Pep, actor: User) -> None:
    for review in pep.target_reviews.all():
        review.rating = TargetRating.ACHIEVED
        review.evidence = "Reading age up a year"
        services.save_section(actor, pep, review, section=Section.D, expected_version=review.lock_version)


def a_weekday_ahead(days=14) -> datetime.date:
    """A working day (not a weekend, not a bank holiday) at least ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def schedule_meeting(
    pep: Pep,
    actor: User,
    *,
    held_on=None,
    start_time=datetime.time(16, 0),
    planned_minutes=60,
    venue_kind=VenueKind.SCHOOL,
    venue="Meeting room 2",
    online_link="",
) -> Meeting:
    """Schedule the PEP's meeting through the service (after school, by default: no lesson-time warning)."""
    existing = Meeting.objects.filter(pep=pep).first()
    meeting = existing or Meeting(pep=pep)
    meeting.held_on = held_on or a_weekday_ahead()
    meeting.start_time = start_time
    meeting.planned_minutes = planned_minutes
    meeting.venue_kind = venue_kind
    meeting.venue = venue
    meeting.online_link = online_link
    meeting.child_attending = ChildAttending.YES
    meeting.child_input = "Comes for the first part, with her carer"
    return meeting_services.schedule(
        actor, fresh(pep), meeting, expected_version=existing.lock_version if existing else None
    )


def invite(pep: Pep, actor: User, *, name="Jo Carer", email="jo.carer@example.org", role=MeetingRole.CARER):
    return meeting_services.invite(actor, fresh(pep), Invitation(name=name, email=email, role=role))


def a_weekday_before(days=7) -> datetime.date:
    """A working day at least ``days`` before today."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def hold(pep: Pep) -> Meeting:
    """Let time pass until the PEP's scheduled meeting has been held: its date is put in the
    past, as the test data of a meeting being recorded (a meeting is recorded once it has
    started). Written directly, not through the services: nobody moved the meeting."""
    meeting = Meeting.objects.get(pep=pep)
    if not meeting.has_started():
        Meeting.objects.filter(pk=meeting.pk).update(held_on=a_weekday_before())
        meeting.refresh_from_db()
    return meeting


def record_meeting(pep: Pep, actor: User, *, agreed=True, venue="Oak Primary, meeting room 2") -> Meeting:
    existing = Meeting.objects.filter(pep=pep).first()
    if existing is not None:  # scheduled first: held, then what happened is written into it
        existing = hold(pep)
        existing.chair, existing.note_taker, existing.agreed = "Sam Worker", "Dee Teacher", agreed
        return meeting_services.record_meeting(actor, fresh(pep), existing, expected_version=existing.lock_version)
    meeting = Meeting(
        pep=pep,
        held_on=datetime.date(2026, 2, 4),
        start_time=datetime.time(9, 30),
        venue=venue,
        chair="Sam Worker",
        note_taker="Dee Teacher",
        agreed=agreed,
    )
    return services.save_section(actor, pep, meeting, section=Section.MEETING, expected_version=None)


def add_attendee(pep: Pep, actor: User, *, name="Amira Test") -> Attendee:
    hold(pep)  # recorded as present: the meeting has been held
    return meeting_services.add_attendee(actor, fresh(pep), Attendee(name=name, role="child"))


def school_part_done(cast: Cast, pep: Pep, *, targets=1) -> None:
    """What the DT does before returning the school section."""
    if pep.views_recorded_by == ViewsRecordedBy.SCHOOL:
        record_views(pep, cast.dt)
    complete_section_d(pep, cast.dt)
    for n in range(targets):
        add_target(pep, cast.dt, outcome=f"I will read a chapter book each week ({n + 1})")
    rate_reviews(pep, cast.dt)


def social_worker_part_done(cast: Cast, pep: Pep) -> None:
    if pep.views_recorded_by == ViewsRecordedBy.SOCIAL_WORKER:
        record_views(pep, cast.sw)
    complete_section_c(pep, cast.sw)
    record_meeting(pep, cast.sw)


def pep_in(cast: Cast, status: Status, *, targets=1, **start_fields) -> Pep:
    """A PEP of ``cast.child`` in ``status``, with everything in place for each
    onward move, reached by the workflow's own moves."""
    pep = start(cast, **start_fields)
    school_part_done(cast, pep, targets=targets)
    if status == Status.DRAFT:
        return fresh(pep)
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=cast.dt)
    social_worker_part_done(cast, fresh(pep))
    if status == Status.SCHOOL_RETURNED:
        return fresh(pep)
    transition(fresh(pep), Status.SUBMITTED, actor=cast.sw)
    if status == Status.SUBMITTED:
        return fresh(pep)
    if status == Status.SIGNED_OFF:
        transition(fresh(pep), Status.SIGNED_OFF, actor=cast.vs)
    elif status in (Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW):
        transition(fresh(pep), status, actor=cast.vs, note="Targets need a measure of success")
    else:
        raise ValueError(status)
    return fresh(pep)
