"""Early warnings' pages: the Virtual School admin's rules, and acknowledging or answering a
warning. A warning is fetched through ``warnings_for`` (not sent to the person: 404); the right
to act is the named rule (403); the services write and audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openpep.plans.rules import can_start_pep
from openpep.redirects import same_site_path
from openpep.views import administered_authority_or_404, council_settings_page

from . import rules, services
from .forms import AcknowledgeForm, RulesForm
from .models import WarningRules
from .queries import warnings_for


@login_required
def settings_page(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "warnings/settings.html",
        {
            "authority": authority,
            "rules": WarningRules.for_authority_id(authority.pk),
            "fields": WarningRules.FIELDS,
        },
    )


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        WarningRules,
        RulesForm,
        services.save_rules,
        saved="The early warning rules have been saved",
        done="warnings:settings",
        title="Early warnings",
        lead="Choose which early warnings are raised about your children, and when. Warnings are raised each day "
        "from the schools' attendance data, the children's schools and their PEPs.",
    )


def _back(request, warning) -> str:
    """Where the person came from (the task list or the child's page), if it is one of ours."""
    back = request.POST.get("next") or request.GET.get("next")
    return same_site_path(request, back, reverse("children:detail", args=[warning.child_id]))


@login_required
def acknowledge(request, warning_id):
    warning = get_object_or_404(warnings_for(request.user).select_related("child", "school"), pk=warning_id)
    if not rules.can_acknowledge(request.user, warning):
        raise PermissionDenied("This warning has been acknowledged already")
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge(request.user, warning, form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"The warning about {warning.child.full_name} has been acknowledged")
        return redirect(_back(request, warning))
    return render(
        request,
        "warnings/acknowledge.html",
        {
            "form": form,
            "warning": warning,
            "back": _back(request, warning),
            "can_start_interim": rules.can_start_interim(request.user, warning),
        },
    )


@login_required
@require_POST
def start_interim(request, warning_id):
    warning = get_object_or_404(warnings_for(request.user).select_related("child"), pk=warning_id)
    if not can_start_pep(request.user, warning.child):
        raise PermissionDenied("Only the allocated social worker can start a PEP")
    try:
        pep = services.start_interim(request.user, warning)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(_back(request, warning))
    messages.success(request, f"An interim PEP has been started for {warning.child.full_name}")
    return redirect("plans:detail", pep.pk)
