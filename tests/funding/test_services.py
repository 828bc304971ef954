"""PP+ writes: rates, allocations, requests, decisions, payments — and the ledger they add up to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openpep.audit.models import AuditEntry
from openpep.children.models import Placement
from openpep.funding import services
from openpep.funding.enums import RequestMode, RequestStatus
from openpep.funding.models import Allocation, FundingRequest, FundingSettings
from openpep.funding.queries import eligible_children, ledger_of, rate_of, rates_for
from openpep.funding.services import BeyondAllocation, NoRate
from openpep.plans.enums import Status
from openpep.plans.workflow import transition
from tests.builders import fresh
from tests.fixtures import make_child

from .conftest import RATE, configure, costed_target

D = datetime.date
YEAR = "2026-27"
IN_YEAR = D(2026, 11, 2)  # a request made in the autumn term of 2026-27


def _entries(target) -> list[tuple[str, str]]:
    return list(
        AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("at", "id")
        .values_list("verb", "summary")
    )


# --- rates and settings ------------------------------------------------------------------------------------


def test_rates_default_to_the_published_ones_until_the_head_enters_a_year(world):
    assert [(r.financial_year, r.amount, r.entered) for r in rates_for(world.authority.pk)] == [
        ("2025-26", Decimal("2630.00"), False),
        ("2024-25", Decimal("2570.00"), False),
        ("2023-24", Decimal("2530.00"), False),
    ]
    assert rate_of(world.authority.pk, YEAR) is None

    services.save_rate(world.vs_admin, world.authority, YEAR, Decimal("2700.00"))
    services.save_rate(world.vs_admin, world.authority, "2025-26", Decimal("2640.00"))

    assert [(r.financial_year, r.amount, r.entered) for r in rates_for(world.authority.pk)][:2] == [
        ("2026-27", Decimal("2700.00"), True),
        ("2025-26", Decimal("2640.00"), True),
    ]
    assert rate_of(world.other_authority.pk, "2025-26") == Decimal("2630.00")  # another authority: the default
    assert AuditEntry.objects.filter(target_type="funding.rate").values_list("summary", flat=True)[0] == (
        "Set the PP+ rate for 2025-26 to £2,640.00 a child"
    )


def test_only_the_head_of_the_authority_sets_rates_and_settings(world):
    for person in (world.vs, world.dt, world.vs_other):
        with pytest.raises(PermissionDenied):
            services.save_rate(person, world.authority, YEAR, RATE)
        with pytest.raises(PermissionDenied):
            services.save_settings(person, FundingSettings.for_authority_id(world.authority.pk))


def test_save_settings_audits_what_changed(world):
    """The first save makes the council's row and records what changed from the defaults in force."""
    configure(world, top_slice_percent=Decimal("12.5"), release_after_qa=True)

    entry = AuditEntry.objects.get(target_type="funding.fundingsettings")
    assert (entry.summary, entry.before, entry.after) == (
        "Changed the PP+ settings",
        {"release_after_qa": False, "top_slice_percent": "0"},
        {"release_after_qa": True, "top_slice_percent": "12.5"},
    )


@pytest.mark.parametrize(
    ("bands", "message"),
    [("400, lots", "‘lots’ is not an amount of money"), ("0", "at least one band above £0"), ("400, 400", "once")],
)
def test_bands_must_be_amounts(world, bands, message):
    funding_settings = FundingSettings(local_authority=world.authority, bands=bands)
    with pytest.raises(ValidationError, match=message):
        funding_settings.full_clean()


def test_band_amounts_are_decimal_pounds_in_order(world):
    funding_settings = FundingSettings(local_authority=world.authority, bands="£1500, 0, 400, 800.50")
    assert funding_settings.band_amounts == [Decimal("0.00"), Decimal("400.00"), Decimal("800.50"), Decimal("1500.00")]


# --- allocations -------------------------------------------------------------------------------------------


