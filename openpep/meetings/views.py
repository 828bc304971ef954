from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpep.forms import form_error
from openpep.plans.enums import Occasion, Section
from openpep.plans.services import Conflict
from openpep.plans.views import card_url, keeps_drafts, pep_or_404, pep_url, require_section, save_section_form
from openpep.templatetags.govuk import describe
from openpep.views import act, saved

from . import rules, services
from .enums import Response
from .forms import AttendeeForm, InvitationForm, MeetingForm, ScheduleForm
from .models import Invitation, Meeting
from .queries import lesson_time_warning


def _meeting_pep(request, pep_id):
    """The PEP (through ``peps_for``) whose meeting ``request.user`` may see, else a 404."""
    pep = pep_or_404(request, pep_id)
    if not rules.can_see_meeting(request.user, pep):
        raise Http404
    return pep


def _require_scheduler(request, pep) -> None:
    if not rules.can_schedule(request.user, pep):
        raise PermissionDenied


@login_required
@keeps_drafts(Section.MEETING)
def meeting_edit(request, pep_id):
    pep = _meeting_pep(request, pep_id)
    require_section(request, pep, Section.MEETING)
    instance = getattr(pep, "meeting", None) or Meeting(pep=pep)
    form = MeetingForm(request.POST or None, instance=instance)
    return save_section_form(
        request,
        pep,
        form,
        Section.MEETING,
        title="PEP meeting record",
        anchor="meeting",
        lead="Start with the child's and the carer's voice. Share the pre-drafts and agree the plan together.",
        save=services.record_meeting,
    )


@login_required
def schedule(request, pep_id):
    """The social worker schedules the meeting, or changes its arrangements. After a save
    that puts the meeting in lesson time the page comes back with the warning."""
    pep = _meeting_pep(request, pep_id)
    _require_scheduler(request, pep)
    instance = getattr(pep, "meeting", None) or Meeting(pep=pep)
    # Read before the form is validated, which writes what was typed onto the instance.
    was_on = instance.scheduled and not instance.cancelled
    arranged = {name: getattr(instance, name) for name in Meeting.WHEN_AND_WHERE}
    warning = "" if request.method == "POST" else lesson_time_warning(pep, instance if instance.pk else None)
    form = ScheduleForm(request.POST or None, instance=instance, child=pep.child)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule(
                request.user, pep, form.save(commit=False), expected_version=form.cleaned_data.get("lock_version")
            )
        except Conflict as clash:
            conflict = clash.current
            form.adopt_version(conflict.lock_version)
            form.add_error(
                None,
                f"{conflict.updated_by} saved the meeting while you were editing. Your changes have not been "
                "saved: compare them with theirs below, then save again to keep yours.",
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            if not was_on:
                messages.success(request, "The meeting has been scheduled and the invitations sent by email")
            elif any(arranged[name] != getattr(meeting, name) for name in Meeting.WHEN_AND_WHERE):
                messages.success(request, "The meeting has been changed and everyone invited has been sent the update")
            else:
                messages.success(request, "The meeting's arrangements have been saved")
            if lesson_time_warning(pep, meeting):
                return redirect("meetings:schedule", pep.pk)
            return redirect(pep_url(pep, "meeting"))
    return render(
        request,
        "meetings/schedule.html",
        {
            "pep": pep,
            "form": form,
            "title": "Change the PEP meeting" if was_on else "Schedule the PEP meeting",
            "warning": warning,
            "scheduled": was_on,
            "initial_pep": pep.occasion == Occasion.INITIAL,
            "conflict": describe(conflict, list(form.Meta.fields)) if conflict is not None else None,
            "cancel_url": pep_url(pep, "meeting"),
        },
    )


@login_required
def invite(request, pep_id):
    pep = _meeting_pep(request, pep_id)
    _require_scheduler(request, pep)
    meeting = getattr(pep, "meeting", None)
    if meeting is None or not meeting.scheduled or meeting.cancelled:
        messages.error(request, "Schedule the meeting before inviting anyone")
        return redirect("meetings:schedule", pep.pk)
    form = InvitationForm(request.POST or None)
    if done := saved(
        request,
        form,
        lambda: services.invite(request.user, pep, form.save(commit=False)),
        lambda invitation: f"{invitation.name} has been invited and sent the invitation by email",
        card_url(pep, "meeting"),
    ):
        return done
    return render(
        request,
        "plans/section_form.html",
        {
            "pep": pep,
            "form": form,
            "title": "Invite someone to the meeting",
            "lead": "Invite the carer, the child and the parents as appropriate, and anyone else who should be there.",
            "cancel_url": card_url(pep, "meeting"),
        },
    )


def _invitation(pep, invitation_id) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("meeting"), pk=invitation_id, meeting__pep=pep)


