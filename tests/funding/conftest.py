"""PP+ test helpers: a rate for this financial year, and a draft PEP of ``world.child``
whose DT has set targets with PP+ costs, all through the services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from openpep.funding import services
from openpep.funding.models import FundingSettings
from openpep.funding.years import financial_year_of
from openpep.plans import services as plan_services
from openpep.plans.enums import TargetArea
from openpep.plans.models import Target
from tests.builders import cast_of, start

RATE = Decimal("2630.00")


def this_year() -> str:
    return financial_year_of(timezone.localdate())


def configure(world, **fields) -> FundingSettings:
    funding_settings = FundingSettings.for_authority_id(world.authority.pk)
    for name, value in fields.items():
        setattr(funding_settings, name, value)
    return services.save_settings(world.vs_admin, funding_settings)


def costed_target(pep, actor, cost, *, outcome=None) -> Target:
    target = Target(
        outcome=outcome or f"I will go to maths tutoring every week (£{cost})",
        area=TargetArea.MATHS,
        success_measure="Scores 20 out of 25 in the weekly check",
        actions="One-to-one tutoring after school on Tuesdays",
        who="Maths tutor",
        by_when=datetime.date(2027, 7, 16),
        pupil_premium_cost=Decimal(cost) if cost is not None else None,
    )
    return plan_services.add_target(actor, pep, target)


@pytest.fixture
def rate(world):
    """This financial year's rate, entered by the Virtual School Head."""
    return services.save_rate(world.vs_admin, world.authority, this_year(), RATE)


@pytest.fixture
def draft(world):
    """A draft PEP of world.child (school part open for world.dt)."""
    return start(cast_of(world))
