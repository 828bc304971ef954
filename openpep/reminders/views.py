from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .queries import tasks_for


@login_required
def my_tasks(request):
    tasks = tasks_for(request.user)
    return render(request, "reminders/tasks.html", {"tasks": tasks, "today": timezone.localdate()})
