"""Each check before submission, on a PEP that passes it and on PEPs that fail it."""

import datetime
from decimal import Decimal

import pytest

from openpep.plans import services
from openpep.plans.enums import HowGathered, Section, Status, TargetArea, TargetRating, ViewsRecordedBy
from openpep.plans.models import ChildViews, Target
from openpep.quality.checks import Plan, findings
from openpep.quality.enums import CheckId, Part
from tests.builders import (
    cast_of,
    complete_section_d,
    fresh,
    pep_in,
    record_meeting,
    record_views,
    start,
)

TARGET = "‘I will read a chapter book each week (1)’"


def found(pep, check: CheckId) -> list[str]:
    return [f.message for f in findings(Plan.of(fresh(pep)), [check])]


def details(pep, check: CheckId) -> list[tuple]:
    return [(f.check, f.anchor, f.part, f.workflow_refuses) for f in findings(Plan.of(fresh(pep)), [check])]


def add_target(pep, actor, **fields) -> Target:
    values = dict(
        outcome="I will read a chapter book each week",
        area=TargetArea.READING,
        success_measure="Reading log signed by carer",
        actions="Daily reading with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2026, 7, 17),
    )
    return services.add_target(actor, pep, Target(**(values | fields)))


def test_every_check_passes_a_pep_ready_to_submit(world):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)

    assert findings(Plan.of(fresh(pep))) == []


# --- the child's voice -------------------------------------------------------------------------------------


def test_voice_without_section_b_asks_for_it_as_the_workflow_does(world):
    pep = start(cast_of(world))

    assert found(pep, CheckId.VOICE) == ["Record the child's views (Section B)"]
    assert details(pep, CheckId.VOICE) == [(CheckId.VOICE, "section-b", Part.SCHOOL, True)]


def test_voice_with_section_b_saying_nothing_of_the_child_is_found(world):
    pep = start(cast_of(world))
    views = ChildViews(pep=pep, who_at_meeting="My carer", how_gathered=HowGathered.ADULT)
    services.save_section(world.dt, pep, views, section=Section.B, expected_version=None)

    assert found(pep, CheckId.VOICE) == [
        "Section B has none of the child's own views: record what is going well, what is hard, what helps or "
        "what they want to do or be"
    ]
    assert details(pep, CheckId.VOICE) == [(CheckId.VOICE, "section-b", Part.SCHOOL, False)]


def test_voice_recorded_by_the_social_worker_is_their_part(world):
    pep = start(cast_of(world), views_recorded_by=ViewsRecordedBy.SOCIAL_WORKER)

    assert details(pep, CheckId.VOICE) == [(CheckId.VOICE, "section-b", Part.SOCIAL_WORKER, True)]


def test_voice_with_one_of_the_childs_views_passes(world):
    pep = start(cast_of(world))
    record_views(pep, world.dt, going_well="Football at playtime")

    assert found(pep, CheckId.VOICE) == []


# --- previous targets reviewed -----------------------------------------------------------------------------


def _second_pep(world, targets=2):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=targets)
    return start(cast)


def test_unreviewed_targets_names_each_previous_target_not_rated(world):
    pep = _second_pep(world)

    assert found(pep, CheckId.UNREVIEWED_TARGETS) == [
        f"Previous target 1 ({TARGET}) has not been reviewed: say how far it was achieved",
        "Previous target 2 (‘I will read a chapter book each week (2)’) has not been reviewed: say how far it "
        "was achieved",
    ]
    assert {d[1:] for d in details(pep, CheckId.UNREVIEWED_TARGETS)} == {("reviews", Part.SCHOOL, True)}


def test_unreviewed_targets_finds_a_rating_with_no_evidence(world):
    pep = _second_pep(world, targets=1)
    review = pep.target_reviews.get()
    review.rating, review.evidence = TargetRating.PARTLY, "  "
    services.save_section(world.dt, pep, review, section=Section.D, expected_version=review.lock_version)

    assert found(pep, CheckId.UNREVIEWED_TARGETS) == [
        f"Previous target 1 ({TARGET}) is rated ‘Partly achieved’ with no evidence: say what shows it"
    ]
    assert details(pep, CheckId.UNREVIEWED_TARGETS) == [(CheckId.UNREVIEWED_TARGETS, "reviews", Part.SCHOOL, False)]


