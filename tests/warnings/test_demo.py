"""The demo shows early warnings at once: raised from its own registers, schools and PEPs."""

import datetime

import pytest
from django.urls import reverse

from openpep.attendance.enums import academic_year
from openpep.people.models import User
from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning
from openpep.warnings.services import raise_warnings
from tests.fixtures import sign_in


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks, demo_snapshot):
    with django_capture_on_commit_callbacks():
        return demo_snapshot.load()  # built once for the run (tests/fixtures.py)


def test_the_demo_has_warnings_of_attendance_exclusion_and_overdue_plans(demo, client):
    kinds = set(EarlyWarning.objects.values_list("kind", flat=True))

    assert {Kind.PERSISTENT_ABSENCE, Kind.EXCLUSION, Kind.PEP_OVERDUE, Kind.SCHOOL_CHANGE} <= kinds
    autumn = datetime.date(academic_year(demo["today"]), 9, 1)
    if 60 < (demo["today"] - autumn).days < 100:  # well into the autumn term: Alfie's and Zara's registers tell
        assert {Kind.SEVERE_ABSENCE, Kind.ATTENDANCE_FALL} <= kinds
    assert raise_warnings(demo["today"]) == []  # raised once: the worker's first run adds none
    vs = User.objects.get(email="vs@demo.openpep.test")
    sign_in(client, vs)
    tasks = client.get(reverse("reminders:tasks")).content.decode()
    assert "Early warnings" in tasks and "Persistently absent this term" in tasks
    dashboard = client.get(reverse("dashboards:dashboard"))
    assert sum(f.value for f in dashboard.context["warnings"]["by_kind"]) > 0
