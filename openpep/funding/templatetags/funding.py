"""The PP+ panel on the PEP page, and money written the GOV.UK way."""

from decimal import Decimal

from django import template
from django.utils import timezone

from .. import rules
from ..enums import PAYABLE_STATUSES, RequestMode, RequestStatus
from ..models import FundingSettings, money
from ..queries import is_held, ledger_of, qa_passed, requests_of
from ..years import financial_year_of

register = template.Library()

STATUS_COLOURS = {
    RequestStatus.REQUESTED: "govuk-tag--blue",
    RequestStatus.APPROVED: "govuk-tag--green",
    RequestStatus.PART_APPROVED: "govuk-tag--turquoise",
    RequestStatus.DECLINED: "govuk-tag--red",
    RequestStatus.PAID: "govuk-tag--grey",
}


@register.filter(name="money")
def money_filter(amount) -> str:
    """£2,630.00; a negative amount as −£40.00."""
    if amount is None or amount == "":
        return ""
    return money(Decimal(amount))


@register.filter
def request_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "govuk-tag--grey")


@register.inclusion_tag("funding/_panel.html", takes_context=True)
def pupil_premium_panel(context, pep):
    """The child's PP+ ledger for this financial year, and the PEP's requests with what each
    person may do with them. A fixed handful of queries, however many requests there are."""
    user = context["request"].user
    funding_settings = FundingSettings.for_authority_id(pep.child.local_authority_id)
    requests = list(requests_of(pep))
    may_decide = rules.can_decide(user, pep)
    passed = qa_passed(pep) if any(r.status in PAYABLE_STATUSES for r in requests) else True
    rows = [
        {
            "request": r,
            "held": is_held(r, funding_settings, passed),
            "can_decide": may_decide and r.status == RequestStatus.REQUESTED,
            "can_pay": may_decide and r.status in PAYABLE_STATUSES and not is_held(r, funding_settings, passed),
        }
        for r in requests
    ]
    return {
        "pep": pep,
        "ledger": ledger_of(pep.child_id, financial_year_of(timezone.localdate())),
        "rows": rows,
        "can_request": rules.can_request(user, pep),
        "bands": funding_settings.request_mode == RequestMode.BANDS,
        "release_after_qa": funding_settings.release_after_qa,
    }
