"""A connected system syncs the demo cohort with one token; another council's token sees none of it."""

import datetime
import json

import pytest
from django.utils import timezone

from openpep.api import services
from openpep.api.enums import Scope
from openpep.children.models import Child
from openpep.plans.due import refresh_open_pep_clocks
from openpep.plans.models import Pep
from tests.api.conftest import bearer
from tests.builders import add_target, cast_of, complete_section_d, start


def sync(client, path, secret, **params):
    """Every page of a list, as a system would fetch it."""
    found, url = [], path
    query = {**params, "page_size": 20}
    while url:
        response = client.get(url, query, **bearer(secret))
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        found += body["results"]
        url, query = body["next"], {}
    return found


@pytest.mark.django_db
def test_one_token_syncs_the_demo_cohort_and_another_councils_sees_none_of_it(client, demo_snapshot):
    demo = demo_snapshot.load()  # as build_demo() leaves it, built once for the run (tests/fixtures.py)
    refresh_open_pep_clocks()  # as the worker does (inside a test's transaction, nothing commits)
    authority = demo["authority"]
    head = demo["users"]["vsadmin"]
    _, secret = services.create_token(head, authority, name="Case system", scope=Scope.READ)
    other = next(a for a in demo["authorities"].values() if a != authority)
    _, other_secret = services.create_token(head, other, name="Elsewhere", scope=Scope.READ)

    children = sync(client, "/api/v1/children/", secret)
    peps = sync(client, "/api/v1/peps/", secret)
    meetings = sync(client, "/api/v1/meetings/", secret)
    tasks = sync(client, "/api/v1/tasks/", secret)

    cohort = Child.objects.filter(local_authority=authority)
    assert sorted(c["id"] for c in children) == sorted(cohort.values_list("pk", flat=True))
    assert sorted(p["id"] for p in peps) == sorted(Pep.objects.filter(child__in=cohort).values_list("pk", flat=True))
    assert meetings and tasks
    assert {t["pep"] for t in tasks} <= {p["id"] for p in peps}
    # Never a carer's name or a placement's address, anywhere in what was synced.
    text = json.dumps([children, peps, meetings])
    assert all(f'"{key}":' not in text for key in ("carer_name", "venue", "notes", "attendees"))
    for placement_carer in cohort.values_list("placements__carer_name", flat=True):
        if placement_carer:
            assert placement_carer not in text

    for path in ("/api/v1/children/", "/api/v1/peps/", "/api/v1/meetings/", "/api/v1/tasks/"):
        assert sync(client, path, other_secret) == []
    some_pep = peps[0]["id"]
    assert client.get(f"/api/v1/peps/{some_pep}/", **bearer(other_secret)).status_code == 404
    assert client.get(f"/api/v1/children/{children[0]['id']}/", **bearer(other_secret)).status_code == 404


def test_updated_since_returns_what_changed_including_a_removed_target(world, client):
    _, secret = services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ)
    mine = start(cast_of(world))
    theirs = start(cast_of(world, world.other_child))
    target = add_target(mine, world.dt)
    since = timezone.now()
    assert sync(client, "/api/v1/peps/", secret, updated_since=since.isoformat()) == []

    complete_section_d(theirs, world.dt_other)
    changed = sync(client, "/api/v1/peps/", secret, updated_since=since.isoformat())
    assert [p["id"] for p in changed] == [theirs.pk]

    later = timezone.now()
    from openpep.plans import services as plan_services

    plan_services.remove_target(world.dt, mine, target)
    changed = sync(client, "/api/v1/peps/", secret, updated_since=later.isoformat())
    assert [p["id"] for p in changed] == [mine.pk] and changed[0]["targets"] == []

    bad = client.get("/api/v1/peps/", {"updated_since": "yesterday"}, **bearer(secret))
    assert bad.status_code == 400
    assert "updated_since" in bad.json()["detail"]

    # An offset Python takes and PostgreSQL does not (found by schemathesis): the same moment, in UTC.
    odd = later.astimezone(datetime.timezone(-datetime.timedelta(hours=21, minutes=12)))
    changed = sync(client, "/api/v1/peps/", secret, updated_since=odd.isoformat())
    assert [p["id"] for p in changed] == [mine.pk]
    far = client.get("/api/v1/peps/", {"updated_since": "9999-12-31T23:59:59-21:12"}, **bearer(secret))
    assert far.status_code == 400


def test_the_rate_limit_answers_429(world, client, settings):
    _, secret = services.create_token(world.vs_admin, world.authority, name="Busy", scope=Scope.READ)
    from openpep.api.auth import TokenRateThrottle

    TokenRateThrottle.cache.clear()
    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {"token": "3/minute"}
    try:
        answers = [client.get("/api/v1/children/", **bearer(secret)).status_code for _ in range(4)]
    finally:
        TokenRateThrottle.THROTTLE_RATES = original
        TokenRateThrottle.cache.clear()
    assert answers == [200, 200, 200, 429]
