"""Who is sent a warning, where they see it, and how they acknowledge or answer it."""

import pytest
from django.urls import reverse

from openpep.audit.enums import Verb
from openpep.audit.models import AuditEntry
from openpep.plans.enums import Occasion, Status
from openpep.plans.models import Pep
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning, WarningRules
from openpep.warnings.queries import warnings_for
from openpep.warnings.services import raise_warnings
from tests.builders import cast_of, start
from tests.fixtures import sign_in

from .conftest import TODAY


@pytest.fixture
def raised(council):
    raise_warnings(TODAY)
    return council


def _warning(child, kind) -> EarlyWarning:
    return EarlyWarning.objects.get(child=child, kind=kind)


# --- who is sent what ---------------------------------------------------------------------------------------


def test_the_social_worker_and_the_virtual_school_are_sent_every_kind_the_dt_the_school_side(raised):
    world = raised.world
    child_warnings = set(EarlyWarning.objects.filter(child=world.child).values_list("pk", flat=True))
    school_side = {_warning(world.child, k).pk for k in (Kind.PERSISTENT_ABSENCE, Kind.ATTENDANCE_FALL)}

    assert child_warnings <= set(warnings_for(world.sw).values_list("pk", flat=True))
    assert child_warnings <= set(warnings_for(world.vs).values_list("pk", flat=True))
    assert set(warnings_for(world.dt).filter(child=world.child).values_list("pk", flat=True)) == school_side
    for outsider in (world.sw_other, world.dt_other, world.vs_other, world.tm, world.iro, world.nobody):
        assert not warnings_for(outsider).filter(child=world.child).exists(), outsider


@pytest.mark.parametrize("who", ["sw_other", "dt_other", "vs_other", "tm", "iro", "nobody"])
def test_anyone_not_sent_the_warning_reaches_nothing(raised, client, who):
    world = raised.world
    warning = _warning(world.child, Kind.PERSISTENT_ABSENCE)
    sign_in(client, getattr(world, who))

    assert client.get(reverse("warnings:acknowledge", args=[warning.pk])).status_code == 404
    assert client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"note": "x"}).status_code == 404
    assert client.post(reverse("warnings:interim", args=[warning.pk])).status_code == 404
    assert EarlyWarning.objects.get(pk=warning.pk).acknowledged_at is None
    assert world.child.full_name not in client.get(reverse("reminders:tasks")).content.decode()


def test_a_designated_teacher_reaches_no_warning_about_the_child_beyond_the_school(raised, client):
    world = raised.world
    sign_in(client, world.dt)
    overdue = _warning(world.child, Kind.PEP_OVERDUE)

    assert client.get(reverse("warnings:acknowledge", args=[overdue.pk])).status_code == 404
    assert (
        client.get(reverse("warnings:acknowledge", args=[_warning(world.child, Kind.ATTENDANCE_FALL).pk])).status_code
        == 200
    )


# --- where they see it --------------------------------------------------------------------------------------


def test_the_task_list_and_the_childs_page_show_the_warnings_waiting(raised, client):
    world = raised.world
    sign_in(client, world.sw)

    tasks = client.get(reverse("reminders:tasks")).content.decode()
    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()

    assert "Early warnings" in tasks
    assert "Persistently absent this term" in tasks and "Sev Absent" in tasks and "Una Placed" in tasks
    assert "Ben Other" not in tasks  # sw_other's child
    assert "Attendance falling" in page and "Attendance 84.7% in the autumn term 2026-27" in page
    assert "Severely absent this term" not in page  # another child's


# --- acknowledging ------------------------------------------------------------------------------------------


def test_acknowledging_keeps_who_when_and_the_note_audits_it_and_takes_it_off_the_lists(raised, client):
    world = raised.world
    warning = _warning(world.child, Kind.PERSISTENT_ABSENCE)
    sign_in(client, world.dt)
    url = reverse("warnings:acknowledge", args=[warning.pk])
    assert "Start an interim PEP" not in client.get(url).content.decode()  # the DT does not start PEPs

    response = client.post(url, {"note": "Spoke to the carer: a plan for mornings", "next": reverse("reminders:tasks")})

    assert response.status_code == 302 and response["Location"] == reverse("reminders:tasks")
    warning.refresh_from_db()
    assert warning.acknowledged_by == world.dt and warning.acknowledged_at is not None
    assert warning.note == "Spoke to the carer: a plan for mornings"
    entry = AuditEntry.objects.get(verb=Verb.ACKNOWLEDGED)
    assert (entry.actor, entry.child_id, entry.target_id) == (world.dt, world.child.pk, str(warning.pk))
    assert entry.after == {"note": "Spoke to the carer: a plan for mornings"}
    assert "Persistently absent this term" not in client.get(reverse("reminders:tasks")).content.decode()
    sign_in(client, world.sw)
    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()
    assert "Acknowledged by Dee Teacher" in page and "a plan for mornings" in page
    assert client.get(url).status_code == 403  # once
    assert client.post(url, {"note": "again"}).status_code == 403