def test_per_child_is_the_rate_less_the_top_slice_rounded_half_up(world):
    funding_settings = FundingSettings(local_authority=world.authority, top_slice_percent=Decimal("12.5"))
    assert funding_settings.per_child(Decimal("2630.00")) == Decimal("2301.25")
    funding_settings.top_slice_percent = Decimal("33.33")
    assert funding_settings.per_child(Decimal("2630.00")) == Decimal("1753.42")  # 876.579 kept: 1753.421
    funding_settings.top_slice_percent = Decimal("0")
    assert funding_settings.per_child(Decimal("2630.00")) == Decimal("2630.00")


def test_eligible_children_are_looked_after_in_the_year_and_4_to_15_on_31_august(world):
    """world.child (born March 2014) is 12; world.other_child (born May 2010) is 16 on 31 August 2026."""
    kids = {
        "four": make_child(world.authority, world.sw, world.school, first="Four", born=D(2022, 8, 31)),
        "three": make_child(world.authority, world.sw, world.school, first="Three", born=D(2022, 9, 1)),
        "fifteen": make_child(world.authority, world.sw, world.school, first="Fifteen", born=D(2010, 9, 1)),
        "sixteen": make_child(world.authority, world.sw, world.school, first="Sixteen", born=D(2010, 8, 31)),
        "left_before": make_child(world.authority, world.sw, world.school, first="Left"),
        "left_during": make_child(world.authority, world.sw, world.school, first="During"),
        "elsewhere": make_child(world.other_authority, world.sw, world.school, first="Elsewhere"),
    }
    Placement.objects.filter(child=kids["left_before"]).update(ends_on=D(2026, 3, 31))
    Placement.objects.filter(child=kids["left_during"]).update(ends_on=D(2026, 4, 1))

    found = set(eligible_children(world.authority.pk, YEAR).values_list("first_name", flat=True))

    assert found == {"Amira", "Four", "Fifteen", "During"}
    assert set(eligible_children(world.authority.pk, "2025-26").values_list("first_name", flat=True)) == {
        "Amira",
        "Fifteen",
        "Sixteen",
        "Ben",  # world.other_child, 15 on 31 August 2025
        "Left",
        "During",
    }


def test_allocate_stores_the_rate_less_the_top_slice_and_can_run_again(world):
    services.save_rate(world.vs_admin, world.authority, YEAR, RATE)
    configure(world, top_slice_percent=Decimal("12.5"))

    first = services.allocate(world.vs_admin, world.authority, YEAR)

    assert (first.per_child, first.created, first.changed, first.unchanged) == (Decimal("2301.25"), 1, 0, 0)
    allocation = Allocation.objects.get()
    assert (allocation.child, allocation.financial_year, allocation.rate, allocation.top_slice_percent) == (
        world.child,
        YEAR,
        Decimal("2630.00"),
        Decimal("12.50"),
    )
    assert allocation.amount == Decimal("2301.25")
    assert _entries(allocation) == [("created", "Allocated £2,301.25 of PP+ for 2026-27")]

    again = services.allocate(world.vs_admin, world.authority, YEAR)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
    assert len(_entries(allocation)) == 1

    configure(world, top_slice_percent=Decimal("0"))
    changed = services.allocate(world.vs_admin, world.authority, YEAR)
    assert (changed.created, changed.changed, changed.unchanged) == (0, 1, 0)
    assert Allocation.objects.get().amount == Decimal("2630.00")
    assert _entries(allocation)[-1] == ("updated", "Changed the PP+ allocated for 2026-27 to £2,630.00")


def test_allocate_refuses_a_year_with_no_rate(world):
    with pytest.raises(NoRate, match=r"There is no PP\+ rate for 2026-27 yet"):
        services.allocate(world.vs_admin, world.authority, YEAR)
    assert not Allocation.objects.exists()


def test_allocate_is_the_heads_to_run(world):
    with pytest.raises(PermissionDenied):
        services.allocate(world.vs, world.authority, "2025-26")


# --- requests ----------------------------------------------------------------------------------------------


