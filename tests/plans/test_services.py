"""Writes to PEPs: starting, saving sections under the optimistic lock, correcting, changing school."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpep.audit.models import AuditEntry
from openpep.audit.services import snapshot
from openpep.children import services as children_services
from openpep.children.models import Child, Enrolment
from openpep.meetings.models import Attendee, Meeting
from openpep.plans import services
from openpep.plans.enums import Occasion, Phase, Section, Status
from openpep.plans.models import Arrangements, Attainment, ChildViews, Pep, SchoolSection, TargetReview
from openpep.plans.queries import pep_page, peps_for
from openpep.plans.rules import can_edit
from openpep.plans.workflow import transition
from tests.builders import (
    add_attainment,
    add_attendee,
    add_target,
    cast_of,
    fresh,
    pep_in,
    record_meeting,
    school_part_done,
    social_worker_part_done,
    start,
)
from tests.fixtures import make_child, today

YESTERDAY = datetime.timedelta(days=1)


def _new_pep(**fields):
    return Pep(phase=Phase.STATUTORY, occasion=Occasion.REVIEW, **fields)


# start_pep


def test_start_pep_takes_school_from_current_enrolment(world):
    pep = services.start_pep(world.sw, world.child, _new_pep())

    assert (pep.school, pep.status, pep.created_by, pep.version) == (world.school, Status.DRAFT, world.sw, 1)


def test_start_pep_after_change_of_school_takes_the_new_school(world):
    children_services.change_school(world.sw, world.child, world.other_school, today())

    pep = services.start_pep(world.sw, Child.objects.get(pk=world.child.pk), _new_pep())

    assert pep.school == world.other_school


def test_start_pep_for_child_on_no_roll_has_no_school(world):
    child = make_child(world.authority, world.sw, None, first="Cara", last="Noroll")

    pep = services.start_pep(world.sw, child, _new_pep())

    assert pep.school is None


def test_start_pep_sets_out_previous_targets_for_review(world):
    previous = pep_in(cast_of(world), Status.SIGNED_OFF, targets=2)

    pep = services.start_pep(world.sw, world.child, _new_pep())

    assert list(pep.target_reviews.values_list("target__outcome", "target__pep", "rating", "evidence")) == [
        ("I will read a chapter book each week (1)", previous.pk, "", ""),
        ("I will read a chapter book each week (2)", previous.pk, "", ""),
    ]


def test_start_pep_first_for_child_has_nothing_to_review(world):
    pep = services.start_pep(world.sw, world.child, _new_pep())

    assert pep.target_reviews.count() == 0


def test_start_pep_reviews_targets_of_the_corrected_version(world):
    cast = cast_of(world)
    original = pep_in(cast, Status.SIGNED_OFF, targets=1)
    correction = services.start_correction(world.sw, fresh(original))
    add_target(correction, world.dt, outcome="I will join the school choir")
    transition(fresh(correction), Status.SCHOOL_RETURNED, actor=world.dt)
    transition(fresh(correction), Status.SUBMITTED, actor=world.sw)
    transition(fresh(correction), Status.SIGNED_OFF, actor=world.vs)

    pep = services.start_pep(world.sw, world.child, _new_pep())

    assert list(pep.target_reviews.values_list("target__pep", "target__outcome")) == [
        (correction.pk, "I will read a chapter book each week (1)"),
        (correction.pk, "I will join the school choir"),
    ]


def test_start_pep_writes_audit_entry(world):
    pep = services.start_pep(world.sw, world.child, _new_pep())

    assert list(AuditEntry.objects.values_list("verb", "actor", "pep_id", "child_id", "summary", "after")) == [
        (
            "created",
            world.sw.pk,
            pep.pk,
            world.child.pk,
            "Started the PEP: Termly review – Statutory school age (Reception to Year 11)",
            {"phase": "statutory", "occasion": "review", "views_recorded_by": "school", "school_id": world.school.pk},
        )
    ]


def test_start_pep_while_one_is_open_is_refused(world):
    open_pep = start(cast_of(world))

    with pytest.raises(ValidationError) as refused:
        services.start_pep(world.sw, world.child, _new_pep())

    assert refused.value.messages == ["This child already has a PEP in progress: finish it before starting another"]
    assert list(Pep.objects.values_list("pk", flat=True)) == [open_pep.pk]


def test_start_pep_while_previous_is_submitted_is_refused(world):
    pep_in(cast_of(world), Status.SUBMITTED)

    with pytest.raises(ValidationError):
        services.start_pep(world.sw, world.child, _new_pep())

    assert Pep.objects.count() == 1


@pytest.mark.parametrize("role", ["sw_other", "tm", "dt", "vs", "vs_admin", "iro", "nobody"])
def test_start_pep_by_anyone_but_allocated_social_worker_is_refused(role, world):
    with pytest.raises(PermissionDenied):
        services.start_pep(getattr(world, role), world.child, _new_pep())

    assert (Pep.objects.count(), AuditEntry.objects.count()) == (0, 0)


# save_section: the optimistic lock


def test_save_section_with_current_version_saves_and_counts_up(world):
    pep = start(cast_of(world))
    meeting = record_meeting(pep, world.sw)
    meeting.venue = "The library"

    services.save_section(world.dt, fresh(pep), meeting, section=Section.MEETING, expected_version=1)

    stored = Meeting.objects.get(pep=pep)
    assert (stored.venue, stored.lock_version, stored.updated_by) == ("The library", 2, world.dt)
    entry = AuditEntry.objects.filter(verb="updated").get()
    assert (entry.actor, entry.summary, entry.before, entry.after) == (
        world.dt,
        "Changed PEP meeting record",
        {"venue": "Oak Primary, meeting room 2"},
        {"venue": "The library"},
    )


def test_save_section_with_stale_version_raises_conflict_with_their_saved_values(world):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)
    theirs = Meeting.objects.get(pep=pep)  # both open the meeting record at version 1
    mine = Meeting.objects.get(pep=pep)
    theirs.venue = "The library"
    services.save_section(world.sw, fresh(pep), theirs, section=Section.MEETING, expected_version=1)
    entries = AuditEntry.objects.count()
    mine.notes = "Amira chose her own targets"

    with pytest.raises(services.Conflict) as clash:
        services.save_section(world.dt, fresh(pep), mine, section=Section.MEETING, expected_version=1)

    current = clash.value.current
    assert (current.venue, current.notes, current.lock_version, current.updated_by) == (
        "The library",
        "",
        2,
        world.sw,
    )
    stored = Meeting.objects.get(pep=pep)
    assert (stored.venue, stored.notes, stored.lock_version, stored.updated_by) == ("The library", "", 2, world.sw)
    assert AuditEntry.objects.count() == entries


def test_save_section_created_by_two_people_raises_conflict_with_the_first(world):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw, venue="The library")
    entries = AuditEntry.objects.count()
    second = Meeting(
        pep=fresh(pep),
        held_on=datetime.date(2026, 2, 5),
        start_time=datetime.time(10, 0),
        venue="Room 4",
        chair="Dee Teacher",
        note_taker="Dee Teacher",
    )

    with pytest.raises(services.Conflict) as clash:
        services.save_section(world.dt, fresh(pep), second, section=Section.MEETING, expected_version=None)

    assert (clash.value.current.venue, clash.value.current.updated_by) == ("The library", world.sw)
    assert list(Meeting.objects.values_list("venue", flat=True)) == ["The library"]
    assert AuditEntry.objects.count() == entries


def _section_d(pep):
    section = SchoolSection.objects.get(pep=pep)
    section.education_story = "Changed after the school part was closed"
    return section


def test_save_section_d_by_school_after_return_is_refused(world):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    section = _section_d(pep)

    with pytest.raises(PermissionDenied) as refused:
        services.save_section(world.dt, pep, section, section=Section.D, expected_version=section.lock_version)

    assert str(refused.value) == (
        "Section D – Targets, progress, SEND and education summary cannot be changed now: "
        "the PEP is ‘School section returned’"
    )
    assert SchoolSection.objects.get(pep=pep).education_story == "Joined Oak Primary in Year 4"


# (status, section, role): someone editing a part of the plan that is not theirs, or not open.
WRONG_PART = [
    (Status.DRAFT, Section.D, "sw"),
    (Status.DRAFT, Section.D, "dt_other"),
    (Status.DRAFT, Section.B, "sw"),  # the school records the views
    (Status.DRAFT, Section.C, "dt"),
    (Status.DRAFT, Section.A, "dt"),
    (Status.DRAFT, Section.C, "sw_other"),
    (Status.DRAFT, Section.C, "vs"),
    (Status.SCHOOL_RETURNED, Section.B, "dt"),
    (Status.SCHOOL_RETURNED, Section.MEETING, "dt"),
    (Status.SUBMITTED, Section.C, "sw"),
    (Status.SUBMITTED, Section.D, "dt"),
    (Status.RETURNED_TO_SW, Section.D, "dt"),
    (Status.RETURNED_TO_SCHOOL, Section.C, "sw"),
    (Status.RETURNED_TO_SCHOOL, Section.MEETING, "sw"),
]


def _changed(pep, section):
    """The stored record of ``section``, with one field changed; and how to read that field back."""
    if section == Section.A:
        instance = Pep.objects.get(pk=pep.pk)
        instance.occasion = Occasion.INTERIM
        return instance, lambda: Pep.objects.get(pk=pep.pk).occasion
    model, field = {
        Section.B: (ChildViews, "going_well"),
        Section.C: (Arrangements, "setting"),
        Section.D: (SchoolSection, "education_story"),
        Section.MEETING: (Meeting, "notes"),
    }[section]
    instance = model.objects.get(pep=pep)
    setattr(instance, field, "Not allowed")
    return instance, lambda: getattr(model.objects.get(pep=pep), field)


@pytest.mark.parametrize(("status", "section", "role"), WRONG_PART, ids=["-".join(p) for p in WRONG_PART])
def test_save_section_of_part_not_open_to_actor_is_refused(status, section, role, world):
    cast = cast_of(world)
    pep = pep_in(cast, status)
    if status == Status.DRAFT:
        social_worker_part_done(cast, pep)
    instance, stored = _changed(pep, section)
    before = stored()

    with pytest.raises(PermissionDenied):
        services.save_section(getattr(world, role), pep, instance, section=section, expected_version=1)

    assert stored() == before


SIGNED_OFF_EDITS = [(s, r) for s in (Section.A, Section.B, Section.C, Section.D, Section.MEETING) for r in ("sw", "dt")]


@pytest.mark.parametrize(("section", "role"), SIGNED_OFF_EDITS, ids=["-".join(p) for p in SIGNED_OFF_EDITS])
def test_save_section_of_signed_off_pep_is_refused(section, role, world):
    pep = pep_in(cast_of(world), Status.SIGNED_OFF)
    instance, stored = _changed(pep, section)
    before = stored()

    with pytest.raises(PermissionDenied):
        services.save_section(getattr(world, role), pep, instance, section=section, expected_version=1)

    assert stored() == before


def test_signed_off_pep_refuses_rows_of_section_d_and_meeting(world):
    pep = pep_in(cast_of(world), Status.SIGNED_OFF)
    target = pep.targets.get()
    entries = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        add_target(pep, world.dt)
    with pytest.raises(PermissionDenied):
        services.remove_target(world.dt, pep, target)
    with pytest.raises(PermissionDenied):
        add_attainment(pep, world.dt)
    with pytest.raises(PermissionDenied):
        add_attendee(pep, world.sw)

    assert (pep.targets.get(), Attainment.objects.count(), Attendee.objects.count()) == (target, 0, 0)
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("role", ["sw", "dt", "vs", "vs_admin"])
def test_signed_off_pep_is_editable_by_nobody(role, world):
    pep = pep_in(cast_of(world), Status.SIGNED_OFF)

    assert [s for s in Section if can_edit(getattr(world, role), pep, s)] == []


# start_correction


def test_start_correction_copies_pep_into_version_two(world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF, targets=2)
    _add_attainment_directly(original)

    copy = services.start_correction(world.sw, original)

    assert (copy.version, copy.corrects, copy.status, copy.school, copy.phase, copy.occasion, copy.created_by) == (
        2,
        original,
        Status.DRAFT,
        world.school,
        original.phase,
        original.occasion,
        world.sw,
    )
    for model in (ChildViews, Arrangements, SchoolSection):
        fields = services._editable(model(pep=original))
        assert snapshot(model.objects.get(pep=copy), fields) == snapshot(model.objects.get(pep=original), fields)
    assert list(copy.targets.values_list("outcome", flat=True)) == [
        "I will read a chapter book each week (1)",
        "I will read a chapter book each week (2)",
    ]
    assert set(copy.targets.all()).isdisjoint(original.targets.all())
    assert list(copy.attainment.values_list("subject", "current")) == [("Reading", "WTS")]
    assert AuditEntry.objects.filter(pep_id=copy.pk).get().summary == (
        "Started version 2 to correct the signed-off PEP"
    )


def _add_attainment_directly(pep):
    # The school part of a signed-off PEP is closed, so the row is made as it would have been before.
    Attainment.objects.create(pep=pep, subject="Reading", current="WTS", expected="EXS")


def test_start_correction_leaves_version_one_unchanged(world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF, targets=1)
    targets_before = list(original.targets.values_list("pk", "outcome", "lock_version"))
    story_before = SchoolSection.objects.get(pep=original).education_story

    copy = services.start_correction(world.sw, original)
    section = SchoolSection.objects.get(pep=copy)
    section.education_story = "Corrected: joined Oak Primary in Year 3"
    services.save_section(world.dt, copy, section, section=Section.D, expected_version=1)
    add_target(copy, world.dt, outcome="I will join the school choir")

    original = fresh(original)
    assert (original.status, original.version) == (Status.SIGNED_OFF, 1)
    assert list(original.targets.values_list("pk", "outcome", "lock_version")) == targets_before
    assert SchoolSection.objects.get(pep=original).education_story == story_before == "Joined Oak Primary in Year 4"
    assert SchoolSection.objects.get(pep=copy).education_story == "Corrected: joined Oak Primary in Year 3"


def test_start_correction_copies_reviews_of_previous_targets(world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=1)
    second = pep_in(cast, Status.SIGNED_OFF, targets=1)  # reviews the first one's target

    copy = services.start_correction(world.vs, second)

    assert list(TargetReview.objects.filter(pep=copy).values_list("target", "rating", "evidence")) == list(
        TargetReview.objects.filter(pep=second).values_list("target", "rating", "evidence")
    )


def test_start_correction_copies_meeting_record_and_attendees(world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF)
    Attendee.objects.create(meeting=original.meeting, name="Amira Test", role="child")

    copy = services.start_correction(world.sw, original)

    assert Meeting.objects.filter(pep=copy).values_list("venue", "agreed").get() == (
        "Oak Primary, meeting room 2",
        True,
    )
    assert list(Attendee.objects.filter(meeting__pep=copy).values_list("name", flat=True)) == ["Amira Test"]


def test_start_correction_twice_is_refused(world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF)
    services.start_correction(world.sw, original)

    with pytest.raises(PermissionDenied):
        services.start_correction(world.vs, fresh(original))

    assert Pep.objects.filter(corrects=original).count() == 1


def test_start_correction_with_stale_pep_refuses_second(world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF)
    first = pep_page(world.sw).get(pk=original.pk)  # two people open the signed-off PEP
    second = pep_page(world.vs).get(pk=original.pk)
    services.start_correction(world.sw, first)

    with pytest.raises((PermissionDenied, ValidationError)):
        services.start_correction(world.vs, second)


@pytest.mark.parametrize("role", ["dt", "tm", "iro", "sw_other"])
def test_start_correction_by_anyone_but_social_worker_or_virtual_school_is_refused(role, world):
    original = pep_in(cast_of(world), Status.SIGNED_OFF)

    with pytest.raises(PermissionDenied):
        services.start_correction(getattr(world, role), original)

    assert Pep.objects.filter(corrects=original).count() == 0


def test_start_correction_of_pep_not_signed_off_is_refused(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    with pytest.raises(PermissionDenied):
        services.start_correction(world.vs, pep)

    assert Pep.objects.count() == 1


# move_school


def _signed_off_then_open(world):
    cast = cast_of(world)
    signed_off = pep_in(cast, Status.SIGNED_OFF)
    open_pep = start(cast)
    school_part_done(cast, open_pep)
    return signed_off, fresh(open_pep)


def test_move_school_ends_old_enrolment_the_day_before(world):
    children_services.change_school(world.sw, world.child, world.other_school, today())

    assert list(world.child.enrolments.order_by("starts_on").values_list("school", "starts_on", "ends_on")) == [
        (world.school.pk, datetime.date(2023, 9, 1), today() - YESTERDAY),
        (world.other_school.pk, today(), None),
    ]


def test_move_school_moves_open_pep_to_new_school(world):
    signed_off, open_pep = _signed_off_then_open(world)

    children_services.change_school(world.vs, world.child, world.other_school, today())

    assert fresh(open_pep).school == world.other_school
    assert fresh(signed_off).school == world.school
    assert AuditEntry.objects.filter(pep_id=open_pep.pk, verb="updated", summary__contains="moved").get().after == {
        "school": world.other_school.urn
    }


def test_move_school_old_designated_teacher_keeps_only_signed_off_pep(world):
    signed_off, open_pep = _signed_off_then_open(world)

    children_services.change_school(world.sw, world.child, world.other_school, today())

    assert list(peps_for(world.dt)) == [signed_off]
    assert can_edit(world.dt, pep_page(world.dt).get(pk=signed_off.pk), Section.D) is False


def test_move_school_new_designated_teacher_sees_previous_school_pep_with_section_d(world):
    signed_off, open_pep = _signed_off_then_open(world)

    children_services.change_school(world.sw, world.child, world.other_school, today())

    seen = {pep.pk: pep for pep in pep_page(world.dt_other).filter(child=world.child)}
    assert set(seen) == {signed_off.pk, open_pep.pk}
    assert seen[signed_off.pk].school_section.education_story == "Joined Oak Primary in Year 4"
    assert list(seen[signed_off.pk].targets.values_list("outcome", flat=True)) == [
        "I will read a chapter book each week (1)"
    ]
    assert can_edit(world.dt_other, seen[open_pep.pk], Section.D) is True
    assert can_edit(world.dt_other, seen[signed_off.pk], Section.D) is False


def test_move_school_to_current_school_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        children_services.change_school(world.sw, world.child, world.school, today())

    assert refused.value.message_dict == {"school": ["The child is already on this school's roll"]}
    assert Enrolment.objects.filter(child=world.child).count() == 1


def test_move_school_in_future_leaves_open_pep_with_current_school_until_then(world):
    _, open_pep = _signed_off_then_open(world)  # the DT is part-way through Section D

    children_services.change_school(world.sw, world.child, world.other_school, today() + datetime.timedelta(days=30))

    assert can_edit(world.dt, pep_page(world.dt).get(pk=open_pep.pk), Section.D) is True
