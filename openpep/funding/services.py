"""Every write to PP+: settings, rates, allocations, requests and their decisions and payments.

Each checks the actor's right, saves and writes its audit entry in one transaction.
``move`` is the only code that changes a request's status."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.children.models import Child
from openpep.people.models import LocalAuthority, User
from openpep.people.queries import roles_of
from openpep.people.services import save_council_settings
from openpep.plans.models import Pep, Target

from . import rules
from .enums import RequestMode, RequestStatus
from .models import Allocation, FundingRequest, FundingSettings, Rate, money
from .queries import eligible_children, is_held, ledger_of, qa_passed, rate_of, term_on
from .years import financial_year_of

# --- configuration -----------------------------------------------------------------------------------------


def _require_admin(actor: User, authority_id: int) -> None:
    if authority_id not in roles_of(actor).admin_authority_ids:
        raise PermissionDenied("Only the Virtual School Head of the authority can change its PP+ settings")


def save_settings(actor: User, funding_settings: FundingSettings) -> FundingSettings:
    """Save an authority's PP+ settings. Side effects: one audit entry with what changed."""
    return save_council_settings(actor, funding_settings, summary="Changed the PP+ settings")


@transaction.atomic
def save_rate(actor: User, authority: LocalAuthority, financial_year: str, amount: Decimal) -> Rate:
    """Enter or change the PP+ rate of one financial year. Allocations already made keep their
    amount until ``allocate`` runs again. Side effects: one audit entry."""
    _require_admin(actor, authority.pk)
    rate = Rate.objects.filter(local_authority=authority, financial_year=financial_year).first()
    before = {"amount": str(rate.amount)} if rate else {"amount": str(rate_of(authority.pk, financial_year))}
    if rate is None:
        rate = Rate(local_authority=authority, financial_year=financial_year)
    rate.amount = amount
    rate.full_clean()
    rate.save()
    record(
        actor,
        Verb.UPDATED,
        rate,
        summary=f"Set the PP+ rate for {financial_year} to {money(amount)} a child",
        before=before,
        after={"amount": str(amount)},
    )
    return rate


class NoRate(ValidationError):
    def __init__(self, authority: LocalAuthority, financial_year: str):
        super().__init__(
            f"There is no PP+ rate for {financial_year} yet: a Virtual School admin must enter it "
            f"for {authority} before allocations can be made"
        )


@dataclass(frozen=True)
class Allocated:
    financial_year: str
    per_child: Decimal
    created: int
    changed: int
    unchanged: int

    @property
    def children(self) -> int:
        return self.created + self.changed + self.unchanged


@transaction.atomic
def allocate(actor: User | None, authority: LocalAuthority, financial_year: str) -> Allocated:
    """Allocate the year's PP+ to each eligible child of the authority (``queries.eligible_children``):
    the rate less the top-slice. Safe to run again: a child already allocated the same amount is
    left alone, one allocated a different amount (the rate or top-slice changed) is brought up to
    date, and a child no longer eligible keeps what was allocated (their spending may rest on it).

    ``actor`` None is the system (the demo). Side effects: an audit entry for each allocation
    made or changed. Raises ``NoRate`` when the year has no rate."""
    if actor is not None:
        _require_admin(actor, authority.pk)
    LocalAuthority.objects.select_for_update().filter(pk=authority.pk).first()  # one run at a time
    rate = rate_of(authority.pk, financial_year)
    if rate is None:
        raise NoRate(authority, financial_year)
    funding_settings = FundingSettings.for_authority_id(authority.pk)
    per_child = funding_settings.per_child(rate)
    existing = {
        allocation.child_id: allocation
        for allocation in Allocation.objects.filter(child__local_authority=authority, financial_year=financial_year)
    }
    created = changed = unchanged = 0
    for child in eligible_children(authority.pk, financial_year).order_by("pk"):
        allocation = existing.get(child.pk)
        values = {"rate": rate, "top_slice_percent": funding_settings.top_slice_percent, "amount": per_child}
        if allocation is None:
            allocation = Allocation.objects.create(child=child, financial_year=financial_year, **values)
            record(
                actor,
                Verb.CREATED,
                allocation,
                summary=f"Allocated {money(per_child)} of PP+ for {financial_year}",
                after={key: str(value) for key, value in values.items()},
            )
            created += 1
        elif allocation.amount != per_child or allocation.rate != rate:
            before = {key: str(getattr(allocation, key)) for key in values}
            for key, value in values.items():
                setattr(allocation, key, value)
            allocation.save()
            record(
                actor,
                Verb.UPDATED,
                allocation,
                summary=f"Changed the PP+ allocated for {financial_year} to {money(per_child)}",
                before=before,
                after={key: str(value) for key, value in values.items()},
            )
            changed += 1
        else:
            unchanged += 1
    return Allocated(financial_year, per_child, created, changed, unchanged)