def test_the_dt_requests_a_targets_cost_in_the_school_part(world, draft):
    target = costed_target(draft, world.dt, "540.00")

    funding_request = services.request_funding(world.dt, draft, target, today=IN_YEAR)

    funding_request.refresh_from_db()
    assert (
        funding_request.pep,
        funding_request.target,
        funding_request.target_outcome,
        funding_request.school,
        funding_request.financial_year,
        funding_request.amount,
        funding_request.status,
        funding_request.requested_by,
    ) == (draft, target, target.outcome, world.school, YEAR, Decimal("540.00"), RequestStatus.REQUESTED, world.dt)
    assert _entries(funding_request) == [("created", f"Requested £540.00 of PP+ for the target: {target.outcome}")]
    assert AuditEntry.objects.filter(target_type="funding.fundingrequest").get().pep_id == draft.pk


def test_a_request_counts_in_the_term_it_is_made_in(world, draft):
    from openpep.clock.models import Term

    autumn = Term.objects.create(
        local_authority=world.authority, name="autumn", starts_on=D(2026, 9, 2), ends_on=D(2026, 12, 18)
    )
    target = costed_target(draft, world.dt, "100.00")

    in_holiday = services.request_funding(world.dt, draft, target, today=D(2026, 12, 24))

    assert in_holiday.term == autumn  # the Christmas holiday belongs to the term just ended


def test_a_target_without_a_cost_cannot_be_requested_in_free_mode(world, draft):
    target = costed_target(draft, world.dt, None)

    with pytest.raises(ValidationError, match="Add the Pupil Premium Plus cost to the target first"):
        services.request_funding(world.dt, draft, target, today=IN_YEAR)


def test_in_band_mode_the_request_is_one_of_the_bands(world, draft):
    configure(world, request_mode=RequestMode.BANDS, bands="0, 400, 800, 1500")
    target = costed_target(draft, world.dt, None)

    for wrong in (None, Decimal("0"), Decimal("500")):
        with pytest.raises(ValidationError, match="Choose one of the bands"):
            services.request_funding(world.dt, draft, target, amount=wrong, today=IN_YEAR)
    funding_request = services.request_funding(world.dt, draft, target, amount=Decimal("800"), today=IN_YEAR)

    assert funding_request.amount == Decimal("800.00")


def test_one_live_request_per_target_until_it_is_declined(world, draft):
    target = costed_target(draft, world.dt, "540.00")
    first = services.request_funding(world.dt, draft, target, today=IN_YEAR)

    with pytest.raises(ValidationError, match=r"This target already has a PP\+ request"):
        services.request_funding(world.dt, draft, target, today=IN_YEAR)
    services.move(first, RequestStatus.DECLINED, actor=world.vs, reason="Funded by the school")

    assert services.request_funding(world.dt, draft, target, today=IN_YEAR).status == RequestStatus.REQUESTED


def test_only_the_dt_of_the_school_with_the_school_part_open_requests(world, draft):
    target = costed_target(draft, world.dt, "540.00")
    for outsider in (world.sw, world.vs, world.dt_other, world.tm):
        with pytest.raises(PermissionDenied):
            services.request_funding(outsider, draft, target, today=IN_YEAR)

    from tests.builders import cast_of, school_part_done

    school_part_done(cast_of(world), draft, targets=0)
    transition(fresh(draft), Status.SCHOOL_RETURNED, actor=world.dt)

    with pytest.raises(PermissionDenied, match="the PEP is ‘School section returned’"):
        services.request_funding(world.dt, fresh(draft), target, today=IN_YEAR)
    assert not FundingRequest.objects.exists()


def test_a_target_of_another_pep_cannot_be_requested(world, draft):
    from tests.builders import cast_of, start

    other = start(cast_of(world, world.other_child))
    target = costed_target(other, world.dt_other, "100.00")

    with pytest.raises(ValidationError, match="Choose a target of this PEP"):
        services.request_funding(world.dt, draft, target, today=IN_YEAR)


# --- decisions and the ledger ------------------------------------------------------------------------------


@pytest.fixture
def allocated(world):
    """world.child allocated £2,301.25 for 2026-27: £2,630.00 less a 12.5% top-slice."""
    services.save_rate(world.vs_admin, world.authority, YEAR, RATE)
    configure(world, top_slice_percent=Decimal("12.5"))
    services.allocate(world.vs_admin, world.authority, YEAR)


def _requests(world, pep, *costs):
    return [
        services.request_funding(
            world.dt, pep, costed_target(pep, world.dt, cost, outcome=f"Target {n}"), today=IN_YEAR
        )
        for n, cost in enumerate(costs, start=1)
    ]


