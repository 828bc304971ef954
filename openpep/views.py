"""What the apps' views share: the Virtual School admin's authority, and a page of one form."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

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
