"""Reading PP+: rates, who is eligible, the ledger, and whether a PEP has passed quality assurance.

The ledger is never stored: it is summed in the database from the allocation and the
requests, so it cannot drift from them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from openpep.children.models import Child
from openpep.children.queries import looked_after_q
from openpep.clock.models import Term
from openpep.plans.enums import Status
from openpep.plans.models import Pep

from .enums import APPROVED_STATUSES, DEFAULT_RATES, PAYABLE_STATUSES, QA_PASSING_RATINGS, RequestStatus
from .models import PENNY, Allocation, FundingRequest, FundingSettings, Rate, money_field
from .years import birth_dates, bounds

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RateRow:
    financial_year: str
    amount: Decimal
    entered: bool  # False: the default from enums.DEFAULT_RATES


def rates_for(authority_id: int) -> list[RateRow]:
    """Every year with a rate, newest first: the authority's own, then the defaults it has not replaced."""
    entered = dict(Rate.objects.filter(local_authority_id=authority_id).values_list("financial_year", "amount"))
    rows = [RateRow(year, amount, True) for year, amount in entered.items()]
    rows += [RateRow(year, amount, False) for year, amount in DEFAULT_RATES.items() if year not in entered]
    return sorted(rows, key=lambda row: row.financial_year, reverse=True)


def rate_of(authority_id: int, financial_year: str) -> Decimal | None:
    saved = (
        Rate.objects.filter(local_authority_id=authority_id, financial_year=financial_year)
        .values_list("amount", flat=True)
        .first()
    )
    return saved if saved is not None else DEFAULT_RATES.get(financial_year)


def eligible_children(authority_id: int, financial_year: str) -> QuerySet:
    """The authority's children who attract PP+ for the year: looked after on at least one day of
    it, and aged 4 to 15 on 31 August at its start (Reception to Year 11 that academic year)."""
    first_day, last_day = bounds(financial_year)
    earliest, latest = birth_dates(financial_year)
    return Child.objects.filter(
        looked_after_q(first_day, until=last_day),
        local_authority_id=authority_id,
        date_of_birth__gte=earliest,
        date_of_birth__lte=latest,
    )


@dataclass(frozen=True)
class Ledger:
    financial_year: str
    allocated: Decimal
    requested: Decimal  # every request of the year, whatever became of it
    approved: Decimal  # approved in full or in part, paid or not
    paid: Decimal
    awaiting_decision: Decimal

    @property
    def remaining(self) -> Decimal:
        """What can still be approved without going beyond the allocation (negative once it has)."""
        return self.allocated - self.approved

    @property
    def awaiting_payment(self) -> Decimal:
        return self.approved - self.paid


def _sum(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=money_field(""))


REQUEST_SUMS = {
    "requested": _sum("amount"),
    "approved": _sum("approved_amount", Q(status__in=APPROVED_STATUSES)),
    "paid": _sum("approved_amount", Q(status=RequestStatus.PAID)),
    "awaiting_decision": _sum("amount", Q(status=RequestStatus.REQUESTED)),
}


def ledger_of(child_id: int, financial_year: str) -> Ledger:
    """One child's ledger for one year (two queries)."""
    allocated = (
        Allocation.objects.filter(child_id=child_id, financial_year=financial_year)
        .values_list("amount", flat=True)
        .first()
    )
    sums = FundingRequest.objects.filter(pep__child_id=child_id, financial_year=financial_year).aggregate(
        **REQUEST_SUMS
    )
    # Sums come back from SQLite without their places (2630 for 2630.00): written to the penny.
    sums = {key: value.quantize(PENNY) for key, value in sums.items()}
    return Ledger(financial_year, allocated if allocated is not None else ZERO, **sums)


def _request_subquery(financial_year: str, field: str, condition: Q | None = None, **match):
    rows = FundingRequest.objects.filter(financial_year=financial_year, **match)
    if condition is not None:
        rows = rows.filter(condition)
    total = rows.values("financial_year").annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total), Value(ZERO), output_field=money_field(""))


def with_ledgers(children: QuerySet, financial_year: str) -> QuerySet:
    """``children`` annotated with their ledger for the year (``pp_allocated``, ``pp_requested``,
    ``pp_approved``, ``pp_paid``), each summed by a subquery: one query for the whole list."""
    allocation = Allocation.objects.filter(child=OuterRef("pk"), financial_year=financial_year).values("amount")
    child = {"pep__child": OuterRef("pk")}
    return children.annotate(
        pp_allocated=Coalesce(Subquery(allocation[:1]), Value(ZERO), output_field=money_field("")),
        pp_requested=_request_subquery(financial_year, "amount", **child),
        pp_approved=_request_subquery(financial_year, "approved_amount", Q(status__in=APPROVED_STATUSES), **child),
        pp_paid=_request_subquery(financial_year, "approved_amount", Q(status=RequestStatus.PAID), **child),
    )


def requests_of(pep: Pep) -> QuerySet:
    return pep.pupil_premium_requests.select_related("target", "requested_by", "decided_by", "paid_by", "term")


def term_on(authority_id: int, day: datetime.date) -> Term | None:
    """The term ``day`` falls in or, in a holiday, the term just ended: the term a request counts for."""
    return Term.objects.filter(local_authority_id=authority_id, starts_on__lte=day).order_by("-starts_on").first()


# --- quality assurance ------------------------------------------------------------------------------------

QUALITY_APP = "openpep.quality"


def latest_qa_rating(pep: Pep) -> str | None:
    """The overall rating of the PEP's latest round of quality assurance, from the ``quality`` app
    when it is installed (read through the app registry: funding does not import it); None when
    it is not installed or the PEP has had no round yet."""
    if not apps.is_installed(QUALITY_APP):
        return None
    review = apps.get_model("quality", "Review")
    return review.objects.filter(pep_id=pep.pk).order_by("-created_at", "-pk").values_list("overall", flat=True).first()


def qa_passed(pep: Pep) -> bool:
    """Whether the PEP has passed quality assurance: its latest round is green or gold; without
    the ``quality`` app, the Virtual School's sign-off (Section E) is its quality assurance."""
    if apps.is_installed(QUALITY_APP):
        return latest_qa_rating(pep) in QA_PASSING_RATINGS
    return pep.status == Status.SIGNED_OFF


def is_held(funding_request: FundingRequest, settings: FundingSettings, passed: bool) -> bool:
    """An approved request waits for the PEP to pass quality assurance, when the authority says so."""
    return funding_request.status in PAYABLE_STATUSES and settings.release_after_qa and not passed