def test_unreviewed_targets_passes_every_target_rated_with_evidence(world):
    pep = _second_pep(world)
    for review in pep.target_reviews.all():
        review.rating, review.evidence = TargetRating.ACHIEVED, "Reading log"
        services.save_section(world.dt, pep, review, section=Section.D, expected_version=review.lock_version)

    assert found(pep, CheckId.UNREVIEWED_TARGETS) == []


# --- SMART targets -----------------------------------------------------------------------------------------


def _drafted(world):
    pep = start(cast_of(world))
    record_meeting(pep, world.sw)  # held on 4 February 2026
    return pep


def test_smart_targets_passes_a_smart_target(world):
    pep = _drafted(world)
    add_target(pep, world.dt, outcome="I will improve my reading age by six months", success_measure="Reading test")

    assert found(pep, CheckId.SMART_TARGETS) == []


def test_smart_targets_finds_no_measure_no_owner_and_not_the_childs_words(world):
    pep = _drafted(world)
    add_target(pep, world.dt, outcome="Amira to read every night", success_measure=" ", who="")

    assert found(pep, CheckId.SMART_TARGETS) == [
        "Target 1 (‘Amira to read every night’) has no measure of success: say how everyone will know it has been met",
        "Target 1 (‘Amira to read every night’) has no owner: say who is responsible",
        "Target 1 (‘Amira to read every night’) is not in the child's voice: write it as the child would say it, "
        "starting ‘I will…’",
    ]
    assert {d[1:] for d in details(pep, CheckId.SMART_TARGETS)} == {("targets", Part.SCHOOL, False)}


def test_smart_targets_finds_a_date_not_after_the_meeting(world):
    pep = _drafted(world)
    add_target(pep, world.dt)
    add_target(pep, world.dt, outcome="I will swim 25 metres", by_when=datetime.date(2026, 2, 4))

    assert found(pep, CheckId.SMART_TARGETS) == [
        "Target 2 (‘I will swim 25 metres’) is due by 4 February 2026, which is not after the PEP meeting on "
        "4 February 2026: give a date still to come"
    ]


def test_smart_targets_finds_a_target_with_no_date(world):
    pep = _drafted(world)
    plan = Plan.of(fresh(pep))
    undated = Target(outcome="I will swim", success_measure="25 metres", who="PE teacher", by_when=None)

    messages = [f.message for f in findings(Plan(**{**plan.__dict__, "targets": [undated]}), [CheckId.SMART_TARGETS])]

    assert messages == ["Target 1 (‘I will swim’) has no date: say by when it should be met"]


def test_smart_targets_finds_vague_words_with_no_number(world):
    pep = _drafted(world)
    add_target(pep, world.dt, outcome="I will try harder in maths", success_measure="Teacher's judgement")

    assert found(pep, CheckId.SMART_TARGETS) == [
        "Target 1 (‘I will try harder in maths’) uses vague words (‘try’) with no number or measure: say how much, "
        "how often or by when, in numbers"
    ]


def test_smart_targets_quotes_a_long_outcome_shortened(world):
    pep = _drafted(world)
    outcome = "I will get better at " + "reading and writing and spelling and " * 3
    add_target(pep, world.dt, outcome=outcome, success_measure="Teacher's view")

    assert found(pep, CheckId.SMART_TARGETS) == [
        "Target 1 (‘I will get better at reading and writing and spelling and…’) uses vague words (‘better’) with "
        "no number or measure: say how much, how often or by when, in numbers"
    ]


# --- Pupil Premium Plus ------------------------------------------------------------------------------------


def _with_pupil_premium_use(world, use: str):
    pep = start(cast_of(world))
    section = complete_section_d(pep, world.dt)
    section.pupil_premium_use = use
    services.save_section(world.dt, pep, section, section=Section.D, expected_version=section.lock_version)
    return pep


