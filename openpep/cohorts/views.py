"""The wider cohort's pages: the Virtual School's register, a child's cohorts and casework, the
officer's follow-ups, the Designated Teacher's list and the head's settings. Children are fetched
through ``children_for`` (else 404), the right to act is the named rule (403), the services write."""

import csv
import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openpep.audit.services import viewed_many
from openpep.cells import FORMULA_STARTS
from openpep.children.models import CohortMembership
from openpep.children.queries import children_for
from openpep.imports.cohorts import CIN_COLUMNS, CIN_EXAMPLE, ORDER_COLUMNS, ORDER_EXAMPLE, import_cin, import_orders
from openpep.people.models import LocalAuthority
from openpep.people.queries import roles_of
from openpep.people.rules import can_administer
from openpep.views import administered_authority_or_404, council_settings_page, form_page, saved

from . import queries, rules, services
from .enums import PAGE_SIZE
from .forms import (
    CaseworkForm,
    CohortImportForm,
    EndMembershipForm,
    MembershipForm,
    RegisterFilterForm,
    SettingsForm,
    TopicForm,
    WiderChildForm,
)
from .models import CaseworkTopic, CohortSettings


@login_required
def register(request):
    if not rules.can_see_register(request.user):
        raise Http404
    schools = list(queries.register_schools(request.user))
    form = RegisterFilterForm(request.GET or None, schools=schools)
    filters = queries.Filters()
    if form.is_bound:
        form.is_valid()  # a wrong value is no filter: each field that cleaned is used
        data = form.cleaned_data
        filters = queries.Filters(
            cohort=data.get("cohort") or "",
            school_id=data.get("school"),
            year_group=data.get("year"),
            band=data.get("band") or "",
            warnings=bool(data.get("warnings")),
        )
    if request.GET.get("format") is not None:
        if request.GET["format"] != "csv":
            raise Http404
        return _register_csv(request, queries.register_for(request.user, filters))
    page = Paginator(queries.register_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(child, queries.cohort_labels(child)) for child in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "cohorts/register.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "csv_query": f"{query.urlencode()}&format=csv" if query else "format=csv",
            "can_import": can_administer(request.user),
        },
    )


REGISTER_COLUMNS = [
    "Name",
    "Date of birth",
    "Year group",
    "UPN",
    "Local child ID",
    "Cohorts",
    "School today",
    "Attendance this year (%)",
    "Early warnings not acknowledged",
]