# --- requests ----------------------------------------------------------------------------------------------


def _lock_pep(pep: Pep) -> None:
    pep.status = Pep.objects.select_for_update().values_list("status", flat=True).get(pk=pep.pk)


@transaction.atomic
def request_funding(
    actor: User, pep: Pep, target: Target, *, amount: Decimal | None = None, today: datetime.date | None = None
) -> FundingRequest:
    """The school asks for PP+ towards one target of the PEP: the target's PP+ cost or, where the
    authority uses bands, one of its bands (``amount``). It counts against the financial year and
    term it is made in. Side effects: the request is saved; one audit entry."""
    _lock_pep(pep)
    if not rules.can_request(actor, pep):
        raise PermissionDenied(f"PP+ cannot be requested now: the PEP is ‘{pep.get_status_display()}’")
    if target.pep_id != pep.pk:
        raise ValidationError("Choose a target of this PEP")
    funding_settings = FundingSettings.for_authority_id(pep.child.local_authority_id)
    if funding_settings.request_mode == RequestMode.BANDS:
        if amount is None or amount <= 0 or amount not in funding_settings.band_amounts:
            raise ValidationError({"amount": "Choose one of the bands"})
    else:
        amount = target.pupil_premium_cost
        if not amount or amount <= 0:
            raise ValidationError({"target": "Add the Pupil Premium Plus cost to the target first"})
    today = today or timezone.localdate()
    school = pep.working_school
    funding_request = FundingRequest(
        pep=pep,
        target=target,
        target_outcome=target.outcome,
        school=school,
        financial_year=financial_year_of(today),
        term=term_on(pep.child.local_authority_id, today),
        amount=amount,
        requested_by=actor,
    )
    try:
        with transaction.atomic():
            funding_request.save()
    except IntegrityError:
        raise ValidationError({"target": "This target already has a PP+ request"}) from None
    record(
        actor,
        Verb.CREATED,
        funding_request,
        summary=f"Requested {money(amount)} of PP+ for the target: {target.outcome[:150]}",
        after={
            "amount": str(amount),
            "target_id": target.pk,
            "financial_year": funding_request.financial_year,
            "school_id": school.pk if school else None,
        },
    )
    return funding_request


class BeyondAllocation(ValidationError):
    """Approving would take the child's approved PP+ for the year beyond the allocation."""

    def __init__(self, financial_year: str, allocated: Decimal, approved: Decimal, amount: Decimal):
        self.beyond_by = approved + amount - allocated
        super().__init__(
            {
                "override_reason": (
                    f"Approving {money(amount)} would take the PP+ approved for {financial_year} to "
                    f"{money(approved + amount)}, {money(self.beyond_by)} beyond the allocation of "
                    f"{money(allocated)}. To approve it anyway, give the reason for going beyond the allocation"
                )
            }
        )


@dataclass(frozen=True)
class Move:
    source: RequestStatus
    target: RequestStatus
    label: str  # the button, and the start of the audit summary
    allowed: Callable[[User, Pep], bool]


MOVES: dict[tuple[RequestStatus, RequestStatus], Move] = {
    (m.source, m.target): m
    for m in [
        Move(RequestStatus.REQUESTED, RequestStatus.APPROVED, "Approved", rules.can_decide),
        Move(RequestStatus.REQUESTED, RequestStatus.PART_APPROVED, "Approved in part", rules.can_decide),
        Move(RequestStatus.REQUESTED, RequestStatus.DECLINED, "Declined", rules.can_decide),
        Move(RequestStatus.APPROVED, RequestStatus.PAID, "Paid", rules.can_decide),
        Move(RequestStatus.PART_APPROVED, RequestStatus.PAID, "Paid", rules.can_decide),
    ]
}


#: The audit verb of a move, by the status it goes to.
VERB_OF_MOVE = {
    RequestStatus.APPROVED: Verb.APPROVED,
    RequestStatus.PART_APPROVED: Verb.APPROVED,
    RequestStatus.DECLINED: Verb.REJECTED,
    RequestStatus.PAID: Verb.PAID,
}


