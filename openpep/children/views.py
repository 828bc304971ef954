from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpep.audit.services import snapshot
from openpep.forms import form_error
from openpep.people.models import LocalAuthority, School
from openpep.people.queries import roles_of
from openpep.views import saved

from . import rules, services
from .enums import DELEGABLE_SECTIONS
from .forms import ChildDetailsForm, DelegationForm, NewChildForm, PlacementForm, ReallocateForm, SchoolChangeForm
from .queries import caseload_for, children_for, current_enrolments, delegations_of

CHILDREN_PER_PAGE = 100


def _child(request, child_id):
    return get_object_or_404(
        children_for(request.user)
        .select_related("local_authority", "social_worker", "iro")
        .prefetch_related("enrolments__school", "placements", "social_worker__memberships"),
        pk=child_id,
    )


@login_required
def child_list(request):
    # A page at a time: a Virtual School's whole cohort (2,000 children) on one page took seconds
    # to render (make bench), and is no easier to read.
    page = Paginator(caseload_for(request.user), CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    # Each child's latest PEP, for the PEP column: the template's ``with_latest_pep`` (plans' tags).
    children = list(page.object_list)
    return render(
        request,
        "children/list.html",
        {
            "children": children,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "can_add": rules.can_add_child(request.user),
        },
    )


@login_required
def child_add(request):
    if not rules.can_add_child(request.user):
        raise PermissionDenied
    roles = roles_of(request.user)
    authority_ids = roles.vs_authority_ids or {
        m.team.local_authority_id for m in request.user.memberships.active().select_related("team") if m.team_id
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
    services.record_view(request.user, child, page="the child's record")
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "enrolments": child.enrolments.all(),
            "placements": child.placements.all(),
            "can_edit": rules.can_edit_child(request.user, child),
            "can_see_care": rules.can_see_care_details(request.user, child),
            "can_see_timeline": rules.can_see_timeline(request.user, child),
            "can_reallocate": rules.can_reallocate(request.user, child),
        },
    )


@login_required
def child_timeline(request, child_id):
    child = _child(request, child_id)
    if not rules.can_see_timeline(request.user, child):
        raise Http404
    services.record_view(request.user, child, page="the education timeline")
    # The timeline itself is plans' (``education_timeline``, a tag the template loads).
    return render(request, "children/timeline.html", {"child": child})


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
    if done := saved(
        request,
        form,
        lambda: services.change_school(
            request.user, child, form.cleaned_data["school"], form.cleaned_data["starts_on"]
        ),
        lambda _: f"The change of school to {form.cleaned_data['school'].name} has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
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
    if done := saved(
        request,
        form,
        lambda: services.change_placement(request.user, child, form.instance),
        "The change of placement has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
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
        messages.success(request, f"{child.full_name} is now allocated to {form.cleaned_data['social_worker']}")
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


def _dt_school(request) -> School:
    """The school a Designated Teacher delegates for: theirs, or the one chosen with ``?school=``
    among theirs when they are the DT of several. Anyone else: 404."""
    school_ids = roles_of(request.user).school_ids
    if not school_ids:
        raise Http404
    chosen = request.GET.get("school", "")
    school_id = int(chosen) if chosen.isascii() and chosen.isdigit() and int(chosen) in school_ids else min(school_ids)
    return School.objects.get(pk=school_id)


@login_required
def delegations(request):
    if not rules.can_delegate(request.user):
        raise Http404
    found = list(delegations_of(request.user).order_by("ended_at", "-ends_on", "-pk"))
    today = timezone.localdate()
    labels = dict(DELEGABLE_SECTIONS)
    for delegation in found:
        delegation.section_labels = [labels.get(value, value) for value in delegation.sections]
        if delegation.ended_at:
            delegation.state = ("grey", f"Ended {timezone.localtime(delegation.ended_at):%-d %B %Y}")
        elif delegation.ends_on < today:
            delegation.state = ("grey", f"Ended {delegation.ends_on:%-d %B %Y}")
        elif not delegation.active:
            delegation.state = ("grey", "Ended: the Designated Teacher or the delegate no longer works there")
        else:
            delegation.state = ("green", f"Active until {delegation.ends_on:%-d %B %Y}")
        delegation.can_end = rules.can_end_delegation(request.user, delegation)
    schools = School.objects.filter(pk__in=roles_of(request.user).school_ids).order_by("name")
    return render(request, "children/delegations.html", {"delegations": found, "schools": schools})


@login_required
def delegation_add(request):
    if not rules.can_delegate(request.user):
        raise Http404
    school = _dt_school(request)
    on_roll = current_enrolments().filter(school=school).values("child_id")
    form = DelegationForm(
        request.POST or None,
        staff=services.staff_of(school),
        children=children_for(request.user).filter(pk__in=on_roll).order_by("last_name", "first_name"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.delegate(
                request.user,
                school,
                to=data["delegate"],
                children=list(data["children"]),
                sections=data["sections"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, f"{data['delegate'].full_name} can now see the children you chose")
            return redirect("children:delegations")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Share children with a colleague",
            "caption": school.name,
            "submit": "Share",
            "cancel": "children:delegations",
            "lead": "A colleague of your school (a SENCO, a head of year) sees only the children you choose, "
            "and edits only the sections you choose, until the end date — or sooner: when a child leaves the "
            "school, when you end the delegation, or when your own access as Designated Teacher ends.",
        },
    )


@login_required
@require_POST
def delegation_end(request, delegation_id):
    delegation = get_object_or_404(delegations_of(request.user), pk=delegation_id)
    if not rules.can_end_delegation(request.user, delegation):
        messages.info(request, "This delegation had already ended")
        return redirect("children:delegations")
    services.end_delegation(request.user, delegation)
    messages.success(request, f"{delegation.delegate.full_name} no longer sees the children you shared")
    return redirect("children:delegations")