def test_a_note_too_long_is_refused_with_the_error_summary(raised, client):
    world = raised.world
    warning = _warning(world.child, Kind.PERSISTENT_ABSENCE)
    sign_in(client, world.vs)

    response = client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"note": "x" * 1001})

    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert EarlyWarning.objects.get(pk=warning.pk).acknowledged_at is None


def test_a_next_address_elsewhere_is_not_followed(raised, client):
    world = raised.world
    warning = _warning(world.child, Kind.PERSISTENT_ABSENCE)
    sign_in(client, world.vs)

    response = client.post(reverse("warnings:acknowledge", args=[warning.pk]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("children:detail", args=[world.child.pk])


# --- answering with an interim PEP --------------------------------------------------------------------------


def test_the_social_worker_answers_a_warning_with_an_interim_pep_in_one_step(raised, client):
    world = raised.world
    warning = _warning(world.child, Kind.ATTENDANCE_FALL)
    sign_in(client, world.sw)
    assert "Start an interim PEP" in client.get(reverse("warnings:acknowledge", args=[warning.pk])).content.decode()

    response = client.post(reverse("warnings:interim", args=[warning.pk]))

    pep = Pep.objects.get(child=world.child)
    assert (pep.occasion, pep.status, pep.created_by) == (Occasion.INTERIM, Status.DRAFT, world.sw)
    assert response["Location"] == reverse("plans:detail", args=[pep.pk])
    warning.refresh_from_db()
    assert (warning.interim_pep, warning.acknowledged_by) == (pep, world.sw)
    assert AuditEntry.objects.filter(verb=Verb.CREATED, pep_id=pep.pk).exists()
    assert AuditEntry.objects.filter(verb=Verb.ACKNOWLEDGED, target_id=str(warning.pk)).exists()
    page = client.get(reverse("children:detail", args=[world.child.pk])).content.decode()
    assert "interim PEP started" in page


def test_an_interim_pep_is_refused_to_others_and_while_a_pep_is_in_progress(raised, client):
    world = raised.world
    warning = _warning(world.child, Kind.ATTENDANCE_FALL)
    for who in (world.vs, world.dt):
        sign_in(client, who)
        assert client.post(reverse("warnings:interim", args=[warning.pk])).status_code == 403
    start(cast_of(world))
    sign_in(client, world.sw)

    response = client.post(reverse("warnings:interim", args=[warning.pk]), follow=True)

    assert "already has a PEP in progress" in response.content.decode()
    assert Pep.objects.filter(child=world.child).count() == 1
    assert EarlyWarning.objects.get(pk=warning.pk).acknowledged_at is None


# --- the council's rules ------------------------------------------------------------------------------------


def test_the_virtual_school_head_changes_the_rules_audited(world, client):
    sign_in(client, world.vs_admin)
    form = {
        "persistent_on": "True",
        "persistent_below": "92",
        "severe_on": "True",
        "severe_below": "50",
        "fall_on": "False",
        "fall_points": "10",
        "exclusion_on": "True",
        "school_change_on": "True",
        "placement_change_on": "True",
        "no_school_on": "True",
        "overdue_on": "False",
    }
    assert "Warn of persistent absence" in client.get(reverse("warnings:settings")).content.decode()

    response = client.post(reverse("warnings:settings_edit"), form)

    assert response["Location"] == reverse("warnings:settings")
    rules = WarningRules.objects.get(local_authority=world.authority)
    assert (rules.persistent_below, rules.fall_on, rules.overdue_on) == (92, False, False)
    entry = AuditEntry.objects.get(verb=Verb.UPDATED, target_type="warnings.warningrules")
    assert entry.after | {"persistent_below": 92, "fall_on": False, "overdue_on": False} == entry.after
    bad = client.post(reverse("warnings:settings_edit"), form | {"severe_below": "95"})
    assert "Severe absence must be a lower attendance" in bad.content.decode()
