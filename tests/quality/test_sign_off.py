"""Sign-off follows the authority's QA rule, through the workflow's hook."""

import pytest
from django.core.exceptions import ValidationError

from openpep.audit.models import AuditEntry
from openpep.plans.enums import Status
from openpep.plans.models import Decision
from openpep.plans.workflow import transition
from openpep.quality.enums import OverallRule, SignOffRule
from openpep.quality.models import Review
from tests.builders import cast_of, fresh, pep_in
from tests.fixtures import today

from .helpers import configure, rate

SMART = "Targets are SMART"


def _sign_off_refused(pep, actor) -> list[str]:
    written = AuditEntry.objects.count(), Decision.objects.count()
    with pytest.raises(ValidationError) as refused:
        transition(fresh(pep), Status.SIGNED_OFF, actor=actor)
    assert (AuditEntry.objects.count(), Decision.objects.count()) == written
    assert fresh(pep).status == Status.SUBMITTED
    return refused.value.messages


def _red_message(*titles, by="Val School") -> str:
    rated = "; ".join(f"‘{title}’" for title in titles)
    return (
        f"The latest quality assurance round ({today().day} {today():%B %Y}, by {by}) rated {rated} red: return "
        "the PEP for amendment, then record a new round with no red"
    )


def test_sign_off_without_a_round_is_allowed_by_default(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    transition(pep, Status.SIGNED_OFF, actor=world.vs)

    assert fresh(pep).status == Status.SIGNED_OFF


def test_sign_off_with_a_red_round_is_refused_saying_which_criteria(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=[SMART, "Carer input"])

    assert _sign_off_refused(pep, world.vs_admin) == [_red_message(SMART, "Carer input")]


def test_sign_off_after_return_amendment_and_a_green_round_is_allowed_and_every_round_kept(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    red = rate(pep, world.vs, red=[SMART])
    transition(fresh(pep), Status.RETURNED_TO_SCHOOL, actor=world.vs, note="Target 1 needs a measure")
    transition(fresh(pep), Status.SUBMITTED, actor=world.dt)
    assert _sign_off_refused(pep, world.vs) == [_red_message(SMART)]  # still the red round until a new one

    green = rate(pep, world.vs_admin)
    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs_admin)

    assert fresh(pep).status == Status.SIGNED_OFF
    assert list(Review.objects.filter(pep=pep)) == [green, red]  # newest first
    assert [(r.overall, r.reviewer) for r in Review.objects.filter(pep=pep)] == [
        ("green", world.vs_admin),
        ("red", world.vs),
    ]


def test_sign_off_with_an_amber_round_is_allowed(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, amber=[SMART])

    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)

    assert fresh(pep).status == Status.SIGNED_OFF


def test_sign_off_needing_a_round_refuses_without_one(world):
    configure(world, sign_off_rule=SignOffRule.ROUND_WITHOUT_RED)
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    assert _sign_off_refused(pep, world.vs) == ["Record a quality assurance round before signing off the PEP"]
    rate(pep, world.vs)
    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)
    assert fresh(pep).status == Status.SIGNED_OFF


def test_sign_off_by_overall_rating_allows_one_red_that_the_rule_outweighs(world):
    configure(world, overall_rule=OverallRule.MOST_COMMON, sign_off_rule=SignOffRule.OVERALL_NOT_RED)
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    review = rate(pep, world.vs, red=[SMART])

    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)

    assert review.overall == "green"
    assert fresh(pep).status == Status.SIGNED_OFF


def test_sign_off_by_overall_rating_refuses_a_red_overall(world):
    configure(world, sign_off_rule=SignOffRule.OVERALL_NOT_RED)
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=[SMART])

    assert _sign_off_refused(pep, world.vs) == [
        f"The latest quality assurance round ({today().day} {today():%B %Y}, by Val School) rated the PEP red "
        "overall: return it for amendment, then record a new round that is not red"
    ]


def test_sign_off_whatever_the_ratings_allows_a_red_round(world):
    configure(world, sign_off_rule=SignOffRule.ANY)
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=[SMART])

    transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)

    assert fresh(pep).status == Status.SIGNED_OFF


def test_returning_a_pep_with_a_red_round_is_allowed(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=[SMART])

    transition(fresh(pep), Status.RETURNED_TO_SW, actor=world.vs, note="Section C: add the carer's views")

    assert fresh(pep).status == Status.RETURNED_TO_SW
