from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from openpep.cohorts.queries import follow_ups_for
from openpep.warnings.queries import open_warnings_for

from .queries import tasks_for


@login_required
def my_tasks(request):
    tasks = tasks_for(request.user)
    warnings = open_warnings_for(request.user)
    follow_ups = list(follow_ups_for(request.user))
    context = {
        "tasks": tasks,
        "warnings": warnings,
        "follow_ups": follow_ups,
        "today": timezone.localdate(),
        # The header's count is what this page lists: not counted again.
        "task_count": len(tasks) + len(warnings) + len(follow_ups),
    }
    return render(request, "reminders/tasks.html", context)