def test_the_ledger_adds_up_to_the_penny(world, draft, allocated):
    full, part, declined = _requests(world, draft, "540.00", "650.00", "1200.50")

    services.move(full, RequestStatus.APPROVED, actor=world.vs)
    services.move(part, RequestStatus.PART_APPROVED, actor=world.vs, amount=Decimal("400.25"), reason="Six weeks")
    services.move(declined, RequestStatus.DECLINED, actor=world.vs, reason="The school's own Pupil Premium")
    services.move(full, RequestStatus.PAID, actor=world.vs_admin, reference="INV-0042")

    ledger = ledger_of(world.child.pk, YEAR)
    assert (ledger.allocated, ledger.requested, ledger.approved, ledger.paid) == (
        Decimal("2301.25"),
        Decimal("2390.50"),
        Decimal("940.25"),
        Decimal("540.00"),
    )
    assert (ledger.remaining, ledger.awaiting_payment, ledger.awaiting_decision) == (
        Decimal("1361.00"),
        Decimal("400.25"),
        Decimal("0.00"),
    )
    assert all(isinstance(value, Decimal) for value in (ledger.allocated, ledger.requested, ledger.paid))
    for empty in (ledger_of(world.child.pk, "2025-26"), ledger_of(world.other_child.pk, YEAR)):
        assert (empty.allocated, empty.requested, empty.approved, empty.paid) == (Decimal("0"),) * 4


def test_each_decision_is_kept_with_who_and_why(world, draft, allocated):
    full, part, declined = _requests(world, draft, "540.00", "650.00", "1200.50")

    services.move(full, RequestStatus.APPROVED, actor=world.vs)
    services.move(part, RequestStatus.PART_APPROVED, actor=world.vs, amount=Decimal("400.25"), reason="Six weeks")
    services.move(declined, RequestStatus.DECLINED, actor=world.vs_admin, reason="Already funded")
    services.move(full, RequestStatus.PAID, actor=world.vs, reference="INV-0042")

    full, part, declined = (FundingRequest.objects.get(pk=r.pk) for r in (full, part, declined))
    assert (full.status, full.approved_amount, full.decided_by, full.paid_by, full.payment_reference) == (
        RequestStatus.PAID,
        Decimal("540.00"),
        world.vs,
        world.vs,
        "INV-0042",
    )
    assert (part.status, part.approved_amount, part.reason, part.in_part) == (
        RequestStatus.PART_APPROVED,
        Decimal("400.25"),
        "Six weeks",
        True,
    )
    assert (declined.status, declined.approved_amount, declined.decided_by) == (
        RequestStatus.DECLINED,
        None,
        world.vs_admin,
    )
    assert _entries(full)[1:] == [
        ("approved", "Approved the PP+ request of £540.00"),
        ("paid", "Recorded the payment of £540.00 of PP+ (reference INV-0042)"),
    ]
    assert _entries(part)[1:] == [("approved", "Approved £400.25 of the PP+ request of £650.00")]
    assert _entries(declined)[1:] == [("rejected", "Declined the PP+ request of £1,200.50: Already funded")]


def test_approving_beyond_the_allocation_is_refused_without_a_reason(world, draft, allocated):
    first, second = _requests(world, draft, "1200.50", "1200.00")
    services.move(first, RequestStatus.APPROVED, actor=world.vs)

    with pytest.raises(BeyondAllocation) as refused:
        services.move(second, RequestStatus.APPROVED, actor=world.vs)

    assert refused.value.message_dict == {
        "override_reason": [
            "Approving £1,200.00 would take the PP+ approved for 2026-27 to £2,400.50, £99.25 beyond the "
            "allocation of £2,301.25. To approve it anyway, give the reason for going beyond the allocation"
        ]
    }
    assert FundingRequest.objects.get(pk=second.pk).status == RequestStatus.REQUESTED
    assert ledger_of(world.child.pk, YEAR).approved == Decimal("1200.50")
    # Up to the allocation exactly is allowed.
    services.move(second, RequestStatus.PART_APPROVED, actor=world.vs, amount=Decimal("1100.75"), reason="What is left")
    assert ledger_of(world.child.pk, YEAR).remaining == Decimal("0.00")


