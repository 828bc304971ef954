"""Who downloads what: everyone who sees a PEP gets its school section; the whole PEP goes to those
who work with the child today; a school the child has left keeps its signed-off school section."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openpep.documents import services
from openpep.documents.enums import CopyKind
from openpep.plans.enums import Status
from tests.fixtures import sign_in

from .conftest import full_pep, pdf_text


@pytest.fixture
def signed_off(world, carer, django_capture_on_commit_callbacks):
    return full_pep(world, django_capture_on_commit_callbacks)


def _get(client, user, name, pep):
    sign_in(client, user)
    return client.get(reverse(f"documents:{name}", args=[pep.pk]))


@pytest.mark.parametrize("role", ["sw", "tm", "dt", "vs", "vs_admin", "iro"])
def test_everyone_who_works_with_the_child_downloads_both(world, signed_off, client, role):
    for name in ("pep_pdf", "school_pdf"):
        response = _get(client, getattr(world, role), name, signed_off)
        assert response.status_code == 200, name
        assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", ["dt_other", "sw_other", "vs_other", "nobody"])
def test_outsiders_get_a_404(world, signed_off, client, role):
    for name in ("pep_pdf", "school_pdf"):
        assert _get(client, getattr(world, role), name, signed_off).status_code == 404


def test_anonymous_is_sent_to_sign_in(signed_off, client):
    response = client.get(reverse("documents:pep_pdf", args=[signed_off.pk]))

    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_former_school_keeps_its_signed_off_school_section_only(world, signed_off, client):
    enrolment = world.child.enrolments.get()
    enrolment.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    enrolment.save()
    world.child.enrolments.create(school=world.other_school, starts_on=timezone.localdate())

    school = _get(client, world.dt, "school_pdf", signed_off)
    whole = _get(client, world.dt, "pep_pdf", signed_off)

    assert school.status_code == 200
    assert "Personal Education Plan: school section" in pdf_text(school.content)
    assert whole.status_code == 403
    # The new school's DT sees the child now, and so reads the previous school's plan in full.
    assert _get(client, world.dt_other, "pep_pdf", signed_off).status_code == 200


def test_former_school_loses_a_pep_it_did_not_finish(world, carer, django_capture_on_commit_callbacks, client):
    pep = full_pep(world, django_capture_on_commit_callbacks, status=Status.SUBMITTED)
    enrolment = world.child.enrolments.get()
    enrolment.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    enrolment.save()

    assert _get(client, world.dt, "school_pdf", pep).status_code == 404


def test_service_refuses_whole_pep_to_a_former_school(world, signed_off):
    world.child.enrolments.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))

    with pytest.raises(Exception, match="cannot download"):
        services.download_pep(world.dt, signed_off, CopyKind.WHOLE)


def test_pep_page_offers_the_downloads_the_person_may_have(world, signed_off, client):
    sign_in(client, world.dt)
    page = client.get(reverse("plans:detail", args=[signed_off.pk])).content.decode()

    assert reverse("documents:pep_pdf", args=[signed_off.pk]) in page
    assert reverse("documents:school_pdf", args=[signed_off.pk]) in page
    assert "Download the school section (signed-off copy), PDF" in page
    assert reverse("documents:templates") in page
    assert reverse("documents:exports", args=[world.child.pk]) not in page  # the Virtual School's

    world.child.enrolments.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    sign_in(client, world.dt)
    page = client.get(reverse("plans:detail", args=[signed_off.pk])).content.decode()
    assert reverse("documents:pep_pdf", args=[signed_off.pk]) not in page
    assert reverse("documents:school_pdf", args=[signed_off.pk]) in page

    sign_in(client, world.vs)
    page = client.get(reverse("plans:detail", args=[signed_off.pk])).content.decode()
    assert reverse("documents:exports", args=[world.child.pk]) in page


def test_blank_templates_are_listed_and_downloaded(world, client):
    sign_in(client, world.dt)

    page = client.get(reverse("documents:templates"))
    pdf = client.get(reverse("documents:template_pdf", args=["post_16-review"]))

    assert page.status_code == 200
    assert page.content.decode().count('href="/documents/templates/') == 12  # 3 phases × 4 occasions
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"] == 'attachment; filename="blank-pep-school-section-post-16-review.pdf"'
    assert "PEP type Termly review – Post-16" in pdf_text(pdf.content)
    assert client.get(reverse("documents:template_pdf", args=["post_16-holiday"])).status_code == 404