@login_required
@require_POST
def uninvite(request, pep_id, invitation_id):
    pep = _meeting_pep(request, pep_id)
    _require_scheduler(request, pep)
    invitation = _invitation(pep, invitation_id)
    services.remove_invitation(request.user, pep, invitation)
    messages.success(request, f"The invitation of {invitation.name} has been withdrawn")
    return redirect(card_url(pep, "meeting"))


@login_required
@require_POST
def cancel(request, pep_id):
    pep = _meeting_pep(request, pep_id)
    _require_scheduler(request, pep)
    act(
        request,
        lambda: services.cancel(request.user, pep),
        "The meeting has been cancelled and everyone invited has been told by email",
    )
    return redirect(card_url(pep, "meeting"))


@login_required
def calendar_file(request, pep_id):
    """ "Add to calendar": the scheduled meeting as an .ics file, for whoever sees the meeting."""
    pep = _meeting_pep(request, pep_id)
    meeting = getattr(pep, "meeting", None)
    if meeting is None or not meeting.scheduled:
        raise Http404
    method, content = services.calendar_file(request.user, pep)
    response = HttpResponse(content, content_type=f"text/calendar; charset=utf-8; method={method}")
    response["Content-Disposition"] = f'attachment; filename="pep-meeting-{pep.pk}.ics"'
    return response


@login_required
@require_POST
def resend(request, pep_id, invitation_id=None):
    """The social worker e-mails the invitation again: to one invitee, or to everyone."""
    pep = _meeting_pep(request, pep_id)
    _require_scheduler(request, pep)
    invitation = _invitation(pep, invitation_id) if invitation_id is not None else None
    act(
        request,
        lambda: services.resend(request.user, pep, invitation),
        lambda sent: (
            f"The invitation has been sent again to {invitation.name}"
            if invitation is not None
            else f"The invitation has been sent again to everyone invited ({len(sent)})"
        ),
    )
    return redirect(card_url(pep, "meeting"))


def _answer(request, pep, invitation, *, yours: bool):
    whose = "Your answer" if yours else f"The answer of {invitation.name}"
    act(
        request,
        lambda: services.answer(request.user, pep, invitation, request.POST.get("response", "")),
        lambda _: f"{whose} has been saved: {Response(request.POST['response']).label.lower()}",
    )
    return redirect(card_url(pep, "meeting"))


@login_required
@require_POST
def respond(request, pep_id, invitation_id):
    """An invitee answers their own invitation."""
    pep = _meeting_pep(request, pep_id)
    invitation = _invitation(pep, invitation_id)
    if not rules.can_respond(request.user, pep, invitation):
        raise PermissionDenied
    return _answer(request, pep, invitation, yours=True)


@login_required
@require_POST
def record_answer(request, pep_id, invitation_id):
    """The social worker writes down the answer of an invitee with no account."""
    pep = _meeting_pep(request, pep_id)
    invitation = _invitation(pep, invitation_id)
    if not rules.can_record_answer(request.user, pep, invitation):
        raise PermissionDenied
    return _answer(request, pep, invitation, yours=False)


@login_required
def attendee_add(request, pep_id):
    pep = _meeting_pep(request, pep_id)
    require_section(request, pep, Section.MEETING)
    if not hasattr(pep, "meeting"):
        messages.error(request, "Record the meeting's date and venue first")
        return redirect("meetings:edit", pep.pk)
    form = AttendeeForm(request.POST or None, meeting=pep.meeting)
    if done := saved(
        request,
        form,
        lambda: services.add_attendee(request.user, pep, form.save(commit=False)),
        lambda _: f"{form.instance.name} added",
        card_url(pep, "meeting"),
    ):
        return done
    return render(
        request,
        "plans/section_form.html",
        {"pep": pep, "form": form, "title": "Add an attendee", "cancel_url": card_url(pep, "meeting")},
    )


@login_required
@require_POST
def attendee_remove(request, pep_id, attendee_id):
    pep = _meeting_pep(request, pep_id)
    require_section(request, pep, Section.MEETING)
    meeting = get_object_or_404(Meeting, pep=pep)
    services.remove_attendee(request.user, pep, get_object_or_404(meeting.attendees, pk=attendee_id))
    messages.success(request, "Attendee removed")
    return redirect(card_url(pep, "meeting"))
