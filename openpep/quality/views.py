"""Quality assurance: a QA round of a submitted PEP, for its Virtual School; the rubric
and the checks' settings, for a Virtual School admin (everyone else: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from openpep.plans.views import pep_or_404, pep_url
from openpep.views import administered_authority_or_404, council_settings_page, form_page, saved

from . import rules, services
from .checks import DESCRIPTIONS
from .enums import CheckId
from .forms import CriterionForm, ReviewForm, SettingsForm
from .models import Criterion, QualitySettings
from .queries import rounds_of


@login_required
def review(request, pep_id):
    pep = pep_or_404(request, pep_id)
    if not rules.can_review(request.user, pep):
        raise PermissionDenied
    authority = pep.child.local_authority
    quality = QualitySettings.for_authority_id(authority.pk)
    criteria = Criterion.active_for(authority)
    form = ReviewForm(request.POST or None, criteria=criteria, ratings=quality.ratings)
    if done := saved(
        request,
        form,
        lambda: services.record_review(request.user, pep, form.answers(), feedback=form.cleaned_data["feedback"]),
        lambda done: f"Quality assurance round recorded: {done.get_overall_display()} overall",
        pep_url(pep, "quality"),
    ):
        return done
    return render(
        request,
        "quality/review.html",
        {"pep": pep, "form": form, "latest": rounds_of(pep).first(), "cancel_url": pep_url(pep, "quality")},
    )


@login_required
def rubric(request):
    authority = administered_authority_or_404(request.user)
    quality = QualitySettings.for_authority_id(authority.pk)
    checks = [
        {"title": check.label, "description": DESCRIPTIONS[check], "mode": quality.mode(check).label.split(":")[0]}
        for check in CheckId
    ]
    return render(
        request,
        "quality/rubric.html",
        {
            "authority": authority,
            "quality": quality,
            "checks": checks,
            "criteria": list(Criterion.objects.filter(local_authority=authority)),
        },
    )


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        QualitySettings,
        SettingsForm,
        services.save_settings,
        saved="The quality settings have been saved",
        done="quality:rubric",
        title="Checks before submission and ratings",
        lead="A blocking check stops the PEP moving on until it is fixed; a warning is shown to the people "
        "writing it and when they submit. Whatever is set here, the workflow itself needs Section B, a "
        "rating of every previous target and the next meeting date before the school returns its section.",
    )


@login_required
def criterion_add(request):
    authority = administered_authority_or_404(request.user)
    form = CriterionForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        criterion = services.save_criterion(request.user, form.instance)
        messages.success(request, f"‘{criterion.title}’ has been added to the rubric")
        return redirect("quality:rubric")
    return form_page(request, form, authority, cancel="quality:rubric", title="Add a quality criterion", submit="Add")


@login_required
def criterion_edit(request, criterion_id):
    authority = administered_authority_or_404(request.user)
    criterion = get_object_or_404(Criterion, pk=criterion_id, local_authority=authority)
    form = CriterionForm(request.POST or None, instance=criterion, authority=authority)
    if request.method == "POST" and form.is_valid():
        services.save_criterion(request.user, form.instance)
        messages.success(request, f"‘{criterion.title}’ has been saved")
        return redirect("quality:rubric")
    return form_page(
        request,
        form,
        authority,
        cancel="quality:rubric",
        title="Change a quality criterion",
        lead="Rounds already recorded keep the title the criterion had when it was rated.",
    )
