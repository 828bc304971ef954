"""Release (payment) held until the PEP passes quality assurance, when the authority says so."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from openpep.funding import services
from openpep.funding.enums import RequestStatus
from openpep.funding.models import FundingRequest, FundingSettings
from openpep.funding.queries import is_held, latest_qa_rating, qa_passed
from openpep.plans.enums import Status
from openpep.plans.workflow import transition
from openpep.quality import services as quality_services
from openpep.quality.enums import Rag
from openpep.quality.models import Criterion
from tests.builders import cast_of, fresh, school_part_done, social_worker_part_done

from .conftest import configure, costed_target


def _qa_round(world, pep, rating: Rag):
    """A round of quality assurance rating every criterion of the rubric ``rating``."""
    criteria = Criterion.active_for(world.authority)
    answers = [quality_services.Answer(criterion, rating) for criterion in criteria]
    return quality_services.record_review(world.vs, fresh(pep), answers)


@pytest.fixture
def approved(world, draft):
    """An approved £540.00 request on a draft PEP, the draft then submitted to the Virtual School."""
    target = costed_target(draft, world.dt, "540.00")
    funding_request = services.request_funding(world.dt, draft, target)
    services.move(funding_request, RequestStatus.APPROVED, actor=world.vs, override_reason="Not allocated yet")
    cast = cast_of(world)
    school_part_done(cast, draft, targets=0)
    transition(fresh(draft), Status.SCHOOL_RETURNED, actor=world.dt)
    social_worker_part_done(cast, fresh(draft))
    transition(fresh(draft), Status.SUBMITTED, actor=world.sw)
    return FundingRequest.objects.get(pk=funding_request.pk)


def test_without_the_hold_an_approved_request_is_paid_at_once(world, approved):
    services.move(approved, RequestStatus.PAID, actor=world.vs)

    assert FundingRequest.objects.get().status == RequestStatus.PAID


def test_with_the_hold_payment_waits_until_the_latest_qa_round_is_green_or_gold(world, approved):
    configure(world, release_after_qa=True)
    pep = fresh(approved.pep)
    funding_settings = FundingSettings.for_authority_id(world.authority.pk)
    assert (qa_passed(pep), is_held(approved, funding_settings, qa_passed(pep))) == (False, True)

    with pytest.raises(ValidationError, match="Payment is held until the PEP passes quality assurance"):
        services.move(approved, RequestStatus.PAID, actor=world.vs)
    _qa_round(world, pep, Rag.RED)
    assert latest_qa_rating(pep) == "red"
    with pytest.raises(ValidationError, match="held"):
        services.move(approved, RequestStatus.PAID, actor=world.vs)
    _qa_round(world, pep, Rag.GREEN)

    assert (latest_qa_rating(pep), qa_passed(pep)) == ("green", True)
    services.move(approved, RequestStatus.PAID, actor=world.vs)
    assert FundingRequest.objects.get().status == RequestStatus.PAID


def test_a_later_red_round_holds_payment_again(world, approved):
    configure(world, release_after_qa=True)
    _qa_round(world, approved.pep, Rag.GREEN)
    _qa_round(world, approved.pep, Rag.RED)

    with pytest.raises(ValidationError, match="held"):
        services.move(approved, RequestStatus.PAID, actor=world.vs)


def test_without_the_quality_app_the_sign_off_is_the_quality_assurance(world, approved, monkeypatch):
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "openpep.quality" and installed(name))
    configure(world, release_after_qa=True)

    assert (latest_qa_rating(approved.pep), qa_passed(fresh(approved.pep))) == (None, False)
    with pytest.raises(ValidationError, match="held"):
        services.move(approved, RequestStatus.PAID, actor=world.vs)
    transition(fresh(approved.pep), Status.SIGNED_OFF, actor=world.vs)

    assert qa_passed(fresh(approved.pep)) is True
    services.move(FundingRequest.objects.get(), RequestStatus.PAID, actor=world.vs, reference="BACS 1")
    assert FundingRequest.objects.get().payment_reference == "BACS 1"


def test_a_held_request_still_counts_as_approved_in_the_ledger(world, approved):
    from openpep.funding.queries import ledger_of
    from openpep.funding.years import financial_year_of

    configure(world, release_after_qa=True)

    ledger = ledger_of(world.child.pk, financial_year_of(approved.requested_at.date()))
    assert (ledger.approved, ledger.paid, ledger.awaiting_payment) == (
        Decimal("540.00"),
        Decimal("0.00"),
        Decimal("540.00"),
    )
