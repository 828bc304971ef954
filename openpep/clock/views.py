"""The school calendar and timescales pages, for a Virtual School admin (everyone else: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from openpep.views import administered_authority_or_404, form_page

from . import services
from .forms import CalendarImportForm, HolidayForm, TermForm, TimescalesForm
from .imports import COLUMNS, EXAMPLE
from .models import Holiday, Term, Timescales
from .queries import calendar_years


@login_required
def calendar(request):
    authority = administered_authority_or_404(request.user)
    context = {
        "authority": authority,
        "years": calendar_years(authority),
        "timescales": Timescales.for_authority(authority),
        "timescale_fields": Timescales.FIELDS,
    }
    return render(request, "clock/calendar.html", context)


def _add(request, form_class, *, title, lead):
    authority = administered_authority_or_404(request.user)
    form = form_class(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.add_entry(request.user, form.instance)
        except ValidationError as error:  # someone else's entry got there first
            form.add_error(None, error)
        else:
            messages.success(request, f"{entry} ({entry.dates}) has been added")
            return redirect("clock:calendar")
    return form_page(request, form, authority, cancel="clock:calendar", title=title, submit="Add", lead=lead)


@login_required
def term_add(request):
    return _add(
        request,
        TermForm,
        title="Add a term",
        lead="From the first to the last day of term; add half-terms and INSET days as holidays afterwards.",
    )


@login_required
def holiday_add(request):
    return _add(
        request,
        HolidayForm,
        title="Add a school holiday",
        lead="A half-term, an INSET day or another closure inside a term. The breaks between terms need no entry.",
    )


@login_required
@require_POST
def term_delete(request, term_id):
    authority = administered_authority_or_404(request.user)
    term = get_object_or_404(Term, pk=term_id, local_authority=authority)
    services.delete_term(request.user, term)
    messages.success(request, f"The {term} and its holidays have been deleted")
    return redirect("clock:calendar")


@login_required
@require_POST
def holiday_delete(request, holiday_id):
    authority = administered_authority_or_404(request.user)
    holiday = get_object_or_404(Holiday, pk=holiday_id, local_authority=authority)
    services.delete_holiday(request.user, holiday)
    messages.success(request, f"{holiday} has been deleted")
    return redirect("clock:calendar")


@login_required
def timescales(request):
    authority = administered_authority_or_404(request.user)
    form = TimescalesForm(request.POST or None, instance=Timescales.for_authority(authority))
    if request.method == "POST" and form.is_valid():
        services.save_timescales(request.user, form.instance)
        messages.success(request, "The timescales have been saved")
        return redirect("clock:calendar")
    return form_page(
        request,
        form,
        authority,
        cancel="clock:calendar",
        title="Statutory timescales",
        submit="Save",
        lead="Due dates and reminders are worked out from these. Working days leave out weekends and bank "
        "holidays; school days also leave out school holidays.",
    )


@login_required
def calendar_import(request):
    authority = administered_authority_or_404(request.user)
    form = CalendarImportForm(request.POST or None, request.FILES or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entries(request.user, authority, form.entries)
        except ValidationError as error:  # someone else's entry got there first
            form.add_error("file", error)
        else:
            messages.success(request, f"{len(form.entries)} terms and holidays have been imported")
            return redirect("clock:calendar")
    return render(
        request, "clock/import.html", {"form": form, "authority": authority, "columns": COLUMNS, "example": EXAMPLE}
    )
