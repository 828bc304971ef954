"""What a termly review opens with: facts carried forward with their source, narrative offered."""

import datetime
from decimal import Decimal

from django.urls import reverse

from openpep.attendance.enums import academic_year
from openpep.plans.carry import carried
from openpep.plans.enums import Occasion, Section, SenNeed, SenStatus, Status
from openpep.plans.models import Arrangements, SchoolSection
from tests.attendance.conftest import register
from tests.builders import cast_of, pep_in, start
from tests.fixtures import sign_in, today

LAST_SUPPORT = "Reading catch-up three mornings a week\nA key adult at lunchtime"


def _signed_off_then_review(world, occasion=Occasion.REVIEW):
    cast = cast_of(world)
    previous = pep_in(cast, Status.SIGNED_OFF)
    SchoolSection.objects.filter(pep=previous).update(
        sen_status=SenStatus.SUPPORT,
        sen_primary_need=SenNeed.SEMH,
        attendance_percent=Decimal("88.0"),
        permanent_exclusions=0,
        support_offered=LAST_SUPPORT,
        going_well="Settled in class",
    )
    Arrangements.objects.filter(pep=previous).update(transport="Taxi arranged by the council")
    return previous, start(cast, occasion=occasion)


def _signed_off_day(previous) -> str:
    decided = previous.decisions.get(outcome="signed_off").decided_at
    return f"{decided.day} {decided:%B %Y}"


def test_a_review_opens_with_last_terms_facts_and_the_data_each_naming_its_source(world):
    previous, pep = _signed_off_then_review(world)
    register(world.child, world.school, datetime.date(academic_year(today()), 9, 1), [("/", "\\")] * 4 + [("N", "N")])

    found = carried(world.dt, pep, Section.D)

    assert found.initial == {
        "sen_status": SenStatus.SUPPORT,
        "sen_primary_need": SenNeed.SEMH,
        "attendance_percent": Decimal("80.0"),
        "suspensions": 0,
        "suspension_days": Decimal("0.0"),
        "permanent_exclusions": 0,
    }
    assert found.hints["sen_status"] == f"From the PEP signed off on {_signed_off_day(previous)}"
    assert found.hints["attendance_percent"].startswith("From the school's attendance data to ")
    assert found.answers == {"going_well": "Settled in class", "support_offered": LAST_SUPPORT}


def test_last_terms_attendance_is_not_carried_without_this_years_data(world):
    _previous, pep = _signed_off_then_review(world)

    found = carried(world.dt, pep, Section.D)

    assert "attendance_percent" not in found.initial


def test_a_change_of_school_does_not_carry_the_old_schools_setting_nor_transport(world):
    _previous, pep = _signed_off_then_review(world, occasion=Occasion.CHANGE_OF_SCHOOL)

    found = carried(world.sw, pep, Section.C)

    assert found.initial == {"full_time": True}


def test_an_initial_pep_carries_nothing_from_a_previous_one(world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF)
    pep = start(cast, occasion=Occasion.INITIAL)

    assert carried(world.dt, pep, Section.D).initial == {}


def test_nothing_is_carried_for_someone_who_cannot_see_the_previous_pep(world):
    _previous, pep = _signed_off_then_review(world)

    found = carried(world.dt_other, pep, Section.D)

    assert (found.initial, found.answers) == ({}, {})


def test_section_d_opens_filled_and_offers_last_terms_answer(world, client):
    previous, pep = _signed_off_then_review(world)
    sign_in(client, world.dt)

    response = client.get(reverse("plans:section_d", args=[pep.pk]))

    form = response.context["form"]
    assert (form["sen_status"].value(), form["sen_primary_need"].value()) == (SenStatus.SUPPORT, SenNeed.SEMH)
    assert form["support_offered"].value() in ("", None)
    page = response.content.decode()
    assert f"From the PEP signed off on {_signed_off_day(previous)}" in page
    assert '<p class="govuk-body">Reading catch-up three mornings a week</p>' in page
    assert 'name="start_from" value="support_offered"' in page


def test_the_button_puts_last_terms_answer_in_the_box_and_saves_nothing(world, client):
    _previous, pep = _signed_off_then_review(world)
    sign_in(client, world.dt)

    response = client.post(
        reverse("plans:section_d", args=[pep.pk]),
        {"sen_status": "K", "going_well": "Typed just now", "start_from": "support_offered"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["support_offered"].value(), form["going_well"].value()) == (LAST_SUPPORT, "Typed just now")
    assert not form.errors
    assert not SchoolSection.objects.filter(pep=pep).exists()


def test_the_button_for_a_question_with_no_last_answer_saves_as_usual(world, client):
    _previous, pep = _signed_off_then_review(world)
    sign_in(client, world.dt)

    response = client.post(
        reverse("plans:section_d", args=[pep.pk]),
        {"sen_status": "N", "start_from": "challenges"},
    )

    assert response.status_code == 302, response.context["form"].errors
    saved = SchoolSection.objects.get(pep=pep)
    # Left blank, the figures are not recorded, not 0.
    assert (saved.sen_status, saved.permanent_exclusions, saved.suspensions) == (SenStatus.NONE, None, None)


def test_a_name_typed_into_last_terms_answer_is_shown_as_text(world, client):
    _previous, pep = _signed_off_then_review(world)
    SchoolSection.objects.filter(pep__status=Status.SIGNED_OFF).update(challenges="{{ csrf_token }} <b>x</b>")
    sign_in(client, world.dt)

    page = client.get(reverse("plans:section_d", args=[pep.pk])).content.decode()

    assert "{{ csrf_token }} &lt;b&gt;x&lt;/b&gt;" in page
