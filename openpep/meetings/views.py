from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpep.plans.enums import Section
from openpep.plans.views import _pep, _require, _save_form, pep_url

from . import services
from .forms import AttendeeForm, MeetingForm
from .models import Meeting


@login_required
def meeting_edit(request, pep_id):
    pep = _pep(request, pep_id)
    _require(request, pep, Section.MEETING)
    instance = getattr(pep, "meeting", None) or Meeting(pep=pep)
    form = MeetingForm(request.POST or None, instance=instance)
    return _save_form(
        request,
        pep,
        form,
        Section.MEETING,
        title="PEP meeting record",
        anchor="meeting",
        lead="Start with the child's and the carer's voice. Share the pre-drafts and agree the plan together.",
    )


@login_required
def attendee_add(request, pep_id):
    pep = _pep(request, pep_id)
    _require(request, pep, Section.MEETING)
    if not hasattr(pep, "meeting"):
        messages.error(request, "Record the meeting's date and venue first")
        return redirect("meetings:edit", pep.pk)
    form = AttendeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_attendee(request.user, pep, form.save(commit=False))
        messages.success(request, f"{form.instance.name} added")
        return redirect(pep_url(pep, "meeting"))
    return render(
        request,
        "plans/section_form.html",
        {"pep": pep, "form": form, "title": "Add an attendee", "cancel_url": pep_url(pep, "meeting")},
    )


@login_required
@require_POST
def attendee_remove(request, pep_id, attendee_id):
    pep = _pep(request, pep_id)
    _require(request, pep, Section.MEETING)
    meeting = get_object_or_404(Meeting, pep=pep)
    services.remove_attendee(request.user, pep, get_object_or_404(meeting.attendees, pk=attendee_id))
    messages.success(request, "Attendee removed")
    return redirect(pep_url(pep, "meeting"))
