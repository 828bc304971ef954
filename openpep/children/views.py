from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from openpep.audit.services import snapshot
from openpep.people.models import LocalAuthority
from openpep.people.queries import roles_of
from openpep.plans import services as plan_services
from openpep.plans.models import Pep
from openpep.plans.queries import kept_copies_for, peps_for
from openpep.plans.timeline import timeline_for

from . import rules, services
from .forms import ChildDetailsForm, NewChildForm, PlacementForm, ReallocateForm, SchoolChangeForm
from .queries import caseload_for, children_for


def _child(request, child_id):
    return get_object_or_404(
        children_for(request.user)
        .select_related("local_authority", "social_worker", "iro")
        .prefetch_related("enrolments__school", "placements", "social_worker__memberships"),
        pk=child_id,
    )


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def child_list(request):
    # Each child's PEPs newest first, in one query, for the PEP column.
    peps = Prefetch("peps", queryset=Pep.objects.current_versions().order_by("-created_at", "-pk"))
    children = list(caseload_for(request.user).prefetch_related(peps))
    return render(
        request,
        "children/list.html",
        {
            "children": children,
            "can_add": rules.can_add_child(request.user),
            "former_copies": kept_copies_for(request.user).exclude(child__in=[c.pk for c in children]),
        },
    )


@login_required
def child_add(request):
    if not rules.can_add_child(request.user):
        raise PermissionDenied
    roles = roles_of(request.user)
    authority_ids = roles.vs_authority_ids or {
        m.team.local_authority_id
        for m in request.user.memberships.active().select_related("team")
        if m.team_id
    }
    if not authority_ids:
        raise Http404
    authority = LocalAuthority.objects.get(pk=min(authority_ids))
    form = NewChildForm(request.POST or None, authority=authority, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = form.save(commit=False)
        child.social_worker = data["social_worker"]
        services.add_child(
            request.user,
            child,
            school=data["school"],
            school_start=None,
            legal_status=data["legal_status"],
            placement_type=data["placement_type"],
            carer_name=data["carer_name"],
        )
        if not children_for(request.user).filter(pk=child.pk).exists():
            # Allocated to another team's social worker: their record, which this person does not see.
            messages.success(request, f"{child.full_name} has been added and allocated to {child.social_worker}")
            return redirect("children:list")
        messages.success(request, f"{child.full_name} has been added")
        return redirect("children:detail", child.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Add a child who has come into care",
            "caption": authority.name,
            "submit": "Add child",
            "cancel": "children:list",
        },
    )


@login_required
def child_detail(request, child_id):
    child = _child(request, child_id)
    peps = (
        peps_for(request.user)
        .filter(child=child)
        .select_related("school", "corrected_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "peps": peps,
            "enrolments": child.enrolments.all(),
            "placements": child.placements.all(),
            "can_edit": rules.can_edit_child(request.user, child),
            "can_see_care": rules.can_see_care_details(request.user, child),
            "can_reallocate": rules.can_reallocate(request.user, child),
            "can_start_pep": rules.is_allocated_social_worker(request.user, child)
            and not any(p.status != "signed_off" and p.corrects_id is None for p in peps),
        },
    )


@login_required
def child_timeline(request, child_id):
    child = _child(request, child_id)
    return render(request, "children/timeline.html", {"child": child, "timeline": timeline_for(request.user, child)})


@login_required
def child_edit(request, child_id):
    child = _child(request, child_id)
    if not rules.can_edit_child(request.user, child):
        raise PermissionDenied
    before = snapshot(child)
    form = ChildDetailsForm(request.POST or None, instance=child, authority=child.local_authority)
    if request.method == "POST" and form.is_valid():
        services.update_child(request.user, form.instance, before)
        messages.success(request, "The child's details have been saved")
        return redirect("children:detail", child.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Edit details",
            "caption": child.full_name,
            "submit": "Save",
            "cancel_url": child_url(child),
        },
    )


def child_url(child):
    from django.urls import reverse

    return reverse("children:detail", args=[child.pk])


@login_required
def child_school(request, child_id):
    child = _child(request, child_id)
    if not rules.can_edit_child(request.user, child):
        raise PermissionDenied
    form = SchoolChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.move_school(
                request.user, child, form.cleaned_data["school"], form.cleaned_data["starts_on"]
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"The change of school to {form.cleaned_data['school'].name} has been recorded"
            )
            return redirect("children:detail", child.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Record a change of school",
            "caption": child.full_name,
            "submit": "Record change",
            "cancel_url": child_url(child),
            "lead": "The new school's Designated Teacher will see the child's previous PEPs in full. "
            "The old school keeps its signed-off copies and sees nothing new.",
        },
    )


@login_required
def child_placement(request, child_id):
    child = _child(request, child_id)
    if not rules.can_edit_child(request.user, child):
        raise PermissionDenied
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_placement(request.user, child, form.instance)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The change of placement has been recorded")
            return redirect("children:detail", child.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Record a change of placement",
            "caption": child.full_name,
            "submit": "Record change",
            "cancel_url": child_url(child),
        },
    )


@login_required
def child_reallocate(request, child_id):
    child = _child(request, child_id)
    if not rules.can_reallocate(request.user, child):
        raise PermissionDenied
    form = ReallocateForm(
        request.POST or None,
        authority=child.local_authority,
        initial={"social_worker": child.social_worker_id},
    )
    if request.method == "POST" and form.is_valid():
        services.reallocate(request.user, child, form.cleaned_data["social_worker"])
        messages.success(
            request, f"{child.full_name} is now allocated to {form.cleaned_data['social_worker']}"
        )
        if children_for(request.user).filter(pk=child.pk).exists():
            return redirect("children:detail", child.pk)
        return redirect("children:list")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Change the allocated social worker",
            "caption": child.full_name,
            "submit": "Save",
            "cancel_url": child_url(child),
        },
    )
