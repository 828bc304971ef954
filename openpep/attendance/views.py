"""The Virtual School's page for a file of the schools' attendance (the command's twin)."""

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from openpep.views import administered_authority_or_404

from .forms import AttendanceImportForm
from .importer import COLUMNS, EXAMPLE, import_attendance

#: Problems listed on the page; the rest are counted.
PROBLEMS_SHOWN = 100


def _said(problem) -> str:
    """A problem as the page says it: the file is the one just uploaded, so without its path."""
    where = f"Line {problem.line}, column {problem.column}: " if problem.line else "The selected file "
    return f"{where}{problem.message}"[:400]


@login_required
def attendance_import(request):
    authority = administered_authority_or_404(request.user)
    form = AttendanceImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        # The reader streams from a path; the upload is kept only while it is read.
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "attendance.csv"
            with open(path, "wb") as out:
                for chunk in form.cleaned_data["file"].chunks():
                    out.write(chunk)
            report = import_attendance(
                str(path), authority, dry_run=form.cleaned_data["check_only"], actor=request.user
            )
        if report.read == 0 and report.problems:
            # Nothing could be read (not CSV, empty, a column missing): the file's error, on the form.
            form.add_error("file", [_said(problem) for problem in report.problems[:PROBLEMS_SHOWN]])
            report = None
        else:
            form = AttendanceImportForm()  # done: the result above, and a fresh form for the next file
    return render(
        request,
        "attendance/import.html",
        {
            "form": form,
            "authority": authority,
            "columns": list(COLUMNS),
            "example": EXAMPLE,
            "report": report,
            "problems": report.problems[:PROBLEMS_SHOWN] if report else [],
            "more": max(0, len(report.problems) - PROBLEMS_SHOWN) if report else 0,
        },
    )
