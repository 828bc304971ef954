"""API reads are audited as the pages' are (issue 15, point 4): one entry per record read, with
its child and PEP, written in one INSERT per page, so each child's trail shows the connected
system and the unusual-access alerts count it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.api.models import ApiToken
from openpep.audit.models import AuditEntry
from openpep.audit.queries import history_of_child
from openpep.watch.models import AccessAlert
from openpep.watch.services import raise_unusual_access_alerts
from tests.api.conftest import bearer
from tests.builders import Cast, add_target, cast_of, record_views, schedule_meeting, start
from tests.fixtures import make_child


def _reads(principal):
    return list(
        AuditEntry.objects.filter(actor=principal, verb="viewed")
        .order_by("pk")
        .values_list("target_type", "target_id", "child_id", "pep_id")
    )


def _principal(world):
    return ApiToken.objects.get(local_authority=world.authority, name="Case system").principal


def test_a_token_listing_children_writes_one_entry_per_child_it_was_given(world, client, tokens):
    principal = _principal(world)

    response = client.get(reverse("api:children"), **bearer(tokens["own"]))

    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [world.child.pk, world.other_child.pk]
    assert _reads(principal) == [("children.child", str(pk), pk, None) for pk in ids]
    entry = AuditEntry.objects.filter(actor=principal).first()
    assert entry.summary == "Read a list of children through the API"
    # The child's own trail shows it, as it shows a page view.
    assert history_of_child(world.child.pk).filter(actor=principal, verb="viewed").count() == 1


def test_a_token_writes_entries_only_for_the_page_it_was_given(world, client, tokens):
    principal = _principal(world)

    client.get(reverse("api:children"), {"page_size": 1, "page": 2}, **bearer(tokens["own"]))

    assert _reads(principal) == [("children.child", str(world.other_child.pk), world.other_child.pk, None)]


def test_a_token_listing_and_reading_peps_writes_an_entry_for_each_pep(world, client, tokens):
    cast = cast_of(world)
    pep = start(cast)
    record_views(pep, world.dt)
    target = add_target(pep, world.dt)
    meeting = schedule_meeting(pep, world.sw)
    principal = _principal(world)
    secret = tokens["own"]

    assert client.get(reverse("api:peps"), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:pep", args=[pep.pk]), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:child", args=[world.child.pk]), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:child_views", args=[pep.pk]), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:target", args=[pep.pk, target.pk]), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:meetings"), **bearer(secret)).status_code == 200
    assert client.get(reverse("api:pep_history", args=[world.child.pk]), **bearer(secret)).status_code == 200

    child = world.child.pk
    assert _reads(principal) == [
        ("plans.pep", str(pep.pk), child, pep.pk),
        ("plans.pep", str(pep.pk), child, pep.pk),
        ("children.child", str(child), child, None),
        ("plans.childviews", str(pep.child_views.pk), child, pep.pk),
        ("plans.target", str(target.pk), child, pep.pk),
        ("meetings.meeting", str(meeting.pk), child, pep.pk),
        ("children.child", str(child), child, None),
    ]
    summaries = list(AuditEntry.objects.filter(actor=principal).order_by("pk").values_list("summary", flat=True))
    assert summaries[0] == "Read a list of PEPs through the API"
    assert summaries[3] == "Read Section B – Child's views of a PEP through the API"
    assert summaries[-1] == "Read the child's whole PEP history through the API"


def test_a_refused_or_failed_read_writes_no_read(world, client, tokens):
    principal = _principal(world)

    assert client.get(reverse("api:child", args=[999999]), **bearer(tokens["own"])).status_code == 404
    assert (
        client.get(reverse("api:children"), {"updated_since": "nonsense"}, **bearer(tokens["own"])).status_code == 400
    )

    assert _reads(principal) == []


def _list_queries(client, secret, name):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), **bearer(secret)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["api:children", "api:peps"])
def test_the_audit_of_a_list_costs_the_same_queries_for_one_record_or_many(world, client, tokens, name):
    cast = cast_of(world)
    start(cast)
    _list_queries(client, tokens["own"], name)  # the first use of a token also notes when it was used
    few = _list_queries(client, tokens["own"], name)
    for i in range(3):
        child = make_child(world.authority, world.sw, world.school, first=f"More{i}")
        start(Cast(child, world.sw, world.dt, world.vs))

    assert _list_queries(client, tokens["own"], name) == few


def test_a_token_reading_more_children_than_the_threshold_raises_an_alert(world, client, tokens, settings):
    settings.UNUSUAL_ACCESS_CHILDREN = 3
    for i in range(2):
        make_child(world.authority, world.sw, world.school, first=f"More{i}")
    client.get(reverse("api:children"), **bearer(tokens["own"]))  # four children

    [alert] = raise_unusual_access_alerts()

    assert (alert.person, alert.local_authority, alert.kind, alert.children) == (
        _principal(world),
        world.authority,
        "reads",
        4,
    )


def test_a_token_reading_up_to_the_threshold_raises_nothing(world, client, tokens, settings):
    settings.UNUSUAL_ACCESS_CHILDREN = 2
    client.get(reverse("api:children"), **bearer(tokens["own"]))  # two children
    client.get(reverse("api:child", args=[world.child.pk]), **bearer(tokens["own"]))  # one of them again

    assert raise_unusual_access_alerts() == []
    assert not AccessAlert.objects.exists()
