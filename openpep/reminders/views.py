from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .queries import tasks_for


@login_required
def my_tasks(request):
    tasks = tasks_for(request.user)
    # The header's count is this list's length: not counted again.
    context = {"tasks": tasks, "today": timezone.localdate(), "task_count": len(tasks)}
    return render(request, "reminders/tasks.html", context)
