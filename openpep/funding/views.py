"""PP+ pages: the Virtual School admin's settings, and a request's pages from the PEP.

Views fetch through ``peps_for`` (out of scope: 404), check the named right (403),
and call the services; they never write the audit or a status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpep.forms import form_error
from openpep.plans.queries import pep_page
from openpep.plans.views import card_url
from openpep.views import act, administered_authority_or_404, council_settings_page, form_page

from . import rules, services
from .enums import PAYABLE_STATUSES, RequestMode, RequestStatus
from .forms import DecisionForm, PaymentForm, RateForm, RequestForm, SettingsForm
from .models import Allocation, FundingRequest, FundingSettings
from .queries import is_held, ledger_of, qa_passed, rate_of, rates_for
from .years import financial_year_of, validate_financial_year


@login_required
def settings_page(request):
    authority = administered_authority_or_404(request.user)
    this_year = financial_year_of(timezone.localdate())
    funding_settings = FundingSettings.for_authority_id(authority.pk)
    rates = rates_for(authority.pk)
    allocations = {
        row["financial_year"]: row
        for row in Allocation.objects.filter(child__local_authority=authority)
        .values("financial_year")
        .annotate(**_allocation_totals())
        .order_by()
    }
    rows = [
        {
            "rate": rate,
            "per_child": funding_settings.per_child(rate.amount),
            "allocations": allocations.get(rate.financial_year),
        }
        for rate in rates
    ]
    return render(
        request,
        "funding/settings.html",
        {
            "authority": authority,
            "settings": funding_settings,
            "rows": rows,
            "this_year": this_year,
            "this_year_rate": rate_of(authority.pk, this_year),
            "setting_fields": FundingSettings.FIELDS,
        },
    )


def _allocation_totals():
    return {"children": Count("pk"), "total": Sum("amount")}


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        FundingSettings,
        SettingsForm,
        services.save_settings,
        saved="The PP+ settings have been saved",
        done="funding:settings",
        title="Pupil Premium Plus settings",
        lead="A change to the top-slice applies to allocations when they are next worked out.",
    )


@login_required
def rate(request):
    authority = administered_authority_or_404(request.user)
    year = request.GET.get("year", "")
    initial = {}
    try:
        validate_financial_year(year)
    except ValidationError:
        pass
    else:
        initial = {"financial_year": year, "amount": rate_of(authority.pk, year)}
    form = RateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year, amount = form.cleaned_data["financial_year"], form.cleaned_data["amount"]
        services.save_rate(request.user, authority, year, amount)
        messages.success(request, f"The PP+ rate for {year} is now £{amount:,.2f} a child")
        return redirect("funding:settings")
    return form_page(
        request,
        form,
        authority,
        cancel="funding:settings",
        title="PP+ rate for a financial year",
        submit="Save",
        lead="The rate per looked-after child. Allocations already made keep their amount until they are "
        "worked out again.",
    )


@login_required
@require_POST
def allocate(request):
    authority = administered_authority_or_404(request.user)
    year = request.POST.get("financial_year") or financial_year_of(timezone.localdate())

    def allocate_for_year():
        validate_financial_year(year)
        return services.allocate(request.user, authority, year)

    act(
        request,
        allocate_for_year,
        lambda done: (
            f"PP+ for {year}: {done.children} eligible children at £{done.per_child:,.2f} each "
            f"({done.created} new, {done.changed} changed)"
        ),
    )
    return redirect("funding:settings")


# --- requests, from the PEP --------------------------------------------------------------------------------


def pep_or_404(request, pep_id):
    return get_object_or_404(pep_page(request.user), pk=pep_id)


def _funding_request(pep, request_id) -> FundingRequest:
    return get_object_or_404(pep.pupil_premium_requests.select_related("target", "requested_by"), pk=request_id)


def _panel_url(pep) -> str:
    return card_url(pep, "pupil-premium")  # the PP+ panel of the whole PEP, where requests are followed


@login_required
def request_add(request, pep_id):
    pep = pep_or_404(request, pep_id)
    if not rules.can_request(request.user, pep):
        raise PermissionDenied
    funding_settings = FundingSettings.for_authority_id(pep.child.local_authority_id)
    bands = funding_settings.request_mode == RequestMode.BANDS
    taken = FundingRequest.objects.filter(pep=pep).exclude(status=RequestStatus.DECLINED).values("target_id")
    targets = list(pep.targets.exclude(pk__in=taken))
    uncosted = [] if bands else [t for t in targets if not t.pupil_premium_cost]
    targets = [t for t in targets if t not in uncosted]
    form = RequestForm(request.POST or None, targets=targets, funding_settings=funding_settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_funding(
                request.user, pep, form.cleaned_data["target"], amount=form.cleaned_data.get("amount")
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, "PP+ has been requested")
            return redirect(_panel_url(pep))
    return render(
        request,
        "funding/request.html",
        {
            "pep": pep,
            "form": form,
            "targets": targets,
            "uncosted": uncosted,
            "bands": bands,
            "ledger": ledger_of(pep.child_id, financial_year_of(timezone.localdate())),
            "cancel_url": _panel_url(pep),
        },
    )


@login_required
def approve(request, pep_id, request_id):
    pep = pep_or_404(request, pep_id)
    funding_request = _funding_request(pep, request_id)
    if not rules.can_decide(request.user, pep) or funding_request.status != RequestStatus.REQUESTED:
        raise PermissionDenied
    form = DecisionForm(request.POST or None, funding_request=funding_request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move(
                funding_request,
                data["decision"],
                actor=request.user,
                amount=data.get("amount"),
                reason=data["reason"],
                override_reason=data["override_reason"],
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"The PP+ request has been {RequestStatus(data['decision']).label.lower()}")
            return redirect(_panel_url(pep))
    return render(
        request,
        "funding/approve.html",
        {
            "pep": pep,
            "form": form,
            "funding_request": funding_request,
            "ledger": ledger_of(pep.child_id, funding_request.financial_year),
            "cancel_url": _panel_url(pep),
        },
    )


@login_required
def pay(request, pep_id, request_id):
    pep = pep_or_404(request, pep_id)
    funding_request = _funding_request(pep, request_id)
    if not rules.can_decide(request.user, pep) or funding_request.status not in PAYABLE_STATUSES:
        raise PermissionDenied
    funding_settings = FundingSettings.for_authority_id(pep.child.local_authority_id)
    held = is_held(funding_request, funding_settings, qa_passed(pep))
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move(
                funding_request, RequestStatus.PAID, actor=request.user, reference=form.cleaned_data["reference"]
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"The payment of £{funding_request.approved_amount:,.2f} has been recorded")
            return redirect(_panel_url(pep))
    return render(
        request,
        "funding/pay.html",
        {"pep": pep, "form": form, "funding_request": funding_request, "held": held, "cancel_url": _panel_url(pep)},
    )
