"""Pupil Premium Plus in the demo: the Virtual School Head's settings, this financial year's
allocations, and requests on four children's PEPs, decided and paid through the services by
the people whose job it is.

What the demo ends with (whatever the date it is built on):
- Mason: £240.00 approved and paid; £180.00 awaiting a decision.
- Ethan: £300.00 approved in part (£200.00) and paid; £180.00 declined; £90.00 awaiting a decision.
- Alfie: £240.00 approved and paid; £600.00 approved but held until the PEP passes quality
  assurance (the Head turns the hold on after the first payments); £300.00 awaiting a decision.
- Callum: £200.00 approved and paid; £60.00 awaiting a decision.
"""

from decimal import Decimal

from django.utils import timezone

from openpep.plans.models import Pep

from . import services
from .enums import DEFAULT_RATES, RequestStatus
from .models import FundingSettings
from .queries import rate_of
from .years import financial_year_of

TOP_SLICE = Decimal("10")

# child -> for each costed target of the open PEP, in order: (decision, amount approved in part, reasons, paid)
DECISIONS = {
    "mason": [(RequestStatus.APPROVED, None, "", True), None],
    "ethan": [
        (
            RequestStatus.PART_APPROVED,
            Decimal("200.00"),
            "Six weeks of the language group, not ten: the speech and language therapy service runs the rest.",
            True,
        ),
        (
            RequestStatus.DECLINED,
            None,
            "Breakfast club places are funded from the school's own Pupil Premium; PP+ is for what goes beyond it.",
            False,
        ),
        None,
    ],
    "alfie": [(RequestStatus.APPROVED, None, "", True), "held", None],
    "callum": [(RequestStatus.APPROVED, None, "", True), None],
}


def build_pupil_premium(demo) -> None:
    authority = demo.authorities["demoshire"]
    head, adviser = demo.users["vsadmin"], demo.users["vs"]
    year = financial_year_of(timezone.localdate())
    if rate_of(authority.pk, year) is None:
        # A year whose rate is not in the defaults: the demo uses the last published rate, as a
        # council would until the Department for Education announces the new one.
        services.save_rate(head, authority, year, DEFAULT_RATES[max(DEFAULT_RATES)])
    funding_settings = FundingSettings.for_authority_id(authority.pk)
    funding_settings.top_slice_percent = TOP_SLICE
    services.save_settings(head, funding_settings)
    services.allocate(head, authority, year)

    held = []
    for name, plan in DECISIONS.items():
        pep = Pep.objects.select_related("child").get(pk=demo.peps[name][-1].pk)
        designated_teacher = demo.dt_for(pep.working_school)
        costed = [target for target in pep.targets.all() if target.pupil_premium_cost]
        for target, decision in zip(costed, plan, strict=True):
            funding_request = services.request_funding(designated_teacher, pep, target)
            if decision == "held":
                held.append(funding_request)
            elif decision is not None:
                to, amount, reason, paid = decision
                services.move(funding_request, to, actor=adviser, amount=amount, reason=reason)
                if paid:
                    reference = f"PPP-{funding_request.pk:05d}"
                    services.move(funding_request, RequestStatus.PAID, actor=adviser, reference=reference)

    # From now on the Virtual School pays only once a PEP has passed quality assurance.
    funding_settings.release_after_qa = True
    services.save_settings(head, funding_settings)
    for funding_request in held:
        services.move(funding_request, RequestStatus.APPROVED, actor=adviser)
