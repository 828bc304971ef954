"""The demo shows the wider cohort at once: a child in each cohort, advice with follow-ups, and the
Designated Teacher's list of what Demoshire shares with schools."""

import pytest
from django.urls import reverse

from openpep.children.enums import Cohort
from openpep.children.models import CohortMembership
from openpep.cohorts.models import CaseworkEntry
from openpep.people.models import User
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning
from tests.fixtures import sign_in


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks, demo_snapshot):
    with django_capture_on_commit_callbacks():
        return demo_snapshot.load()  # built once for the run (tests/fixtures.py)


def test_the_demo_has_each_cohort_advice_to_follow_up_and_a_shared_list_for_the_school(demo, client):
    assert set(CohortMembership.objects.values_list("cohort", flat=True)) == set(Cohort.values)
    assert CaseworkEntry.objects.filter(follow_up_on__isnull=False).count() == 2
    lena = CohortMembership.objects.get(child__first_name="Lena").child
    assert not EarlyWarning.objects.filter(child__care_start_date__isnull=True, kind=Kind.PEP_OVERDUE).exists()

    sign_in(client, User.objects.get(email="vs@demo.openpep.test"))
    register = client.get(reverse("cohorts:register")).content.decode()
    tasks = client.get(reverse("reminders:tasks")).content.decode()
    assert "Poppy Hartley" in register and "Kinship care: informal or private arrangement" in register
    assert lena.full_name in tasks and "Attendance: advice to social worker" in tasks

    sign_in(client, User.objects.get(email="dt@demo.openpep.test"))  # Castlebrook: Reuben and Lena
    school = client.get(reverse("cohorts:school_list")).content.decode()
    assert "Reuben Achebe" in school and "agreed a mentor" in school
    assert "Lena Marsh" in school and "multi-agency meeting" not in school  # not shared


def test_the_demo_has_the_imports_sample_children_and_figures_for_the_annual_report(demo, client):
    from openpep.children.models import Child

    # The sample files, imported by the head: new children never in care, and a plan and an order for two
    # of the demo's wider cohort, who keep their one record.
    robin = Child.objects.get(local_id="SW1001")
    assert robin.care_start_date is None and robin.cohort_memberships.count() == 1
    assert CohortMembership.objects.filter(child__local_id="WC0004").count() == 2
    assert Child.objects.filter(local_id="WC0005").count() == 1
    # All but Robin are on a school's roll: the demo's one child with no school place.
    assert set(EarlyWarning.objects.filter(kind=Kind.NO_SCHOOL).values_list("child__local_id", flat=True)) == {"SW1001"}

    sign_in(client, User.objects.get(email="vs@demo.openpep.test"))
    page = client.get(reverse("dashboards:annual_report")).content.decode()
    assert "Figures for the annual report" in page and "Attendance" in page
    register = client.get(reverse("cohorts:register")).content.decode()
    assert "Robin Ashdown" in register and reverse("dashboards:annual_report") in register
