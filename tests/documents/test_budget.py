"""The PDF renderer's budget (issue 15, point 2): a document that cannot be made in time or is too
large is an error page for the person and an error in the log, never a worker held for minutes;
and a PEP with every answer at its limit is still stored at sign-off, well within the budget."""

import logging
import multiprocessing
import time

import pytest
from django.db import models
from django.urls import reverse

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.documents.enums import CopyKind
from openpep.documents.models import StoredCopy
from openpep.meetings.models import Attendee, Meeting
from openpep.plans.enums import Status
from openpep.plans.models import (
    Arrangements,
    Attainment,
    ChildViews,
    Decision,
    Pep,
    SchoolSection,
    Target,
    TargetReview,
)
from openpep.plans.workflow import transition
from tests.builders import fresh
from tests.fixtures import sign_in

from .conftest import full_pep, pdf_text

#: Words, as an answer has them: WeasyPrint breaks lines between them.
PROSE = "Amira reads with her carer every evening and chose her own targets this term. "


def prose(length: int, start: str = "") -> str:
    return start + (PROSE * (length // len(PROSE) + 1))[:length]


def _at_its_limit(queryset) -> None:
    """Every free-text answer of the rows at its limit, written as a form would have saved it."""
    fields = [
        field
        for field in queryset.model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]
    for number, pk in enumerate(queryset.values_list("pk", flat=True), start=1):
        # Numbered, so that rows unique by a text (attainment's subject) stay so.
        start = f"{number}. "
        queryset.filter(pk=pk).update(**{f.name: prose(f.max_length - len(start), start) for f in fields})


def _every_answer_at_its_limit(pep: Pep) -> None:
    for model in (ChildViews, Arrangements, SchoolSection, Meeting, Target, TargetReview, Attainment, Decision):
        _at_its_limit(model.objects.filter(pep=pep))
    _at_its_limit(Attendee.objects.filter(meeting__pep=pep))


def test_a_pep_with_every_answer_at_its_limit_is_stored_at_sign_off(
    world, django_capture_on_commit_callbacks, settings, capsys
):
    pep = full_pep(world, django_capture_on_commit_callbacks, status=Status.SUBMITTED)
    _every_answer_at_its_limit(pep)
    text = "".join(str(v) for v in ChildViews.objects.filter(pep=pep).values_list("going_well", flat=True))
    assert len(text) == 4_000

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        transition(fresh(pep), Status.SIGNED_OFF, actor=world.vs)
    seconds = time.monotonic() - started

    copies = {c.kind: c for c in StoredCopy.objects.filter(pep=pep)}
    assert set(copies) == {CopyKind.WHOLE, CopyKind.SCHOOL}
    assert seconds < settings.PDF_SECONDS
    with capsys.disabled():
        print(
            f"\nA PEP with every answer at its limit: both stored copies made at sign-off in {seconds:.1f}s "
            f"(whole PEP {copies[CopyKind.WHOLE].size:,} bytes, school section {copies[CopyKind.SCHOOL].size:,} bytes)"
        )


@pytest.fixture
def old_long_answer(world, django_capture_on_commit_callbacks):
    """A PEP in progress with a 1 MB answer, as could be stored before the limits (the row is
    written past the model, as an old database has it)."""
    pep = full_pep(world, django_capture_on_commit_callbacks, status=Status.DRAFT)
    ChildViews.objects.filter(pep=pep).update(going_well=prose(1_000_000))
    return pep


def test_a_document_over_its_time_is_killed_and_the_person_told(world, old_long_answer, client, settings, caplog):
    settings.PDF_SECONDS = 3
    sign_in(client, world.dt)

    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="openpep.documents"):
        response = client.get(reverse("documents:pep_pdf", args=[old_long_answer.pk]))
    seconds = time.monotonic() - started

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">This document could not be made</h1>' in page
    assert seconds < 3 + 10  # the budget, and the page; not the many minutes the render would take
    assert multiprocessing.active_children() == []  # the renderer was killed, not left running
    errors = [r.getMessage() for r in caplog.records if r.name == "openpep.documents" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "no PDF after 3 seconds" in errors[0]
    assert not AuditEntry.objects.filter(verb=Verb.DOWNLOADED).exists()  # nothing was downloaded


def test_a_document_over_its_size_is_not_rendered_and_the_person_told(world, old_long_answer, client, settings, caplog):
    settings.PDF_MAX_HTML_CHARS = 500_000
    sign_in(client, world.dt)

    with caplog.at_level(logging.ERROR, logger="openpep.documents"):
        response = client.get(reverse("documents:pep_pdf", args=[old_long_answer.pk]))

    assert response.status_code == 500
    assert "This document could not be made" in response.content.decode()
    errors = [r.getMessage() for r in caplog.records if r.name == "openpep.documents" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "over the budget of 500,000" in errors[0]
    assert not AuditEntry.objects.filter(verb=Verb.DOWNLOADED).exists()


def test_a_document_within_its_budget_is_made_in_the_child_process(world, django_capture_on_commit_callbacks, client):
    pep = full_pep(world, django_capture_on_commit_callbacks, status=Status.DRAFT)
    sign_in(client, world.dt)

    response = client.get(reverse("documents:school_pdf", args=[pep.pk]))

    assert response.status_code == 200
    assert "Section D" in pdf_text(response.content)
    assert multiprocessing.active_children() == []
