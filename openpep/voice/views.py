"""The child's pages (public: opened by a code, never by signing in) and the adult's (who records
Section B: make and withdraw a code, read what the child sent, take it into Section B).

The child's pages know the child only by a value signed for them in the session
(``child_session``: the invitation and a piece of its code's hash, for ``VOICE_SESSION_SECONDS``),
checked on every request against an invitation still open. It is not a sign-in: it grants no
staff page, and signing in or out ends it (the session is flushed or cycled)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from openpep.audit.services import viewed
from openpep.client_ip import client_ip
from openpep.forms import form_error
from openpep.plans.services import record_view
from openpep.plans.views import pep_or_404
from openpep.views import administered_authority_or_404, council_settings_page

from . import child_session, rules, services
from .enums import INTO_SECTION_B, Purpose, Variant
from .forms import (
    LEAD,
    TEXT_ANSWERS,
    WORDING,
    AnswersForm,
    CodeForm,
    InvitationForm,
    TakeInForm,
    VoiceSettingsForm,
    face,
)
from .models import Contribution, Invitation, VoiceSettings
from .queries import invitations_of, sent_contributions, suggested_variant

MADE_SESSION_KEY = "voice_made"  # a code just made, for the page after the redirect to show once


# The child's pages ------------------------------------------------------------------------------


def _end_child_session(request) -> None:
    child_session.end(request, Purpose.HAVE_YOUR_SAY)


def child_page(view):
    """A page of the child's: only with a code opened in this browser; else back to the code page."""

    @never_cache
    def wrapped(request, *args, **kwargs):
        invitation = child_session.invitation_of(request, Purpose.HAVE_YOUR_SAY)
        if invitation is None:
            messages.info(request, "Type your code to have your say.")
            return redirect("voice:start")
        return view(request, invitation, *args, **kwargs)

    wrapped.__name__ = wrapped.__qualname__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@never_cache
def start(request):
    """Type your code. Public; a wrong, expired, withdrawn or used code says so plainly."""
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.open_with_code(
                form.cleaned_data["code"], client_ip(request), purpose=Purpose.HAVE_YOUR_SAY
            )
        except services.TooManyGuesses:
            minutes = settings.VOICE_CODE_MINUTES
            return render(request, "voice/too_many.html", {"minutes": minutes}, status=429)
        except services.CodeRefused as refused:
            form.add_error("code", str(refused))
        else:
            if request.user.is_authenticated:
                # The child is at a device someone is signed in on: this browser is signed out (only
                # this one: their other sessions go on), so no staff page is a click away.
                request.session.flush()
                request.user = AnonymousUser()
            child_session.start(request, invitation)
            return redirect("voice:answers")
    return render(request, "voice/start.html", {"form": form}, status=status)


@child_page
def answers(request, invitation):
    """The questions, worded for the child's age, with their answers so far."""
    contribution = Contribution.objects.filter(invitation=invitation).first()
    variant = Variant(invitation.variant)
    form = AnswersForm(
        request.POST or None,
        request.FILES or None,
        variant=variant,
        initial=AnswersForm.initial_from(contribution),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "picture"}
        try:
            services.save_answers(invitation.pk, data, form.cleaned_data.get("picture"))
        except ValidationError as error:
            form_error(form, error)
        except services.CodeRefused as refused:
            _end_child_session(request)
            messages.info(request, str(refused))
            return redirect("voice:start")
        else:
            return redirect("voice:check")
    return render(
        request,
        "voice/answers.html",
        {
            "form": form,
            "first_name": invitation.child.first_name,
            "lead": LEAD[variant],
            "has_picture": bool(contribution and contribution.picture),
        },
    )


def _answer_rows(contribution: Contribution, variant: Variant) -> list[tuple[str, str, object]]:
    """(question, answer, picture) for each answer, as the child's pages word it."""
    wording = WORDING[variant]
    rows = []
    for name in ("school", "learning", *TEXT_ANSWERS, "take_part"):
        value = getattr(contribution, name)
        if name in ("school", "learning"):
            shown = face(value) if value else ""
        elif name == "take_part":
            shown = contribution.get_take_part_display() if value else ""
        else:
            shown = value
        rows.append((name, wording[name][0], shown))
    return rows


@child_page
def check(request, invitation):
    """Check your answers, then send them."""
    contribution = Contribution.objects.filter(invitation=invitation).first()
    if contribution is None:
        return redirect("voice:answers")
    if request.method == "POST":
        try:
            services.submit(invitation.pk)
        except services.CodeRefused as refused:
            _end_child_session(request)
            messages.info(request, str(refused))
            return redirect("voice:start")
        _end_child_session(request)
        request.session["voice_sent"] = invitation.child.first_name
        return redirect("voice:sent")
    return render(
        request,
        "voice/check.html",
        {
            "first_name": invitation.child.first_name,
            "rows": _answer_rows(contribution, Variant(invitation.variant)),
            "has_picture": bool(contribution.picture),
        },
    )