def _cell(value) -> str:
    """A value as a spreadsheet reads it, never as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _register_csv(request, children) -> HttpResponse:
    """Every child of the register with the filters applied (no page), as CSV. Each child's record read
    is audited as a page view is (one entry a child, in one insert)."""
    rows = list(children)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REGISTER_COLUMNS)
    for child in rows:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    child.full_name,
                    child.date_of_birth.isoformat(),
                    child.year_group_label(),
                    child.upn,
                    child.local_id,
                    "; ".join(queries.cohort_labels(child)),
                    child.school_name_now or "Not on a school roll",
                    child.attendance_now,
                    child.open_warnings or 0,
                )
            ]
        )
    viewed_many(request.user, [(child, child.pk, None) for child in rows], summary="Downloaded the register as CSV")
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="register-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@login_required
def school_list(request):
    if not rules.can_see_school_cohorts(request.user):
        raise Http404
    children = list(queries.school_cohort_list(request.user))
    return render(
        request,
        "cohorts/school_list.html",
        {"children": [(child, queries.cohort_labels(child)) for child in children]},
    )


def _child(request, child_id):
    return get_object_or_404(children_for(request.user).select_related("local_authority"), pk=child_id)


@login_required
def membership_add(request, child_id):
    child = _child(request, child_id)
    if not rules.can_manage_cohorts(request.user, child):
        raise PermissionDenied
    form = MembershipForm(request.POST or None)
    if done := saved(
        request,
        form,
        lambda: services.add_membership(request.user, child, form.instance),
        lambda _: f"{child.full_name}'s cohort has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title="Add to a cohort",
        lead="A child of the Virtual School's wider cohort: previously looked after, with a social worker, or in "
        "kinship care. Whether a child is looked after is their care record (the date they entered care and their "
        "placements).",
        cancel_url=_detail(child),
    )


def _detail(child) -> str:
    return reverse("children:detail", args=[child.pk])


@login_required
def membership_end(request, child_id, membership_id):
    child = _child(request, child_id)
    membership = get_object_or_404(CohortMembership.objects.filter(child=child), pk=membership_id)
    if not rules.can_manage_cohorts(request.user, child) or membership.ends_on is not None:
        raise PermissionDenied
    form = EndMembershipForm(request.POST or None, membership=membership)
    if done := saved(
        request,
        form,
        lambda: services.end_membership(request.user, membership, form.cleaned_data["ends_on"]),
        "The end date has been recorded",
        "children:detail",
        child.pk,
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title=f"End of the {membership.get_kind_display().lower()}",
        lead="A child with a social worker stays in the Virtual School's cohort for 6 years after their plan ends.",
        cancel_url=_detail(child),
    )


@login_required
def casework_add(request, child_id):
    child = _child(request, child_id)
    if not rules.can_record_casework(request.user, child):
        raise PermissionDenied
    form = CaseworkForm(request.POST or None, authority_id=child.local_authority_id)
    if done := saved(
        request,
        form,
        lambda: services.record_casework(request.user, child, form.instance),
        "The advice has been recorded",
        f"{_detail(child)}#casework",
    ):
        return done
    return form_page(
        request,
        form,
        child.local_authority,
        caption=child.full_name,
        title="Record advice given",
        cancel_url=_detail(child),
    )


@login_required
@require_POST
def follow_up_done(request, entry_id):
    entry = get_object_or_404(queries.follow_ups_for(request.user), pk=entry_id)
    services.close_follow_up(request.user, entry)
    messages.success(request, f"The follow-up for {entry.child.full_name} is done")
    return redirect("reminders:tasks")


@login_required
def settings_page(request):
    authority = administered_authority_or_404(request.user)
    return render(
        request,
        "cohorts/settings.html",
        {
            "authority": authority,
            "settings": CohortSettings.for_authority_id(authority.pk),
            "topics": CaseworkTopic.objects.filter(local_authority=authority),
        },
    )


@login_required
def settings_edit(request):
    return council_settings_page(
        request,
        CohortSettings,
        SettingsForm,
        services.save_settings,
        saved="The wider cohort settings have been saved",
        done="cohorts:settings",
        title="Sharing the wider cohort with schools",
    )


@login_required
def topic_edit(request, topic_id=None):
    authority = administered_authority_or_404(request.user)
    topic = (
        get_object_or_404(CaseworkTopic.objects.filter(local_authority=authority), pk=topic_id)
        if topic_id is not None
        else CaseworkTopic(local_authority=authority)
    )
    form = TopicForm(request.POST or None, instance=topic, initial={"active": True} if topic.pk is None else None)
    if done := saved(
        request,
        form,
        lambda: services.save_topic(request.user, authority, form.instance),
        "The topic has been saved",
        "cohorts:settings",
    ):
        return done
    return form_page(
        request,
        form,
        authority,
        cancel="cohorts:settings",
        title="Change a topic of advice" if topic.pk else "Add a topic of advice",
    )


@login_required
def child_add(request):
    """A child of the wider cohort who has never been in care, added by their council's Virtual School."""
    if not rules.can_see_register(request.user):
        raise Http404
    authority = LocalAuthority.objects.get(pk=min(roles_of(request.user).vs_authority_ids))
    form = WiderChildForm(request.POST or None, authority=authority)
    if done := saved(
        request,
        form,
        lambda: services.add_wider_child(request.user, form.instance, form.membership()),
        lambda child: f"{child.full_name} has been added",
        lambda child: reverse("children:detail", args=[child.pk]),
    ):
        return done
    return form_page(
        request,
        form,
        authority,
        title="Add a child of the wider cohort",
        lead="A child who is previously looked after, has a social worker or is in kinship care, and has never been "
        "in your care. A child coming into care is added with “Add a child”, with their first placement.",
        cancel="cohorts:register",
        submit="Add the child",
    )


#: Problems listed on the import page; the rest are counted.
PROBLEMS_SHOWN = 100
IMPORTS = {
    "cin": (import_cin, CIN_COLUMNS, CIN_EXAMPLE),
    "orders": (import_orders, ORDER_COLUMNS, ORDER_EXAMPLE),
}


def _said(problem) -> str:
    """A problem as the page says it: the file is the one just uploaded, so without its path."""
    where = f"Line {problem.line}, column {problem.column}: " if problem.line else "The selected file "
    return f"{where}{problem.message}"[:400]


@login_required
def cohort_import(request):
    """The head's page for the wider cohort's files (the commands ``import_cin`` and ``import_orders``)."""
    authority = administered_authority_or_404(request.user)
    form = CohortImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        importer = IMPORTS[form.cleaned_data["which"]][0]
        # The reader streams from a path; the upload is kept only while it is read.
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "cohort.csv"
            with open(path, "wb") as out:
                for chunk in form.cleaned_data["file"].chunks():
                    out.write(chunk)
            report = importer(str(path), authority, dry_run=form.cleaned_data["check_only"], actor=request.user)
        if report.read == 0 and report.problems:
            form.add_error("file", [_said(problem) for problem in report.problems[:PROBLEMS_SHOWN]])
            report = None
        else:
            form = CohortImportForm()
    return render(
        request,
        "cohorts/import.html",
        {
            "form": form,
            "authority": authority,
            "files": [
                ("Children with a social worker", list(CIN_COLUMNS), CIN_EXAMPLE),
                ("Children in kinship care or previously looked after", list(ORDER_COLUMNS), ORDER_EXAMPLE),
            ],
            "report": report,
            "problems": [_said(p) for p in report.problems[:PROBLEMS_SHOWN]] if report else [],
            "more": max(0, len(report.problems) - PROBLEMS_SHOWN) if report else 0,
            "changes": [f"Line {c.line}, {c.said()}" for c in report.changes[:PROBLEMS_SHOWN]] if report else [],
            "more_changes": max(0, len(report.changes) - PROBLEMS_SHOWN) if report else 0,
        },
    )
