"""No school-facing page or document shows a carer: every page a Designated Teacher can reach
(every URL pattern of the project, with the world's objects, as the permission matrix walks
them) and every PDF they can download is read for the name of the child's carer."""

import pytest
from django.urls import reverse

from openpep.documents.models import ExportJob
from openpep.documents.pdf import blank_types
from openpep.plans.enums import Status, ViewsRecordedBy
from openpep.plans.models import Pep
from tests.builders import cast_of, complete_section_c, pep_in
from tests.fixtures import sign_in
from tests.test_permission_matrix import PARAMS, _objects

from .conftest import CARER, pdf_text


@pytest.fixture
def objects(world, carer, django_capture_on_commit_callbacks):
    """A PEP signed off through the workflow (so its copies are stored), then the matrix's objects:
    a signed-off PEP made directly and a draft with a target, a review, attainment, a scheduled and
    recorded meeting, attendees and invitations."""
    with django_capture_on_commit_callbacks(execute=True):
        full = pep_in(cast_of(world), Status.SIGNED_OFF, targets=2)
        found = _objects(world, world.child, ViewsRecordedBy.SCHOOL)
    job = ExportJob.objects.create(child=world.child, requested_by=world.vs)
    return found, full, job


def _urls(world, objects) -> list[str]:
    found, full, job = objects
    values = {
        "child_id": [found.child.pk],
        "pep_id": [found.draft.pk, found.signed_off.pk, full.pk],
        "target_id": [found.target.pk],
        "review_id": [found.review.pk],
        "row_id": [found.attainment.pk],
        "attendee_id": [found.attendee.pk],
        "invitation_id": [found.carer_invitation.pk, found.dt_invitation.pk],
        "to": [Status.SCHOOL_RETURNED.value],
        "job_id": [job.pk],
        "pep_type": [t["slug"] for t in blank_types()],
        "uidb64": ["MQ"],
        "token": ["not-a-valid-token"],
    }
    urls = []
    for name, params in PARAMS.items():
        if not set(params) <= set(values):
            continue  # an object this walk does not know how to make (none is the DT's to see)
        combos = [{}]
        for param in params:
            combos = [{**combo, param: value} for combo in combos for value in values[param]]
        urls += [reverse(name, kwargs=combo) for combo in combos]
    return urls


def test_no_page_or_pdf_a_designated_teacher_reaches_shows_the_carer(world, objects, client):
    assert world.child.current_placement().carer_name == CARER
    sign_in(client, world.dt)
    seen = {"html": 0, "pdf": 0}

    for url in _urls(world, objects):
        response = client.get(url)
        if response.status_code != 200:
            continue
        content_type = response["Content-Type"]
        if content_type == "application/pdf":
            text = pdf_text(response.content)
            seen["pdf"] += 1
        else:  # pages, and the API's public schema and docs (JSON, YAML or HTML): all text
            text = response.content.decode()
            seen["html"] += content_type.startswith("text/html")
        assert "Quillfeather" not in text, url

    # Every PEP's two PDFs and the twelve blank templates; the pages of the child, the PEPs, the forms.
    assert seen["pdf"] >= 3 * 2 + 12
    assert seen["html"] >= 20


def test_the_walk_would_see_a_carer_written_into_free_text(world, objects, client):
    """The check above can fail: free text is shown on the PEP page as typed, so a carer named in
    Section C reaches the DT there (only documents withhold it), and the same reading finds it."""
    found, _, _ = objects
    complete_section_c(found.draft, world.sw, setting=f"Full time; {CARER} drives her in")
    sign_in(client, world.dt)

    page = client.get(reverse("plans:whole", args=[found.draft.pk])).content.decode()
    whole = client.get(reverse("documents:pep_pdf", args=[found.draft.pk]))

    assert "Quillfeather" in page
    assert "Quillfeather" not in pdf_text(whole.content)


def test_every_pdf_of_every_pep_leaves_out_the_carer(world, objects, client):
    sign_in(client, world.sw)
    for pep in Pep.objects.filter(child=world.child):
        for name in ("pep_pdf", "school_pdf"):
            response = client.get(reverse(f"documents:{name}", args=[pep.pk]))
            assert response.status_code == 200
            assert "Quillfeather" not in pdf_text(response.content)
