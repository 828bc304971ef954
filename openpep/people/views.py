from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpep.views import act, administered_authority_or_404

from . import rules, services, sign_in_elsewhere
from .enums import AccessRequestStatus
from .forms import AccessRequestForm, RejectForm, StaffForm, TeamForm
from .models import Team
from .queries import access_requests_for, staff_for
from .services import add_staff, add_team


def _base_url(request) -> str:
    return request.build_absolute_uri("/")[:-1]


@login_required
def home(request):
    return redirect("children:list")


@login_required
def staff_list(request):
    authority = administered_authority_or_404(request.user)
    staff = staff_for(request.user).order_by("full_name")
    return render(request, "people/staff_list.html", {"authority": authority, "staff": staff})


@login_required
def staff_add(request):
    authority = administered_authority_or_404(request.user)
    form = StaffForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        user = add_staff(request.user, authority, base_url=request.build_absolute_uri("/")[:-1], **form.cleaned_data)
        if sign_in_elsewhere.account_for(user.email):
            messages.success(request, f"{user.full_name} has been added and told to sign in with their council account")
        else:
            messages.success(request, f"{user.full_name} has been added and sent a link to set their password")
        return redirect("people:staff")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": "Add a member of staff",
            "caption": authority.virtual_school_name,
            "submit": "Add",
        },
    )


@login_required
def teams(request):
    authority = administered_authority_or_404(request.user)
    form = TeamForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        add_team(request.user, form.instance)
        messages.success(request, f"The team {form.instance.name} has been added")
        return redirect("people:teams")
    team_list = Team.objects.filter(local_authority=authority).order_by("name")
    return render(request, "people/teams.html", {"authority": authority, "teams": team_list, "form": form})


@login_required
def staff_detail(request, user_id):
    authority = administered_authority_or_404(request.user)
    person = get_object_or_404(staff_for(request.user), pk=user_id)
    elsewhere = rules.councils_blocking_deactivation(request.user, person) if person.is_active else []
    return render(
        request,
        "people/staff_detail.html",
        {
            "authority": authority,
            "person": person,
            "can_deactivate": rules.can_deactivate(request.user, person),
            "refused": services.deactivation_refused(person, elsewhere) if elsewhere else "",
        },
    )


@login_required
@require_POST
def staff_deactivate(request, user_id):
    administered_authority_or_404(request.user)
    person = get_object_or_404(staff_for(request.user), pk=user_id)
    act(
        request,
        lambda: services.deactivate(request.user, person),
        f"{person.full_name} has been deactivated: their access has ended",
    )
    return redirect("people:staff_detail", person.pk)


# Access requests: the public pages, then the Virtual School admin's queue.


def access_request(request):
    """Public: a teacher asks for an account (no sign-in)."""
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.request_access(
            full_name=data["full_name"],
            email=data["email"],
            job_title=data["job_title"],
            school=data["school"],
            role=data["role"],
            base_url=_base_url(request),
        )
        return render(request, "people/access_sent.html", {"email": data["email"]})
    return render(request, "people/access_request.html", {"form": form})


def access_verify(request, token):
    """Public: the link from the e-mail. Confirming is a POST, so a link checker that opens
    the link confirms nothing."""
    found = services.request_from_token(token)
    if found is None:
        return render(request, "people/access_verify.html", {"valid": False})
    if request.method == "POST":
        services.verify_access_request(found, base_url=_base_url(request))
        return render(request, "people/access_verified.html", {"access_request": found})
    return render(request, "people/access_verify.html", {"valid": True, "access_request": found})


@login_required
def access_requests(request):
    authority = administered_authority_or_404(request.user)
    found = access_requests_for(request.user)
    waiting = list(found.filter(status=AccessRequestStatus.PENDING).order_by("verified_at", "pk"))
    decided = list(
        found.filter(status__in=[AccessRequestStatus.APPROVED, AccessRequestStatus.REJECTED]).order_by(
            "-decided_at", "-pk"
        )[:50]
    )
    return render(
        request, "people/access_requests.html", {"authority": authority, "waiting": waiting, "decided": decided}
    )


@login_required
def access_request_decide(request, access_request_id):
    administered_authority_or_404(request.user)
    found = get_object_or_404(
        access_requests_for(request.user).exclude(status=AccessRequestStatus.UNVERIFIED), pk=access_request_id
    )
    reject_form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    error = None
    if request.method == "POST" and found.status == AccessRequestStatus.PENDING:
        try:
            if request.POST.get("decision") == "approve":
                user = services.approve_access_request(request.user, found, base_url=_base_url(request))
                messages.success(request, f"{user.full_name} now has access and has been sent a link to set a password")
                return redirect("people:access_requests")
            if request.POST.get("decision") == "reject" and reject_form.is_valid():
                services.reject_access_request(request.user, found, reason=reject_form.cleaned_data["reason"])
                messages.success(request, f"{found.full_name}'s request has been rejected and they have been told why")
                return redirect("people:access_requests")
        except ValidationError as problem:
            error = " ".join(problem.messages)
    return render(
        request,
        "people/access_request_decide.html",
        {"access_request": found, "form": reject_form, "error": error},
    )
