from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openpep.children import services as children_services
from openpep.children.queries import children_for
from openpep.forms import form_error
from openpep.plans.queries import peps_for, wording_for
from openpep.plans.rules import sees_whole_pep

from . import pdf, rules, services
from .enums import CopyKind, JobStatus
from .export import elapsed
from .forms import ExportForm
from .storage import CopyTampered


def _send(download: services.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["X-Checksum-SHA256"] = download.sha256
    return response


def _refused(request, message: str) -> HttpResponse:
    return render(request, "documents/copy_error.html", {"message": message}, status=500)


def _not_made(request) -> HttpResponse:
    # The renderer has logged why (pdf.render_pdf); the person is told what they can do.
    return render(request, "documents/not_made.html", status=500)


def _pep_download(request, pep_id: int, kind: CopyKind) -> HttpResponse:
    pep = get_object_or_404(peps_for(request.user).select_related("child"), pk=pep_id)
    if kind == CopyKind.WHOLE and not sees_whole_pep(request.user, pep):
        raise Http404  # a delegate: the whole PEP is beyond what was delegated
    if not rules.can_download(request.user, pep, kind):
        raise PermissionDenied
    try:
        download = services.download_pep(request.user, pep, kind)
    except CopyTampered as error:
        return _refused(request, str(error))
    except pdf.DocumentNotMade:
        return _not_made(request)
    return _send(download)


@login_required
def pep_pdf(request, pep_id):
    return _pep_download(request, pep_id, CopyKind.WHOLE)


@login_required
def school_pdf(request, pep_id):
    return _pep_download(request, pep_id, CopyKind.SCHOOL)


@login_required
def templates(request):
    return render(request, "documents/templates.html", {"types": pdf.blank_types(wording_for(request.user))})


@login_required
def template_pdf(request, pep_type):
    try:
        download = services.blank_template(request.user, pep_type)
    except pdf.DocumentNotMade:
        return _not_made(request)
    if download is None:
        raise Http404
    return _send(download)


def _exportable_child(request, child_id):
    child = get_object_or_404(children_for(request.user), pk=child_id)
    if not rules.can_export(request.user, child):
        raise PermissionDenied
    return child


@login_required
def exports(request, child_id):
    child = _exportable_child(request, child_id)
    # An empty POST (nothing ticked) is still a submission: a bound form.
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.request_export(
                request.user,
                child,
                include_carer_details=form.cleaned_data["include_carer_details"],
                reason=form.cleaned_data["carer_details_reason"],
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, "The export has been queued")
            return redirect("documents:export", child.pk, job.pk)
    jobs = child.export_jobs.select_related("requested_by")[:20]
    children_services.record_view(request.user, child, page="the subject-access exports")
    return render(request, "documents/exports.html", {"child": child, "form": form, "jobs": jobs})


@login_required
def export_status(request, child_id, job_id):
    child = _exportable_child(request, child_id)
    job = get_object_or_404(child.export_jobs.select_related("requested_by"), pk=job_id)
    children_services.record_view(request.user, child, page="a subject-access export's progress")
    return render(request, "documents/export.html", {"child": child, "job": job, "elapsed": elapsed(job)})


@login_required
def export_download(request, child_id, job_id):
    child = _exportable_child(request, child_id)
    job = get_object_or_404(child.export_jobs.select_related("child"), pk=job_id)
    if job.status != JobStatus.DONE:
        messages.info(request, "The export is not ready yet")
        return redirect("documents:export", child.pk, job.pk)
    try:
        download = services.download_export(request.user, job)
    except CopyTampered as error:
        return _refused(request, str(error))
    return _send(download)
