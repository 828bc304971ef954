"""My plan's pages. The social worker's (a signed-off PEP of their child: share with the child or
the carer, see and withdraw the shares, download the PDF) and the child's or carer's (public:
opened by a code, never by signing in; the page shows the first name and the plan, nothing else
of the record). An unsigned PEP or one out of scope is a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from openpep.client_ip import client_ip
from openpep.documents.pdf import DocumentNotMade
from openpep.forms import form_error
from openpep.plans.services import record_view
from openpep.plans.views import pep_or_404
from openpep.voice import child_session
from openpep.voice import services as voice
from openpep.voice.enums import Audience, Purpose
from openpep.voice.models import Invitation

from . import rules, services
from .forms import CodeForm, ShareForm
from .queries import plan_of, plan_queryset, shares_of

MADE_SESSION_KEY = "my_plan_made"  # a code just made, for the page after the redirect to show once


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# The child's (or carer's) pages ----------------------------------------------------------------------


@never_cache
def start(request):
    """Type your code. Public; a wrong, expired or withdrawn code says so plainly."""
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = voice.open_with_code(form.cleaned_data["code"], client_ip(request), purpose=Purpose.MY_PLAN)
        except voice.TooManyGuesses:
            return render(request, "voice/too_many.html", {"minutes": settings.VOICE_CODE_MINUTES}, status=429)
        except voice.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            if request.user.is_authenticated:
                # As for Have your say: this browser is signed out first (only this one), so no
                # staff page is a click away from the child.
                request.session.flush()
                request.user = AnonymousUser()
            child_session.start(request, invitation)
            return redirect("myplan:plan")
    return render(request, "myplan/start.html", {"form": form})


def _opened_invitation(request) -> Invitation | None:
    return child_session.invitation_of(request, Purpose.MY_PLAN)


@never_cache
def plan(request):
    """The child's (or carer's) My plan. Each opening is audited."""
    invitation = _opened_invitation(request)
    if invitation is None:
        messages.info(request, "Type your code to see your plan.")
        return redirect("myplan:start")
    pep = get_object_or_404(plan_queryset(), pk=invitation.pep_id)
    if not rules.has_my_plan(pep):
        raise Http404
    services.opened(invitation)
    return render(
        request,
        "myplan/plan.html",
        {"plan": plan_of(pep), "for_carer": invitation.audience == Audience.CARER},
    )


@never_cache
def plan_pdf(request):
    invitation = _opened_invitation(request)
    if invitation is None:
        messages.info(request, "Type your code to see your plan.")
        return redirect("myplan:start")
    pep = get_object_or_404(plan_queryset(), pk=invitation.pep_id)
    if not rules.has_my_plan(pep):
        raise Http404
    try:
        content = services.pdf_for_child(invitation, pep)
    except DocumentNotMade:
        return render(request, "documents/not_made.html", status=500)
    return _pdf_response(content, services.filename(pep))


# The social worker's pages ---------------------------------------------------------------------------


def _signed_off_or_404(request, pep_id):
    pep = pep_or_404(request, pep_id)
    if not rules.has_my_plan(pep):
        raise Http404  # nothing agreed yet: there is no My plan
    return pep


@login_required
def share(request, pep_id):
    """My plan as the child sees it, who it is shared with, and sharing it (the code shown once)."""
    pep = _signed_off_or_404(request, pep_id)
    if not rules.can_share(request.user, pep):
        raise PermissionDenied
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, code = services.share(
                request.user, pep, audience=form.cleaned_data["audience"], email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            request.session[MADE_SESSION_KEY] = {"invitation": invitation.pk, "code": voice.shown(code)}
            return redirect("myplan:share", pep.pk)
    made = None
    if request.method != "POST":
        shown_once = request.session.pop(MADE_SESSION_KEY, None)
        if shown_once:
            found = shares_of(pep).filter(pk=shown_once.get("invitation")).first()
            made = {"invitation": found, "code": shown_once.get("code")} if found else None
        record_view(request.user, pep, page="the PEP's My plan")
    return render(
        request,
        "myplan/share.html",
        {
            "pep": pep,
            "child": pep.child,
            "form": form,
            "made": made,
            "shares": shares_of(pep),
            "plan": plan_of(plan_queryset().get(pk=pep.pk)),
            "start_url": request.build_absolute_uri(reverse("myplan:start")),
        },
    )


@login_required
def pdf(request, pep_id):
    """My plan as a PDF, for the social worker to print or give: audited. The ids are resolved first,
    so someone out of scope gets a 404 whatever the method."""
    pep = _signed_off_or_404(request, pep_id)
    if not rules.can_share(request.user, pep):
        raise PermissionDenied
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    try:
        content = services.pdf_for_staff(request.user, plan_queryset().get(pk=pep.pk))
    except DocumentNotMade:
        return render(request, "documents/not_made.html", status=500)
    return _pdf_response(content, services.filename(pep))


@login_required
@require_POST
def withdraw(request, pep_id, share_id):
    pep = _signed_off_or_404(request, pep_id)
    invitation = get_object_or_404(shares_of(pep).select_related("child", "pep"), pk=share_id)
    if not rules.can_share(request.user, pep):
        raise PermissionDenied
    try:
        services.withdraw(request.user, invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The share has been withdrawn. Its code no longer opens My plan.")
    return redirect("myplan:share", pep.pk)
