"""Documents in a real browser: the Designated Teacher downloads the signed-off copy of the school
section from the PEP page; the Virtual School asks for a subject-access export, which the worker
prepares, and downloads it. Every page visited is checked with axe."""

import zipfile

import pytest
from playwright.sync_api import expect

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.documents.models import StoredCopy
from openpep.documents.services import run_queued_exports

PEP_HEADING = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}},
    }
    return root


def test_designated_teacher_downloads_the_signed_off_school_section(browse, world, previous_pep, documents_root):
    page = browse.page
    copy = StoredCopy.objects.get(pep=previous_pep, kind="school")  # stored when the Virtual School signed off

    browse.sign_in(world.dt)
    browse.goto(f"/peps/{previous_pep.pk}/", heading=PEP_HEADING)
    documents = page.locator("#documents")
    expect(documents.get_by_role("heading", name="Documents")).to_be_visible()
    expect(documents).to_contain_text(f"SHA-256 checksum {copy.sha256[:16]}")
    with page.expect_download() as downloading:
        documents.get_by_role("link", name="Download the school section (signed-off copy), PDF").click()
    download = downloading.value

    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF")
    assert content == (documents_root / copy.path).read_bytes()
    assert download.suggested_filename.startswith("pep-school-section-amira-test-")
    entry = AuditEntry.objects.get(verb=Verb.DOWNLOADED)
    assert (entry.actor, entry.pep_id) == (world.dt, previous_pep.pk)

    browse.follow("Blank school-section templates to draft offline", heading="Blank school-section templates")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the template for a Termly review – Post-16 PEP (PDF)").click()
    assert open(downloading.value.path(), "rb").read().startswith(b"%PDF")
    browse.sign_out()


def test_virtual_school_prepares_and_downloads_a_subject_access_export(browse, world, previous_pep, tmp_path):
    page = browse.page
    browse.sign_in(world.vs)
    browse.goto(f"/peps/{previous_pep.pk}/", heading=PEP_HEADING)
    browse.follow("Subject-access export of everything held about Amira Test", heading="Subject-access export")

    page.get_by_label("Include carer details").check()
    browse.press("Prepare the export", heading="Subject-access export")
    browse.expect_errors("Enter why the carer details must be included")
    page.get_by_label("Include carer details").uncheck()
    browse.press("Prepare the export", heading="Subject-access export")
    browse.expect_success("The export has been queued")
    expect(page.get_by_role("definition").filter(has_text="Waiting to start")).to_be_visible()

    assert run_queued_exports() == 1  # what the worker does in its loop

    browse.follow("Refresh to check progress", heading="Subject-access export")
    expect(page.locator("#export-status")).to_have_text("Ready to download")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the export").click()
    with zipfile.ZipFile(downloading.value.path()) as archive:
        assert "record.json" in archive.namelist()
        assert [n for n in archive.namelist() if n.endswith(".pdf")] != []
    browse.sign_out()
