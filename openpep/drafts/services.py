"""Drafts: what a person typed into a PEP section's form, kept until they save it or discard it.

Every write is audited (the entry says which form; what was typed stays out of the audit
trail: it is not the record until it is saved, and then that save is audited with its values).
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from openpep.audit.enums import Verb
from openpep.audit.services import record
from openpep.people.models import User
from openpep.plans import rules
from openpep.plans.models import Pep
from openpep.plans.queries import peps_for

from .models import Draft

#: Posted fields that are not the form's.
NOT_FORM_FIELDS = {"csrfmiddlewaretoken", "path"}


def draftable(user: User, path: str) -> tuple[Pep, object]:
    """The PEP and section of the form at ``path``, if ``user`` may edit it today.

    A form keeps drafts when its view is marked ``keeps_drafts`` (plans.views); anything
    else is a 404, a PEP out of the person's sight too, and a section they may not edit a 403."""
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404("Not a form that keeps drafts") from None
    section = getattr(match.func, "keeps_drafts", None)
    if section is None or "pep_id" not in match.kwargs:
        raise Http404("Not a form that keeps drafts")
    if reverse(match.view_name, args=match.args, kwargs=match.kwargs) != path:
        # Only the form's own address (not /peps/007/…): one draft per form, found where the form is.
        raise Http404("Not a form that keeps drafts")
    pep = get_object_or_404(peps_for(user).select_related("child"), pk=match.kwargs["pep_id"])
    if not rules.can_edit(user, pep, section):
        raise PermissionDenied
    return pep, section


def _label(section) -> str:
    return getattr(section, "label", str(section))


@transaction.atomic
def keep(user: User, path: str, posted: QueryDict) -> Draft:
    """Keep what ``user`` typed into the form at ``path`` (replacing their earlier draft of it)."""
    pep, section = draftable(user, path)
    data = {name: posted.getlist(name) for name in posted if name not in NOT_FORM_FIELDS}
    draft, created = Draft.objects.update_or_create(
        owner=user, path=path, defaults={"pep": pep, "data": data, "saved_at": timezone.now()}
    )
    draft.pep = pep
    record(
        user,
        Verb.CREATED if created else Verb.UPDATED,
        draft,
        summary=f"Kept a draft of {_label(section)} (not saved yet)",
    )
    return draft


def keep_from_expired_session(user: User, request) -> Draft | None:
    """The request that found ``user``'s session had run out was a POST: if it was a section's
    form (or the page's autosave of one), keep what it carried. Anything else is let go."""
    path = request.POST.get("path", "") if request.path_info == reverse("drafts:autosave") else request.path_info
    try:
        return keep(user, path, request.POST)
    except (Http404, PermissionDenied):
        return None


def _live(now=None):
    now = now or timezone.now()
    return Draft.objects.filter(saved_at__gte=now - datetime.timedelta(days=settings.DRAFT_DAYS))


def draft_for(user: User, path: str) -> Draft | None:
    """``user``'s own draft of the form at ``path``, unless it has expired. No one else's."""
    if not user.is_authenticated:
        return None
    return _live().filter(owner=user, path=path).select_related("pep").first()


def as_form_data(draft: Draft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.data.items():
        data.setlist(name, [str(v) for v in values])
    return data


@transaction.atomic
def discard(user: User, path: str, *, because: str = "discarded") -> bool:
    """Delete ``user``'s draft of the form at ``path`` (after the section was saved, or when they
    discard it). Returns whether there was one."""
    draft = Draft.objects.select_for_update().select_related("pep").filter(owner=user, path=path).first()
    if draft is None:
        return False
    record(user, Verb.DELETED, draft, summary=f"Deleted the draft of {path}: {because}")
    Draft.objects.filter(pk=draft.pk).delete()
    return True


@transaction.atomic
def purge_expired(now=None) -> int:
    """Delete drafts older than ``DRAFT_DAYS`` (the worker runs this daily), each audited."""
    now = now or timezone.now()
    old = list(
        Draft.objects.select_for_update()
        .select_related("pep")
        .filter(saved_at__lt=now - datetime.timedelta(days=settings.DRAFT_DAYS))
    )
    for draft in old:
        summary = f"Deleted the draft of {draft.path}: older than {settings.DRAFT_DAYS} days"
        record(None, Verb.DELETED, draft, summary=summary)
    Draft.objects.filter(pk__in=[d.pk for d in old]).delete()
    return len(old)