def test_an_override_with_its_reason_approves_beyond_the_allocation_and_is_audited(world, draft, allocated):
    first, second = _requests(world, draft, "1200.50", "1200.00")
    services.move(first, RequestStatus.APPROVED, actor=world.vs)

    services.move(
        second, RequestStatus.APPROVED, actor=world.vs, override_reason="  Exam year: tutoring agreed by the Head  "
    )

    second = FundingRequest.objects.get(pk=second.pk)
    assert (second.status, second.approved_amount, second.override_reason) == (
        RequestStatus.APPROVED,
        Decimal("1200.00"),
        "Exam year: tutoring agreed by the Head",
    )
    ledger = ledger_of(world.child.pk, YEAR)
    assert (ledger.approved, ledger.remaining) == (Decimal("2400.50"), Decimal("-99.25"))
    entry = AuditEntry.objects.filter(target_type="funding.fundingrequest", target_id=str(second.pk)).latest("id")
    assert entry.summary == (
        "Approved the PP+ request of £1,200.00, £99.25 beyond the allocation: Exam year: tutoring agreed by the Head"
    )
    assert entry.after == {
        "status": "approved",
        "approved_amount": "1200.00",
        "beyond_allocation_by": "99.25",
        "override_reason": "Exam year: tutoring agreed by the Head",
    }


def test_a_child_with_no_allocation_needs_an_override_for_any_approval(world):
    from tests.builders import cast_of, start

    pep = start(cast_of(world, world.other_child))  # 16 on 31 August 2026: no PP+ for 2026-27
    services.save_rate(world.vs_admin, world.authority, YEAR, RATE)
    services.allocate(world.vs_admin, world.authority, YEAR)
    target = costed_target(pep, world.dt_other, "35.00")
    funding_request = services.request_funding(world.dt_other, pep, target, today=IN_YEAR)

    with pytest.raises(BeyondAllocation, match="£35.00 beyond the allocation of £0.00"):
        services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("540.00"), Decimal("600")])
def test_approving_in_part_takes_an_amount_below_the_request(world, draft, allocated, amount):
    (funding_request,) = _requests(world, draft, "540.00")

    with pytest.raises(ValidationError, match="above £0 and below the £540.00 requested"):
        services.move(funding_request, RequestStatus.PART_APPROVED, actor=world.vs, amount=amount, reason="Less")


@pytest.mark.parametrize("to", [RequestStatus.PART_APPROVED, RequestStatus.DECLINED])
def test_approving_in_part_or_declining_needs_reasons(world, draft, allocated, to):
    (funding_request,) = _requests(world, draft, "540.00")

    with pytest.raises(ValidationError, match="Enter the reasons"):
        services.move(funding_request, to, actor=world.vs, amount=Decimal("100"), reason="   ")


def test_only_the_childs_virtual_school_decides(world, draft, allocated):
    (funding_request,) = _requests(world, draft, "540.00")

    for outsider in (world.dt, world.sw, world.tm, world.iro, world.vs_other):
        with pytest.raises(PermissionDenied):
            services.move(funding_request, RequestStatus.APPROVED, actor=outsider)
    assert FundingRequest.objects.get().status == RequestStatus.REQUESTED


def test_moves_not_in_the_table_are_refused(world, draft, allocated):
    (funding_request,) = _requests(world, draft, "540.00")

    with pytest.raises(ValidationError, match="A request that is ‘Requested’ cannot become ‘Paid’"):
        services.move(funding_request, RequestStatus.PAID, actor=world.vs)
    services.move(funding_request, RequestStatus.DECLINED, actor=world.vs, reason="No")
    with pytest.raises(ValidationError, match="cannot become ‘Approved’"):
        services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)


def test_a_stale_copy_cannot_decide_again(world, draft, allocated):
    (funding_request,) = _requests(world, draft, "540.00")
    stale = FundingRequest.objects.get(pk=funding_request.pk)
    services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)

    with pytest.raises(ValidationError, match="Someone else has already dealt with this request"):
        services.move(stale, RequestStatus.DECLINED, actor=world.vs_admin, reason="No")