@never_cache
def sent(request):
    """Thank you. Public: shows the first name only to the browser that has just sent."""
    first_name = request.session.pop("voice_sent", "")
    return render(request, "voice/sent.html", {"first_name": first_name})


# The adult's pages ------------------------------------------------------------------------------


@login_required
def invitations(request, pep_id):
    """The PEP's Have your say codes: make one (shown once), see which are open, withdraw one."""
    pep = pep_or_404(request, pep_id)
    if not rules.can_invite(request.user, pep):
        raise PermissionDenied
    form = InvitationForm(request.POST or None, initial={"variant": suggested_variant(pep)})
    if request.method == "POST" and form.is_valid():
        try:
            invitation, code = services.make_invitation(
                request.user, pep, variant=form.cleaned_data["variant"], email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            # Shown once, on the page the redirect leads to, then gone from the session.
            request.session[MADE_SESSION_KEY] = {"invitation": invitation.pk, "code": services.shown(code)}
            return redirect("voice:invitations", pep.pk)
    made = None
    if request.method != "POST":
        shown_once = request.session.pop(MADE_SESSION_KEY, None)
        if shown_once:
            found = Invitation.objects.filter(pk=shown_once.get("invitation"), pep=pep).first()
            made = {"invitation": found, "code": shown_once.get("code")} if found else None
        record_view(request.user, pep, page="the PEP's Have your say codes")
    return render(
        request,
        "voice/invitations.html",
        {
            "pep": pep,
            "child": pep.child,
            "form": form,
            "made": made,
            "invitations": invitations_of(pep),
            "contributions": sent_contributions(pep),
            "start_url": request.build_absolute_uri(reverse("voice:start")),
        },
    )


@login_required
@require_POST
def withdraw(request, pep_id, code_id):
    pep = pep_or_404(request, pep_id)
    invitation = get_object_or_404(
        Invitation.objects.select_related("child", "pep"), pk=code_id, pep=pep, purpose=Purpose.HAVE_YOUR_SAY
    )
    if not rules.can_invite(request.user, pep):
        raise PermissionDenied
    try:
        services.withdraw(request.user, invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "The code has been withdrawn. It will no longer work.")
    return redirect("voice:invitations", pep.pk)


def _contribution_or_404(request, pep_id, contribution_id) -> tuple:
    pep = pep_or_404(request, pep_id)
    if not rules.can_read_contributions(request.user, pep):
        raise Http404
    contribution = get_object_or_404(
        Contribution.objects.select_related("child", "taken_by", "invitation"),
        pk=contribution_id,
        pep=pep,
        submitted_at__isnull=False,
    )
    return pep, contribution


@login_required
def contribution(request, pep_id, contribution_id):
    """What the child sent, word for word; for whoever records Section B, the form to take it in."""
    pep, found = _contribution_or_404(request, pep_id, contribution_id)
    may_take = rules.can_invite(request.user, pep) and found.taken_at is None
    if request.method == "POST" and not may_take:
        return HttpResponseNotAllowed(["GET"])  # for them the page only reads
    form = TakeInForm(request.POST or None, contribution=found) if may_take else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.take_in(request.user, found, form.cleaned_data["answers"])
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(
                request, f"{found.child.first_name}'s words are now part of Section B, in their own words."
            )
            return redirect(reverse("plans:whole", args=[pep.pk]) + "#own-words")
    if request.method != "POST":
        viewed(
            request.user,
            found,
            child_id=pep.child_id,
            pep_id=pep.pk,
            summary=f"Viewed {found.child.first_name}'s own words",
        )
    return render(
        request,
        "voice/contribution.html",
        {
            "pep": pep,
            "child": pep.child,
            "contribution": found,
            "rows": _answer_rows(found, Variant(found.invitation.variant)),
            "form": form,
            "into_b": INTO_SECTION_B,
        },
    )


@login_required
def picture(request, pep_id, contribution_id):
    """The child's picture, for whoever reads Section B: served from the private storage, audited.
    The ids are resolved first, so someone out of scope gets a 404 whatever the method."""
    pep, found = _contribution_or_404(request, pep_id, contribution_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if not found.picture:
        raise Http404
    viewed(
        request.user, found, child_id=pep.child_id, pep_id=pep.pk, summary=f"Viewed {found.child.first_name}'s picture"
    )
    response = FileResponse(storages["documents"].open(found.picture, "rb"), content_type=found.picture_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "no-store"
    return response


# The Virtual School Head's settings -------------------------------------------------------------


@login_required
def settings_page(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "voice/settings.html",
        {"authority": authority, "voice_settings": VoiceSettings.for_authority_id(authority.pk)},
    )


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        VoiceSettings,
        VoiceSettingsForm,
        services.save_settings,
        saved="How long the children's codes work has been saved",
        done="voice:settings",
        title="The child's voice",
        lead="Choose how many days a Have your say or My plan code works after it is made. "
        "Codes made already keep the date they were given.",
    )
