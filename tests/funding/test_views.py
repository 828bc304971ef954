"""The PP+ panel on the PEP page, the request, decision and payment pages, and the Head's settings."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.funding import services
from openpep.funding.enums import RequestMode, RequestStatus
from openpep.funding.models import Allocation, FundingRequest, FundingSettings, Rate
from tests.fixtures import sign_in

from .conftest import RATE, configure, costed_target, this_year


def _panel(response) -> str:
    html = response.content.decode()
    start = html.index('id="pupil-premium"')
    return html[start : html.index('id="attainment"')]


@pytest.fixture
def allocated(world, rate):
    services.allocate(world.vs_admin, world.authority, this_year())


def test_the_dt_sees_the_ledger_and_can_request_while_the_school_part_is_open(world, draft, allocated, client):
    costed_target(draft, world.dt, "540.00")
    sign_in(client, world.dt)

    panel = _panel(client.get(reverse("plans:whole", args=[draft.pk])))

    assert f"Amira Test's PP+ for {this_year()}" in panel
    assert "£2,630.00" in panel  # allocated, and all of it left to approve
    assert reverse("funding:request_add", args=[draft.pk]) in panel
    assert "No PP+ has been requested in this PEP." in panel


def test_the_dt_requests_pp_for_a_costed_target(world, draft, allocated, client):
    target = costed_target(draft, world.dt, "540.00", outcome="I will go to maths tutoring")
    costed_target(draft, world.dt, None, outcome="I will read every night")
    sign_in(client, world.dt)
    url = reverse("funding:request_add", args=[draft.pk])

    page = client.get(url).content.decode()
    assert "I will go to maths tutoring – £540.00" in page
    assert "I will read every night" in page  # listed as needing a cost first, not offered
    assert page.count('name="target"') == 1

    response = client.post(url, {"target": target.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:whole", args=[draft.pk]) + "#pupil-premium"
    funding_request = FundingRequest.objects.get()
    assert (funding_request.target, funding_request.amount, funding_request.requested_by) == (
        target,
        Decimal("540.00"),
        world.dt,
    )


def test_in_band_mode_the_dt_picks_a_band(world, draft, allocated, client):
    configure(world, request_mode=RequestMode.BANDS)
    target = costed_target(draft, world.dt, None)
    sign_in(client, world.dt)
    url = reverse("funding:request_add", args=[draft.pk])

    response = client.post(url, {"target": target.pk})
    assert "Select a band" in response.content.decode()
    client.post(url, {"target": target.pk, "amount": "1500.00"})

    assert FundingRequest.objects.get().amount == Decimal("1500.00")


def test_the_virtual_school_approves_from_the_panel(world, draft, allocated, client):
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "540.00"))
    sign_in(client, world.vs)
    approve = reverse("funding:approve", args=[draft.pk, funding_request.pk])

    assert approve in _panel(client.get(reverse("plans:whole", args=[draft.pk])))
    response = client.post(approve, {"decision": "approved", "reason": "", "override_reason": ""})

    assert response.status_code == 302
    assert FundingRequest.objects.get().status == RequestStatus.APPROVED
    panel = _panel(client.get(reverse("plans:whole", args=[draft.pk])))
    assert reverse("funding:pay", args=[draft.pk, funding_request.pk]) in panel
    assert "£540.00 approved" in panel


def test_the_decision_page_shows_the_refusal_beyond_the_allocation_and_takes_an_override(
    world, draft, allocated, client
):
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "3000.00"))
    sign_in(client, world.vs)
    url = reverse("funding:approve", args=[draft.pk, funding_request.pk])

    refused = client.post(url, {"decision": "approved"})

    assert refused.status_code == 200
    assert "£370.00 beyond the allocation of £2,630.00" in refused.content.decode()
    assert FundingRequest.objects.get().status == RequestStatus.REQUESTED
    client.post(url, {"decision": "approved", "override_reason": "Agreed at the Head's panel"})
    assert FundingRequest.objects.get().override_reason == "Agreed at the Head's panel"


def test_part_approval_needs_an_amount_and_reasons_on_the_form(world, draft, allocated, client):
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "540.00"))
    sign_in(client, world.vs)

    page = client.post(
        reverse("funding:approve", args=[draft.pk, funding_request.pk]), {"decision": "part_approved"}
    ).content.decode()

    assert "Enter the amount approved" in page
    assert "Enter the reasons, so the school knows why" in page


def test_a_decided_request_cannot_be_decided_again(world, draft, allocated, client):
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "540.00"))
    services.move(funding_request, RequestStatus.DECLINED, actor=world.vs, reason="No")
    sign_in(client, world.vs)

    assert client.get(reverse("funding:approve", args=[draft.pk, funding_request.pk])).status_code == 403


def test_the_payment_page_says_when_payment_is_held(world, draft, allocated, client):
    configure(world, release_after_qa=True)
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "540.00"))
    services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)
    sign_in(client, world.vs)
    url = reverse("funding:pay", args=[draft.pk, funding_request.pk])

    assert "Payment is held until the PEP passes quality assurance." in client.get(url).content.decode()
    assert "Held until quality assurance is passed" in _panel(client.get(reverse("plans:whole", args=[draft.pk])))
    refused = client.post(url, {"reference": "X"})
    assert "Payment is held" in refused.content.decode()
    assert FundingRequest.objects.get().status == RequestStatus.APPROVED


def test_the_payment_is_recorded_with_its_reference(world, draft, allocated, client):
    funding_request = services.request_funding(world.dt, draft, costed_target(draft, world.dt, "540.00"))
    services.move(funding_request, RequestStatus.APPROVED, actor=world.vs)
    sign_in(client, world.vs_admin)

    response = client.post(reverse("funding:pay", args=[draft.pk, funding_request.pk]), {"reference": "BACS 77"})

    assert response.status_code == 302
    paid = FundingRequest.objects.get()
    assert (paid.status, paid.paid_by, paid.payment_reference) == (RequestStatus.PAID, world.vs_admin, "BACS 77")


def test_the_panel_costs_the_same_queries_for_one_request_or_three(world, draft, allocated, client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plans:detail", args=[draft.pk])).status_code == 200
        return len(queries)

    sign_in(client, world.vs)
    first = costed_target(draft, world.dt, "100.00", outcome="One")
    services.move(services.request_funding(world.dt, draft, first), RequestStatus.APPROVED, actor=world.vs)
    one = count_queries()
    for n in (2, 3):
        services.request_funding(world.dt, draft, costed_target(draft, world.dt, "100.00", outcome=f"N{n}"))

    assert count_queries() == one


# --- the Head's settings -----------------------------------------------------------------------------------


def test_the_head_changes_the_settings(world, client):
    sign_in(client, world.vs_admin)

    response = client.post(
        reverse("funding:settings_edit"),
        {"top_slice_percent": "7.5", "request_mode": "bands", "bands": "0, 250, 500", "release_after_qa": "True"},
    )

    assert response.status_code == 302
    saved = FundingSettings.objects.get(local_authority=world.authority)
    assert (saved.top_slice_percent, saved.request_mode, saved.band_amounts, saved.release_after_qa) == (
        Decimal("7.50"),
        "bands",
        [Decimal("0.00"), Decimal("250.00"), Decimal("500.00")],
        True,
    )


def test_the_head_adds_next_years_rate_and_works_out_the_allocations(world, client):
    sign_in(client, world.vs_admin)
    settings_page = client.get(reverse("funding:settings")).content.decode()
    assert f"There is no PP+ rate for {this_year()} yet" in settings_page

    client.post(reverse("funding:rate"), {"financial_year": this_year(), "amount": "2630"})
    response = client.post(reverse("funding:allocate"), {"financial_year": this_year()}, follow=True)

    assert Rate.objects.get().amount == RATE
    assert list(Allocation.objects.values_list("child__first_name", "amount")) == [("Amira", Decimal("2630.00"))]
    assert f"PP+ for {this_year()}: 1 eligible children at £2,630.00 each (1 new, 0 changed)" in (
        response.content.decode()
    )


def test_a_rate_is_a_financial_year_and_an_amount_above_zero(world, client):
    sign_in(client, world.vs_admin)

    page = client.post(reverse("funding:rate"), {"financial_year": "2026/27", "amount": "0"}).content.decode()

    assert "Write the financial year like 2026-27" in page
    assert "Enter an amount above £0" in page
    assert not Rate.objects.exists()


def test_the_settings_are_the_heads_of_their_own_authority_only(world, client):
    for person in (world.vs, world.dt, world.vs_other):
        sign_in(client, person)
        assert client.get(reverse("funding:settings")).status_code == 404
        assert client.post(reverse("funding:allocate")).status_code == 404
