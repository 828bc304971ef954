"""Each check blocks, warns or is off as the authority sets it: through ``workflow.transition``
(the hook) and on the move page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.plans import services
from openpep.plans.enums import HowGathered, Section, Status, TargetArea
from openpep.plans.models import ChildViews, Target
from openpep.plans.workflow import READINESS, add_readiness_check, transition
from openpep.quality.enums import Mode
from tests.builders import (
    cast_of,
    complete_section_d,
    fresh,
    pep_in,
    rate_reviews,
    school_part_done,
    social_worker_part_done,
    start,
)
from tests.fixtures import sign_in

from .helpers import configure

VAGUE = (
    "Target 1 (‘I will try harder in maths’) uses vague words (‘try’) with no number or measure: say how much, how "
    "often or by when, in numbers"
)


def _vague_target(pep, actor):
    target = Target(
        outcome="I will try harder in maths",
        area=TargetArea.MATHS,
        success_measure="Teacher's judgement",
        actions="Maths club",
        who="Class teacher",
        by_when=datetime.date(2026, 7, 17),
    )
    return services.add_target(actor, pep, target)


def _school_part_with_vague_target(world):
    cast = cast_of(world)
    pep = start(cast)
    school_part_done(cast, pep, targets=0)
    _vague_target(pep, world.dt)
    return fresh(pep)


def _refused(pep, to, actor) -> list[str]:
    written, status = AuditEntry.objects.count(), fresh(pep).status
    with pytest.raises(ValidationError) as refused:
        transition(fresh(pep), to, actor=actor)
    assert AuditEntry.objects.count() == written
    assert fresh(pep).status == status
    return refused.value.messages


def _move_page(client, user, pep, to):
    sign_in(client, user)
    return client.get(reverse("plans:move", args=[pep.pk, to]))


def test_smart_target_warns_by_default_so_the_school_can_return_its_section(world, client):
    pep = _school_part_with_vague_target(world)

    page = _move_page(client, world.dt, pep, Status.SCHOOL_RETURNED).content.decode()
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)

    assert 'id="checks-advised"' in page and VAGUE in page
    assert "Before you can do this" not in page
    assert fresh(pep).status == Status.SCHOOL_RETURNED


def test_smart_target_set_to_block_stops_the_school_returning_its_section(world, client):
    configure(world, smart_targets=Mode.BLOCK)
    pep = _school_part_with_vague_target(world)

    page = _move_page(client, world.dt, pep, Status.SCHOOL_RETURNED).content.decode()

    assert _refused(pep, Status.SCHOOL_RETURNED, world.dt) == [VAGUE]
    assert "Before you can do this" in page and VAGUE in page
    assert 'id="checks-advised"' not in page  # shown once, as a problem


def test_smart_target_set_to_off_is_neither_shown_nor_blocking(world, client):
    configure(world, smart_targets=Mode.OFF)
    pep = _school_part_with_vague_target(world)

    page = _move_page(client, world.dt, pep, Status.SCHOOL_RETURNED).content.decode()
    sign_in(client, world.dt)
    detail = client.get(reverse("plans:detail", args=[pep.pk])).content.decode()
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)

    assert "vague words" not in page and "vague words" not in detail
    assert "The checks before submission find nothing to fix." in detail


def test_voice_blocks_by_default_a_section_b_with_none_of_the_childs_views(world):
    cast = cast_of(world)
    pep = start(cast)
    views = ChildViews(pep=pep, who_at_meeting="My carer", how_gathered=HowGathered.ADULT)
    services.save_section(world.dt, pep, views, section=Section.B, expected_version=None)
    complete_section_d(pep, world.dt)

    assert _refused(pep, Status.SCHOOL_RETURNED, world.dt) == [
        "Section B has none of the child's own views: record what is going well, what is hard, what helps or "
        "what they want to do or be"
    ]
    configure(world, voice=Mode.WARN)
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)
    assert fresh(pep).status == Status.SCHOOL_RETURNED


def test_unreviewed_target_blocks_by_default_a_rating_with_no_evidence(world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF)
    pep = start(cast)
    school_part_done(cast, pep)
    review = pep.target_reviews.get()
    review.evidence = ""
    services.save_section(world.dt, pep, review, section=Section.D, expected_version=review.lock_version)

    assert _refused(pep, Status.SCHOOL_RETURNED, world.dt) == [
        "Previous target 1 (‘I will read a chapter book each week (1)’) is rated ‘Achieved’ with no evidence: "
        "say what shows it"
    ]


def test_what_the_workflow_refuses_itself_is_said_once_whatever_the_setting(world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF)
    pep = start(cast)
    complete_section_d(pep, world.dt, next_meeting=False)

    for mode in Mode:
        configure(world, voice=mode, unreviewed_targets=mode, next_meeting=mode)
        assert _refused(pep, Status.SCHOOL_RETURNED, world.dt) == [
            "Record the child's views (Section B)",
            "Set the date and time of the next PEP meeting in Section D",
            "Review every previous target: 1 not yet rated",
        ], mode


def test_submission_by_the_social_worker_runs_every_blocking_check(world):
    cast = cast_of(world)
    pep = _school_part_with_vague_target(world)
    transition(pep, Status.SCHOOL_RETURNED, actor=world.dt)
    social_worker_part_done(cast, fresh(pep))
    configure(world, smart_targets=Mode.BLOCK)

    assert _refused(pep, Status.SUBMITTED, world.sw) == [VAGUE]


def test_school_resubmission_after_a_return_runs_the_schools_blocking_checks(world):
    cast = cast_of(world)
    pep = _school_part_with_vague_target(world)
    transition(pep, Status.SCHOOL_RETURNED, actor=world.dt)
    social_worker_part_done(cast, fresh(pep))
    transition(fresh(pep), Status.SUBMITTED, actor=world.sw)
    transition(fresh(pep), Status.RETURNED_TO_SCHOOL, actor=world.vs, note="Target 1 needs a number")
    configure(world, smart_targets=Mode.BLOCK)

    assert _refused(pep, Status.SUBMITTED, world.dt) == [VAGUE]


def test_social_worker_resubmission_is_not_blocked_by_the_schools_part_it_cannot_change(world):
    cast = cast_of(world)
    pep = _school_part_with_vague_target(world)
    transition(pep, Status.SCHOOL_RETURNED, actor=world.dt)
    social_worker_part_done(cast, fresh(pep))
    transition(fresh(pep), Status.SUBMITTED, actor=world.sw)
    transition(fresh(pep), Status.RETURNED_TO_SW, actor=world.vs, note="Add the carer's views")
    configure(world, smart_targets=Mode.BLOCK)

    transition(fresh(pep), Status.SUBMITTED, actor=world.sw)

    assert fresh(pep).status == Status.SUBMITTED


def test_settings_of_one_authority_leave_another_alone(world):
    configure(world, smart_targets=Mode.BLOCK)
    cast = cast_of(world, world.other_child)
    pep = start(cast)
    school_part_done(cast, pep, targets=0)
    _vague_target(pep, world.dt_other)
    rate_reviews(pep, world.dt_other)
    world.other_child.local_authority = world.other_authority
    world.other_child.save()

    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt_other)

    assert fresh(pep).status == Status.SCHOOL_RETURNED


def test_readiness_check_added_twice_runs_once(world):
    calls = []

    def check(pep):
        calls.append(pep.pk)
        return ["Not today"]

    add_readiness_check(Status.SIGNED_OFF, check)
    add_readiness_check(Status.SIGNED_OFF, check)
    try:
        pep = pep_in(cast_of(world), Status.SUBMITTED)
        assert _refused(pep, Status.SIGNED_OFF, world.vs) == ["Not today"]
    finally:
        READINESS[Status.SIGNED_OFF].remove(check)
    assert calls == [pep.pk]
