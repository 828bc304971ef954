"""ETag / If-Match: an integration never overwrites a person's newer edit."""

import json

from openpep.audit.models import AuditEntry
from openpep.plans.models import ChildViews
from tests.api.conftest import bearer
from tests.builders import cast_of, record_views, start
from tests.fixtures import sign_in


def patch(client, url, body, secret, if_match=None):
    headers = bearer(secret)
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_a_stale_if_match_is_412_and_keeps_the_persons_edit(world, tokens, client):
    pep = start(cast_of(world))
    record_views(pep, world.dt, going_well="Reading with my carer")
    url = f"/api/v1/peps/{pep.pk}/child-views/"
    read = client.get(url, **bearer(tokens["own"]))
    assert read["ETag"] == '"1"'

    # The Designated Teacher saves in the meantime, through the page.
    sign_in(client, world.dt)
    views = ChildViews.objects.get(pep=pep)
    from openpep.plans import services
    from openpep.plans.enums import Section

    views.going_well = "Swimming club"
    services.save_section(world.dt, pep, views, section=Section.B, expected_version=1)

    stale = patch(client, url, {"going_well": "From the case system"}, tokens["own"], read["ETag"])
    assert stale.status_code == 412
    assert stale.json()["current"]["going_well"] == "Swimming club"
    assert ChildViews.objects.get(pep=pep).going_well == "Swimming club"

    assert patch(client, url, {"going_well": "x"}, tokens["own"]).status_code == 428
    assert patch(client, url, {"going_well": "x"}, tokens["own"], "yesterday").status_code == 400

    fresh = patch(client, url, {"going_well": "From the case system"}, tokens["own"], '"2"')
    assert fresh.status_code == 200 and fresh["ETag"] == '"3"'
    assert ChildViews.objects.get(pep=pep).going_well == "From the case system"
    entry = AuditEntry.objects.filter(pep_id=pep.pk).first()
    assert entry.actor.api_token.name == "Case system" and entry.after == {"going_well": "From the case system"}


def test_a_token_writes_only_what_is_open(world, tokens, client):
    """A submitted PEP's sections are closed to everyone, a connected system too (403)."""
    from openpep.plans.enums import Status
    from tests.builders import pep_in

    pep = pep_in(cast_of(world), Status.SUBMITTED)
    response = patch(client, f"/api/v1/peps/{pep.pk}/child-views/", {"hard": "x"}, tokens["own"], '"1"')
    assert response.status_code == 403