def moves_for(user: User, funding_request: FundingRequest) -> list[Move]:
    return [m for m in MOVES.values() if m.source == funding_request.status and m.allowed(user, funding_request.pep)]


def move(
    funding_request: FundingRequest,
    to: RequestStatus,
    *,
    actor: User,
    amount: Decimal | None = None,
    reason: str = "",
    override_reason: str = "",
    reference: str = "",
) -> FundingRequest:
    """Decide or pay a request, on behalf of a Virtual School officer.

    - approved: the full amount; approved in part: ``amount``, above £0 and below what was asked,
      with ``reason``; declined: ``reason`` required; paid: an optional payment ``reference``.
    - An approval that would take the child's approved PP+ for the request's year beyond the
      allocation is refused (``BeyondAllocation``) unless ``override_reason`` says why; the
      override and its reason are kept on the request and in the audit entry.
    - Payment is refused while it is held: the authority holds payment until the PEP passes
      quality assurance, and it has not.

    In one transaction: locks the child (so two approvals of one child's PP+ cannot both pass the
    allocation check) and the request, re-checks its status, saves, writes the audit entry."""
    to = RequestStatus(to)
    step = MOVES.get((RequestStatus(funding_request.status), to))
    if step is None:
        raise ValidationError(
            f"A request that is ‘{RequestStatus(funding_request.status).label}’ cannot become ‘{to.label}’"
        )
    pep = funding_request.pep
    if not step.allowed(actor, pep):
        raise PermissionDenied("Only the child's Virtual School can decide or pay a PP+ request")
    reason, override_reason, reference = reason.strip(), override_reason.strip(), reference.strip()
    if to == RequestStatus.PART_APPROVED:
        if amount is None or not Decimal("0") < amount < funding_request.amount:
            raise ValidationError(
                {"amount": f"Enter an amount above £0 and below the {money(funding_request.amount)} requested"}
            )
    elif to == RequestStatus.APPROVED:
        amount = funding_request.amount
    if to in (RequestStatus.PART_APPROVED, RequestStatus.DECLINED) and not reason:
        raise ValidationError({"reason": "Enter the reasons, so the school knows why"})
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=pep.child_id).first()
        locked = FundingRequest.objects.select_for_update().get(pk=funding_request.pk)
        if locked.status != step.source:
            raise ValidationError(
                f"Someone else has already dealt with this request: it is now ‘{locked.get_status_display()}’"
            )
        before = {"status": step.source.value}
        after: dict = {"status": to.value}
        summary = f"{step.label} the PP+ request of {money(funding_request.amount)}"
        now = timezone.now()
        if to in (RequestStatus.APPROVED, RequestStatus.PART_APPROVED):
            ledger = ledger_of(pep.child_id, funding_request.financial_year)
            beyond = ledger.approved + amount - ledger.allocated
            if beyond > 0 and not override_reason:
                raise BeyondAllocation(funding_request.financial_year, ledger.allocated, ledger.approved, amount)
            funding_request.approved_amount = amount
            after["approved_amount"] = str(amount)
            if to == RequestStatus.PART_APPROVED:
                summary = f"Approved {money(amount)} of the PP+ request of {money(funding_request.amount)}"
            if beyond > 0:
                funding_request.override_reason = override_reason
                after |= {"beyond_allocation_by": str(beyond), "override_reason": override_reason}
                summary += f", {money(beyond)} beyond the allocation: {override_reason}"
        if to in (RequestStatus.APPROVED, RequestStatus.PART_APPROVED, RequestStatus.DECLINED):
            funding_request.reason = reason
            funding_request.decided_by = actor
            funding_request.decided_at = now
            if reason:
                after["reason"] = reason
                if to == RequestStatus.DECLINED:
                    summary += f": {reason}"
        if to == RequestStatus.PAID:
            funding_settings = FundingSettings.for_authority_id(pep.child.local_authority_id)
            if is_held(locked, funding_settings, qa_passed(pep)):
                raise ValidationError(
                    "Payment is held until the PEP passes quality assurance (its latest rating is green or gold)"
                )
            funding_request.paid_by = actor
            funding_request.paid_at = now
            funding_request.payment_reference = reference
            summary = f"Recorded the payment of {money(funding_request.approved_amount)} of PP+"
            after["paid"] = str(funding_request.approved_amount)
            if reference:
                after["reference"] = reference
                summary += f" (reference {reference})"
        funding_request.status = to
        funding_request.save()
        record(actor, VERB_OF_MOVE[to], funding_request, summary=summary, before=before, after=after)
    return funding_request
