"""PDFs and the blank templates say PEP types in the council's words (read back with pypdf)."""

import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openpep.documents import services
from openpep.documents.enums import CopyKind
from openpep.documents.pdf import documents_queryset, pep_pdf
from openpep.plans import services as plan_services
from openpep.plans.enums import Occasion, Status, WordingKind
from openpep.plans.models import Pep
from tests.fixtures import sign_in

from .conftest import full_pep, pdf_text

GENERATED_AT = timezone.make_aware(datetime.datetime(2026, 3, 5, 14, 7))
REVIEW = "Review PEP (termly)"


@pytest.fixture
def worded(world):
    return plan_services.save_pep_type_wording(
        world.vs_admin, world.authority, {(WordingKind.OCCASION, Occasion.REVIEW): (REVIEW, "Every term")}
    )


def test_whole_pep_pdf_names_the_pep_type_in_the_councils_words(world, worded, django_capture_on_commit_callbacks):
    pep = full_pep(world, django_capture_on_commit_callbacks, status=Status.SUBMITTED)

    text = pdf_text(
        pep_pdf(
            documents_queryset(Pep.objects.filter(pk=pep.pk)).get(),
            CopyKind.WHOLE,
            generated_by=world.sw,
            generated_at=GENERATED_AT,
        )
    )

    assert f"PEP type {REVIEW} – Statutory school age (Reception to Year 11)" in text
    assert f"Occasion {REVIEW}" in text  # Section A
    assert "Termly review" not in text


def test_blank_template_is_worded_as_the_downloaders_council_words_it(world, worded):
    ours = pdf_text(services.blank_template(world.sw, "post_16-review").content)
    national = pdf_text(services.blank_template(world.nobody, "post_16-review").content)

    assert f"PEP type {REVIEW} – Post-16" in ours
    assert "PEP type Termly review – Post-16" in national


def test_templates_page_lists_the_councils_wording(world, worded, client):
    sign_in(client, world.dt)

    page = client.get(reverse("documents:templates")).content.decode()

    assert f'<td class="govuk-table__cell">{REVIEW}</td>' in page
    assert "Termly review" not in page
    assert f"the template for a {REVIEW} – Early Years PEP" in page


def test_export_titles_peps_in_the_councils_words_reading_them_once(
    world, worded, carer, django_capture_on_commit_callbacks
):
    full_pep(world, django_capture_on_commit_callbacks, status=Status.SUBMITTED)
    job = services.request_export(world.vs, world.child, include_carer_details=False, reason="")

    with CaptureQueriesContext(connection) as queries:
        services.run_export(services.claim_next_export())

    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(services.download_export(world.vs, job).content)) as archive:
        record = json.loads(archive.read("record.json"))
        second = pdf_text(next(archive.read(n) for n in archive.namelist() if "-review-" in n))
    assert [pep["title"] for pep in record["peps"]][1] == f"{REVIEW} – Statutory school age (Reception to Year 11)"
    assert f"PEP type {REVIEW} – Statutory school age" in second
    assert len([q for q in queries if "plans_peptypewording" in q["sql"]]) == 1
