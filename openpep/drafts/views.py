from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from . import services


@login_required
@require_POST
def autosave(request):
    """The page's script posts the section's form here as the person types (debounced)."""
    draft = services.keep(request.user, request.POST.get("path", ""), request.POST)
    return JsonResponse({"saved_at": draft.saved_at.isoformat()})


@login_required
@require_POST
def discard(request):
    path = request.POST.get("path", "")
    services.draftable(request.user, path)  # 404 / 403 for anything but a form they may edit
    if services.discard(request.user, path):
        messages.success(request, "What you typed before has been discarded")
    return redirect(path)
