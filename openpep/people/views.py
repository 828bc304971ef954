from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .forms import StaffForm, TeamForm
from .models import LocalAuthority, Team
from .queries import administered_authority, staff_for
from .services import add_staff, add_team


def _administered_authority(user) -> LocalAuthority:
    """The Virtual School the admin runs; anyone else gets a 404."""
    authority = administered_authority(user)
    if authority is None:
        raise Http404
    return authority


@login_required
def home(request):
    return redirect("children:list")


@login_required
def staff_list(request):
    authority = _administered_authority(request.user)
    staff = staff_for(request.user).order_by("full_name")
    return render(request, "people/staff_list.html", {"authority": authority, "staff": staff})


@login_required
def staff_add(request):
    authority = _administered_authority(request.user)
    form = StaffForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        user = add_staff(
            request.user, authority, base_url=request.build_absolute_uri("/")[:-1], **form.cleaned_data
        )
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
    authority = _administered_authority(request.user)
    form = TeamForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        add_team(request.user, form.instance)
        messages.success(request, f"The team {form.instance.name} has been added")
        return redirect("people:teams")
    team_list = Team.objects.filter(local_authority=authority).order_by("name")
    return render(request, "people/teams.html", {"authority": authority, "teams": team_list, "form": form})
