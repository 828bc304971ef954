"""What the apps' views share: the Virtual School admin's authority, a page of one form, and the page
changing one of the council's rows of settings."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from openpep.forms import form_error
from openpep.people.models import LocalAuthority
from openpep.people.queries import administered_authority
from openpep.people.rules import can_administer


def administered_authority_or_404(user) -> LocalAuthority:
    """The Virtual School the admin runs; anyone else gets a 404 (``can_administer``, which the
    navigation asks too)."""
    if not can_administer(user):
        raise Http404
    return administered_authority(user)


def form_page(
    request,
    form,
    authority: LocalAuthority,
    *,
    title,
    cancel=None,
    submit="Save",
    lead="",
    caption=None,
    cancel_url=None,
):
    """A Virtual School admin's page of one form (``form_page.html``): a caption naming the Virtual School
    (or ``caption``), the title, a lead paragraph, the form, its submit button, and a Cancel link to the
    page named ``cancel`` (or to ``cancel_url``)."""
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "title": title,
            "caption": authority.virtual_school_name or authority.name if caption is None else caption,
            "lead": lead,
            "submit": submit,
            "cancel_url": cancel_url or reverse(cancel),
        },
    )


def act(request, action: Callable, success: str | Callable) -> None:
    """Do what a button asks (``action``: the service's call) and say how it went: the service's
    refusal (a ``ValidationError``) as an error message, else ``success`` (or ``success(result)``)."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success(result) if callable(success) else success)


def saved(request, form, save: Callable, success: str | Callable, *to):
    """A form page's POST: when ``form`` is valid, ``save()`` (the service's call). Its refusal (a
    ``ValidationError``) goes onto the form (``form_error``); else ``success`` is said (or
    ``success(result)``) and the answer is a redirect to ``to`` (what ``redirect`` takes, or one
    function of the result that makes the URL). None when the page is to be shown (again): a GET,
    an invalid form or a refusal."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save()
    except ValidationError as error:
        form_error(form, error)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(to[0](result)) if len(to) == 1 and callable(to[0]) else redirect(*to)


def council_settings_page(request, model, form_class, save, *, saved: str, done: str, **page):
    """The Virtual School Head's page changing one of their council's rows of settings (``model``,
    read through ``for_authority_id``; ``save(actor, instance)`` is the app's service): on a valid
    post it saves, says ``saved`` and goes back to the page named ``done``; else ``form_page``
    with ``page``'s title, lead and submit."""
    authority = administered_authority_or_404(request.user)
    form = form_class(request.POST or None, instance=model.for_authority_id(authority.pk))
    if request.method == "POST" and form.is_valid():
        save(request.user, form.instance)
        messages.success(request, saved)
        return redirect(done)
    return form_page(request, form, authority, cancel=done, **page)
