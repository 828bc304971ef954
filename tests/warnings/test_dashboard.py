"""The Virtual School dashboard's early warnings: children by kind and by school, each with its list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openpep.warnings.enums import Kind
from openpep.warnings.models import EarlyWarning
from openpep.warnings.services import raise_warnings
from tests.fixtures import make_child, sign_in

from .conftest import TODAY


def _figures(response) -> dict:
    warnings = response.context["warnings"]
    return {f.label: f.value for f in warnings["by_kind"]}, {f.label: f.value for f in warnings["by_school"]}


def test_the_dashboard_counts_children_with_warnings_by_kind_and_by_school(council, client):
    world = council.world
    raise_warnings(TODAY)
    EarlyWarning.objects.filter(child=council.severe, kind=Kind.PEP_OVERDUE).update(acknowledged_at=timezone.now())
    sign_in(client, world.vs)

    by_kind, by_school = _figures(client.get(reverse("dashboards:dashboard")))

    overdue = EarlyWarning.objects.filter(kind=Kind.PEP_OVERDUE, acknowledged_at__isnull=True).count()
    assert by_kind == {
        "Persistently absent this term": 1,
        "Severely absent this term": 1,
        "Attendance falling": 1,
        "Suspended or excluded": 1,
        "Changed school since the last PEP": 1,
        "Changed placement since the last PEP": 1,
        "No school place": 1,
        "PEP overdue": overdue,
    }
    assert overdue >= 3  # world.child, other_child, unplaced (severe's is acknowledged)
    # Oak Primary: world.child and Sev Absent; Elm Academy: Ben Other; Ash High: Mo Ver; no school: Una Placed.
    assert by_school == {"Ash High": 1, "Elm Academy": 1, "Oak Primary": 2, "Not on a school roll": 1}


def test_each_figure_lists_its_children(council, client):
    world = council.world
    raise_warnings(TODAY)
    sign_in(client, world.vs)

    def names(figure):
        response = client.get(reverse("dashboards:children"), {"figure": figure})
        assert response.status_code == 200
        return {child.full_name for child in response.context["rows"]}

    assert names("warning:persistent") == {"Amira Test"}
    assert names("warning:exclusion") == {"Ben Other"}
    assert names("warning:no_school") == {"Una Placed"}
    assert names(f"warning:school:{world.school.pk}") == {"Amira Test", "Sev Absent"}
    assert names("warning:school:0") == {"Una Placed"}
    assert client.get(reverse("dashboards:children"), {"figure": "warning:nonsense"}).status_code == 404
    assert client.get(reverse("dashboards:children"), {"figure": "warning:school:x"}).status_code == 404


@pytest.mark.parametrize("who", ["tm", "dt"])
def test_the_warnings_are_the_virtual_schools_figures(council, client, who):
    raise_warnings(TODAY)
    sign_in(client, getattr(council.world, who))

    assert client.get(reverse("dashboards:dashboard")).context["warnings"] is None
    assert client.get(reverse("dashboards:children"), {"figure": "warning:persistent"}).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_dashboard_runs_the_same_queries_for_few_or_many_warnings(council, client):
    world = council.world
    sign_in(client, world.vs)
    url = reverse("dashboards:dashboard")
    client.get(url)  # the session's first request records its activity
    raise_warnings(TODAY)
    few = _queries(client, url)
    for i in range(30):
        make_child(world.authority, world.sw, world.school if i % 2 else world.other_school, first=f"Kid{i:02d}")
    raise_warnings(TODAY)
    assert EarlyWarning.objects.count() > 35

    assert _queries(client, url) == few
    assert _queries(client, reverse("dashboards:children") + "?figure=warning:overdue") == _queries(
        client, reverse("dashboards:children") + "?figure=cohort"
    )