def test_pupil_premium_described_with_no_costed_target_is_found(world):
    pep = _with_pupil_premium_use(world, "PP+ pays for maths tutoring")
    add_target(pep, world.dt)

    assert found(pep, CheckId.PUPIL_PREMIUM) == [
        "Section D says how Pupil Premium Plus is used, but no target carries a PP+ cost: put each cost against "
        "the target it pays for"
    ]
    assert details(pep, CheckId.PUPIL_PREMIUM) == [(CheckId.PUPIL_PREMIUM, "targets", Part.SCHOOL, False)]


def test_pupil_premium_cost_on_a_target_with_no_measure_is_found(world):
    pep = _with_pupil_premium_use(world, "Tutoring, see target 1")
    add_target(pep, world.dt, success_measure="", pupil_premium_cost=Decimal("1450"))

    assert found(pep, CheckId.PUPIL_PREMIUM) == [
        "Target 1 (‘I will read a chapter book each week’) asks for £1,450.00 of PP+ but has no measure of success: "
        "say how the spending will show results"
    ]


def test_pupil_premium_linked_to_a_measured_target_passes(world):
    pep = _with_pupil_premium_use(world, "Tutoring, see target 1")
    add_target(pep, world.dt, pupil_premium_cost=Decimal("450"))

    assert found(pep, CheckId.PUPIL_PREMIUM) == []


@pytest.mark.parametrize("use", ["", "None this term", "N/A", "Not eligible for PP+ after Year 11"])
def test_pupil_premium_not_used_needs_no_costed_target(use, world):
    pep = _with_pupil_premium_use(world, use)
    add_target(pep, world.dt)

    assert found(pep, CheckId.PUPIL_PREMIUM) == []


# --- the next meeting --------------------------------------------------------------------------------------


def test_next_meeting_without_section_d_is_found(world):
    pep = start(cast_of(world))

    assert found(pep, CheckId.NEXT_MEETING) == ["Complete Section D, with the date and time of the next PEP meeting"]
    assert details(pep, CheckId.NEXT_MEETING) == [(CheckId.NEXT_MEETING, "section-d", Part.SCHOOL, True)]


def test_next_meeting_without_a_date_is_found(world):
    pep = start(cast_of(world))
    complete_section_d(pep, world.dt, next_meeting=False)

    assert found(pep, CheckId.NEXT_MEETING) == ["Set the date and time of the next PEP meeting in Section D"]


def test_next_meeting_with_a_date_passes(world):
    pep = start(cast_of(world))
    complete_section_d(pep, world.dt)

    assert found(pep, CheckId.NEXT_MEETING) == []


# --- an answer copied from last term -----------------------------------------------------------------------


def _review_after(world, **last):
    from openpep.plans.enums import Occasion
    from openpep.plans.models import SchoolSection

    cast = cast_of(world)
    previous = pep_in(cast, Status.SIGNED_OFF)
    SchoolSection.objects.filter(pep=previous).update(**last)
    return start(cast, occasion=Occasion.REVIEW)


def _section_d(pep, actor, **answers):
    from openpep.plans.enums import SenStatus
    from openpep.plans.models import SchoolSection

    section = SchoolSection(pep=pep, sen_status=SenStatus.NONE, **answers)
    return services.save_section(actor, pep, section, section=Section.D, expected_version=None)


def test_copied_finds_a_narrative_answer_the_same_as_last_terms_spaces_and_case_aside(world):
    pep = _review_after(world, support_offered="Reading catch-up\nthree mornings a week", going_well="Settled")
    _section_d(pep, world.dt, support_offered="  reading catch-up three   mornings a week ", going_well="Made a friend")

    assert found(pep, CheckId.COPIED) == [
        "Section D's ‘Support offered’ is the same as last term's: say what is true this term"
    ]
    assert details(pep, CheckId.COPIED) == [(CheckId.COPIED, "section-d", Part.SCHOOL, False)]


def test_copied_passes_a_changed_answer_a_blank_one_and_a_first_pep(world):
    pep = _review_after(world, support_offered="Reading catch-up", challenges="")
    _section_d(pep, world.dt, support_offered="Reading catch-up and a mentor", challenges="")
    first = start(cast_of(world, world.other_child))
    _section_d(first, world.dt_other, support_offered="Reading catch-up")

    assert found(pep, CheckId.COPIED) == []
    assert found(first, CheckId.COPIED) == []
