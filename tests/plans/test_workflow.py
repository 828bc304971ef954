"""The PEP's transition table, through ``workflow.transition`` only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpep.audit.models import AuditEntry
from openpep.plans import services
from openpep.plans.enums import DecisionOutcome, Section, Status, ViewsRecordedBy
from openpep.plans.models import Decision
from openpep.plans.workflow import MOVES, transition
from tests.builders import (
    cast_of,
    complete_section_c,
    complete_section_d,
    fresh,
    pep_in,
    record_meeting,
    record_views,
    school_part_done,
    start,
)

REASONS = "The targets need a measure of success"
ROLES = ("sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody")

# (from, to): (who may make the move, the audit summary without a note, whether reasons are needed)
TABLE = {
    (Status.DRAFT, Status.SCHOOL_RETURNED): ({"dt"}, "Returned the school section to the social worker", False),
    (Status.SCHOOL_RETURNED, Status.DRAFT): ({"sw"}, "Reopened the school section", True),
    (Status.SCHOOL_RETURNED, Status.SUBMITTED): ({"sw"}, "Submitted to the Virtual School", False),
    (Status.RETURNED_TO_SCHOOL, Status.SUBMITTED): (
        {"dt"},
        "Returned the amended school section to the Virtual School",
        False,
    ),
    (Status.RETURNED_TO_SW, Status.SUBMITTED): ({"sw"}, "Resubmitted to the Virtual School", False),
    (Status.SUBMITTED, Status.SIGNED_OFF): ({"vs", "vs_admin"}, "Signed off the PEP", False),
    (Status.SUBMITTED, Status.RETURNED_TO_SCHOOL): ({"vs", "vs_admin"}, "Returned to the school for amendment", True),
    (Status.SUBMITTED, Status.RETURNED_TO_SW): (
        {"vs", "vs_admin"},
        "Returned to the social worker for amendment",
        True,
    ),
}
# The audit verb of each move, by the status it goes to.
VERBS = {
    Status.SCHOOL_RETURNED: "returned",
    Status.DRAFT: "reopened",
    Status.SUBMITTED: "submitted",
    Status.SIGNED_OFF: "signed_off",
    Status.RETURNED_TO_SCHOOL: "returned",
    Status.RETURNED_TO_SW: "returned",
}
LEGAL = [(source, target, role) for (source, target), (roles, _, _) in TABLE.items() for role in sorted(roles)]
WRONG = [
    (source, target, role) for (source, target), (roles, _, _) in TABLE.items() for role in ROLES if role not in roles
]
ILLEGAL = [(source, target) for source in Status for target in Status if (source, target) not in TABLE]


def _ids(params):
    return ["-".join(str(p) for p in param) for param in params]


def _written():
    return AuditEntry.objects.count(), Decision.objects.count()


def test_transition_table_is_the_one_tested():
    assert set(MOVES) == set(TABLE)


@pytest.mark.parametrize(("source", "target", "role"), LEGAL, ids=_ids(LEGAL))
def test_transition_by_right_actor_moves_and_writes_one_audit_entry(source, target, role, world):
    pep = pep_in(cast_of(world), source)
    actor = getattr(world, role)
    _, summary, needs_reasons = TABLE[(source, target)]
    note = REASONS if needs_reasons else ""
    seen = list(AuditEntry.objects.values_list("pk", flat=True))

    transition(pep, target, actor=actor, note=note)

    assert fresh(pep).status == target
    assert [
        (e.verb, e.actor, e.target_type, e.target_id, e.pep_id, e.child_id, e.summary, e.before, e.after)
        for e in AuditEntry.objects.exclude(pk__in=seen)
    ] == [
        (
            VERBS[target],
            actor,
            "plans.pep",
            str(pep.pk),
            pep.pk,
            world.child.pk,
            f"{summary}: {REASONS}" if needs_reasons else summary,
            {"status": source.value},
            {"status": target.value, "note": REASONS} if needs_reasons else {"status": target.value},
        )
    ]


@pytest.mark.parametrize(("source", "target", "role"), WRONG, ids=_ids(WRONG))
def test_transition_by_wrong_role_is_refused_and_writes_nothing(source, target, role, world):
    pep = pep_in(cast_of(world), source)
    _, summary, _ = TABLE[(source, target)]
    written = _written()

    with pytest.raises(PermissionDenied) as refused:
        transition(pep, target, actor=getattr(world, role), note=REASONS)

    label = MOVES[(source, target)].label
    assert str(refused.value) == f"You cannot {label[0].lower()}{label[1:]}"
    assert _written() == written
    assert fresh(pep).status == source


@pytest.mark.parametrize(("source", "target"), ILLEGAL, ids=_ids(ILLEGAL))
def test_transition_not_in_table_is_refused_with_message(source, target, world):
    pep = pep_in(cast_of(world), source)
    written = _written()

    with pytest.raises(ValidationError) as refused:
        transition(pep, target, actor=world.vs_admin, note=REASONS)

    assert refused.value.messages == [f"A PEP that is ‘{source.label}’ cannot become ‘{target.label}’"]
    assert _written() == written
    assert fresh(pep).status == source


def test_transition_draft_to_signed_off_says_why_not(world):
    pep = pep_in(cast_of(world), Status.DRAFT)

    with pytest.raises(ValidationError) as refused:
        transition(pep, Status.SIGNED_OFF, actor=world.vs)

    assert refused.value.messages == ["A PEP that is ‘Draft’ cannot become ‘Signed off’"]


NEEDS_REASONS = [(s, t, note) for (s, t), (_, _, needed) in TABLE.items() if needed for note in ("", "  \n ")]


@pytest.mark.parametrize(("source", "target", "note"), NEEDS_REASONS, ids=_ids(NEEDS_REASONS))
def test_transition_needing_reasons_refuses_empty_note(source, target, note, world):
    pep = pep_in(cast_of(world), source)
    roles, _, _ = TABLE[(source, target)]
    written = _written()

    with pytest.raises(ValidationError) as refused:
        transition(pep, target, actor=getattr(world, min(roles)), note=note)

    assert refused.value.message_dict == {
        "note": ["Enter the reasons, so the person who amends it knows what to change"]
    }
    assert _written() == written
    assert fresh(pep).status == source


def _refusal(pep, to, actor) -> list[str]:
    written = _written()
    with pytest.raises(ValidationError) as refused:
        transition(fresh(pep), to, actor=actor)
    assert _written() == written
    assert fresh(pep).status == pep.status
    return refused.value.messages


def test_return_school_section_with_nothing_done_lists_both_problems(world):
    pep = start(cast_of(world))

    assert _refusal(pep, Status.SCHOOL_RETURNED, world.dt) == [
        "Record the child's views (Section B)",
        "Complete Section D",
    ]


def test_return_school_section_without_section_d_is_refused(world):
    pep = start(cast_of(world))
    record_views(pep, world.dt)

    assert _refusal(pep, Status.SCHOOL_RETURNED, world.dt) == ["Complete Section D"]


def test_return_school_section_without_next_meeting_date_is_refused(world):
    pep = start(cast_of(world))
    record_views(pep, world.dt)
    complete_section_d(pep, world.dt, next_meeting=False)

    assert _refusal(pep, Status.SCHOOL_RETURNED, world.dt) == [
        "Set the date and time of the next PEP meeting in Section D"
    ]


def test_return_school_section_with_previous_targets_unrated_is_refused(world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=2)
    pep = start(cast)
    record_views(pep, world.dt)
    complete_section_d(pep, world.dt)

    assert _refusal(pep, Status.SCHOOL_RETURNED, world.dt) == ["Review every previous target: 2 not yet rated"]


def test_return_school_section_when_social_worker_records_views_needs_no_section_b(world):
    pep = start(cast_of(world), views_recorded_by=ViewsRecordedBy.SOCIAL_WORKER)
    complete_section_d(pep, world.dt)

    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)

    assert fresh(pep).status == Status.SCHOOL_RETURNED


def _returned_by_school(world):
    cast = cast_of(world)
    pep = start(cast)
    school_part_done(cast, pep)
    transition(fresh(pep), Status.SCHOOL_RETURNED, actor=world.dt)
    return fresh(pep)


def test_submit_without_meeting_agreed_is_refused(world):
    pep = _returned_by_school(world)
    complete_section_c(pep, world.sw)
    record_meeting(pep, world.sw, agreed=False)

    assert _refusal(pep, Status.SUBMITTED, world.sw) == [
        "Confirm in the meeting record that the plan was agreed at the meeting"
    ]


def test_submit_without_section_c_or_meeting_lists_both_problems(world):
    pep = _returned_by_school(world)

    assert _refusal(pep, Status.SUBMITTED, world.sw) == ["Complete Section C", "Record the PEP meeting"]


def test_resubmit_after_return_to_social_worker_checks_the_meeting_again(world):
    pep = pep_in(cast_of(world), Status.RETURNED_TO_SW)
    meeting = fresh(pep).meeting
    meeting.agreed = False
    services.save_section(world.sw, pep, meeting, section=Section.MEETING, expected_version=meeting.lock_version)

    assert _refusal(pep, Status.SUBMITTED, world.sw) == [
        "Confirm in the meeting record that the plan was agreed at the meeting"
    ]


def _decisions(pep):
    return list(Decision.objects.filter(pep=pep).values_list("outcome", "reasons", "decided_by"))


def test_sign_off_records_decision_without_reasons(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    transition(pep, Status.SIGNED_OFF, actor=world.vs)

    assert _decisions(pep) == [(DecisionOutcome.SIGNED_OFF, "", world.vs.pk)]


@pytest.mark.parametrize("to", [Status.RETURNED_TO_SCHOOL, Status.RETURNED_TO_SW])
def test_return_by_virtual_school_records_decision_with_reasons(to, world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    transition(pep, to, actor=world.vs_admin, note=f"  {REASONS}\n")

    assert _decisions(pep) == [(to.value, REASONS, world.vs_admin.pk)]


def test_decisions_of_every_round_are_kept_in_order(world):
    pep = pep_in(cast_of(world), Status.RETURNED_TO_SW)  # one decision: returned to the social worker
    transition(fresh(pep), Status.SUBMITTED, actor=world.sw)
    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)

    assert _decisions(pep) == [
        (DecisionOutcome.RETURNED_TO_SW, "Targets need a measure of success", world.vs.pk),
        (DecisionOutcome.SIGNED_OFF, "", world.vs.pk),
    ]


def test_moves_of_school_and_social_worker_record_no_decision(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    assert _decisions(pep) == []


def test_transition_with_stale_pep_refuses_second_move(world):
    pep = pep_in(cast_of(world), Status.DRAFT)
    first, second = fresh(pep), fresh(pep)  # two tabs, opened on the draft
    transition(first, Status.SCHOOL_RETURNED, actor=world.dt)
    written = _written()

    with pytest.raises(ValidationError) as refused:
        transition(second, Status.SCHOOL_RETURNED, actor=world.dt)

    assert refused.value.messages == ["Someone else has already moved this PEP: it is now ‘School section returned’"]
    assert _written() == written
    assert AuditEntry.objects.filter(pep_id=pep.pk, verb="returned").count() == 1


def test_transition_with_stale_pep_refuses_second_decision(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    officer, head = fresh(pep), fresh(pep)
    transition(officer, Status.SIGNED_OFF, actor=world.vs)

    with pytest.raises(ValidationError) as refused:
        transition(head, Status.RETURNED_TO_SCHOOL, actor=world.vs_admin, note=REASONS)

    assert refused.value.messages == ["Someone else has already moved this PEP: it is now ‘Signed off’"]
    assert _decisions(pep) == [(DecisionOutcome.SIGNED_OFF, "", world.vs.pk)]
    assert fresh(pep).status == Status.SIGNED_OFF
