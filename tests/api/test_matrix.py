"""Every API endpoint × every kind of token, as the permission matrix of the pages does for people.

A token holds its authority's Virtual School scope (through its principal), so:
- own: a read-write token of world.authority, which looks after world.child — sees and writes
  (what is open; the PEP here is a draft, so every section is);
- read_only: a read token of the same authority — sees, and is refused every write (403);
- other: a read-write token of world.other_authority, which looks after no child here — lists are
  empty and every child, PEP, meeting and target is a 404, never a hint;
- revoked: a revoked token of world.authority — 401; none: no token — 401.
The schema, its docs pages and the exchange document's JSON Schema hold no data: public.

``tests/test_permission_matrix.py`` hands every URL of the ``api`` namespace to this file:
an API URL with no row here fails ``test_every_api_url_has_a_row``.
"""

import json

import pytest
from django.urls import URLResolver, get_resolver, reverse

from openpep.plans.models import Pep
from tests.api.conftest import bearer, make_tokens
from tests.builders import (
    add_target,
    cast_of,
    complete_section_c,
    complete_section_d,
    record_meeting,
    record_views,
    start,
)

TOKENS = ("own", "read_only", "other", "revoked", "none")
PUBLIC = dict.fromkeys(TOKENS, 200)
READ_LIST = {"own": 200, "read_only": 200, "other": 200, "revoked": 401, "none": 401}
READ_ONE = {"own": 200, "read_only": 200, "other": 404, "revoked": 401, "none": 401}
WRITE_ONE = {"own": 200, "read_only": 403, "other": 404, "revoked": 401, "none": 401}

# (url name, method) -> expected status per token
API_MATRIX = {
    ("schema", "GET"): PUBLIC,
    ("docs", "GET"): PUBLIC,
    ("swagger", "GET"): PUBLIC,
    ("exchange_schema", "GET"): PUBLIC,
    # Any other path under /api/v1/ (here /api/v1/nothing/): a 404 in JSON for everyone.
    ("not_found", "GET"): dict.fromkeys(TOKENS, 404),
    ("children", "GET"): READ_LIST,
    ("child", "GET"): READ_ONE,
    ("pep_history", "GET"): READ_ONE,
    ("peps", "GET"): READ_LIST,
    ("pep", "GET"): READ_ONE,
    ("child_views", "GET"): READ_ONE,
    ("child_views", "PATCH"): WRITE_ONE,
    ("child_views", "PUT"): WRITE_ONE,
    ("arrangements", "GET"): READ_ONE,
    ("arrangements", "PATCH"): WRITE_ONE,
    ("arrangements", "PUT"): WRITE_ONE,
    ("school_section", "GET"): READ_ONE,
    ("school_section", "PATCH"): WRITE_ONE,
    ("school_section", "PUT"): WRITE_ONE,
    ("target", "GET"): READ_ONE,
    ("target", "PATCH"): WRITE_ONE,
    ("meetings", "GET"): READ_LIST,
    ("meeting", "GET"): READ_ONE,
    ("tasks", "GET"): READ_LIST,
    # An empty document is refused as not valid (400) once the token may import at all.
    ("exchange_import", "POST"): {"own": 400, "read_only": 403, "other": 400, "revoked": 401, "none": 401},
}

BODIES = {
    "child_views": {"going_well": "Football club", "how_gathered": "own_words"},
    "arrangements": {"setting": "Year 6", "full_time": True, "carer_views": "Settled"},
    "school_section": {"sen_status": "N", "education_story": "Settled in Year 6"},
    "target": {"who": "Teaching assistant"},
    "exchange_import": {},
}


def api_url_names(resolver=None, inside=False):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from api_url_names(pattern, inside or pattern.namespace == "api")
        elif inside:
            yield pattern.name


API_URL_NAMES = {f"api:{name}" for name in api_url_names()}


def test_every_api_url_has_a_row():
    assert sorted(API_URL_NAMES - {f"api:{name}" for name, _ in API_MATRIX}) == []
    assert sorted({f"api:{name}" for name, _ in API_MATRIX} - API_URL_NAMES) == []


def make_objects(world):
    cast = cast_of(world)
    pep = start(cast)
    record_views(pep, world.dt)
    complete_section_c(pep, world.sw)
    complete_section_d(pep, world.dt)
    target = add_target(pep, world.dt)
    record_meeting(pep, world.sw)
    return Pep.objects.get(pk=pep.pk), target


@pytest.fixture(scope="module")
def shared(module_world, django_db_blocker):
    """The world, its tokens and the PEP, built once for this module (tests/fixtures.py's
    ``module_transaction``); each cell runs in a savepoint rolled back after it, so a write
    (a PATCH, an import) never reaches the next cell."""
    with django_db_blocker.unblock():
        return module_world, make_tokens(module_world), make_objects(module_world)


@pytest.fixture
def world(shared, db):
    return shared[0]


@pytest.fixture
def tokens(shared, db):
    return shared[1]


@pytest.fixture
def objects(shared, db):
    return shared[2]


def _url(name, world, pep, target):
    kwargs = {}
    if name in ("child", "pep_history"):
        kwargs = {"pk": world.child.pk}
    elif name in ("pep", "child_views", "arrangements", "school_section"):
        kwargs = {"pk": pep.pk}
    elif name == "target":
        kwargs = {"pk": pep.pk, "target_id": target.pk}
    elif name == "meeting":
        kwargs = {"pk": pep.meeting.pk}
    if name == "not_found":
        return reverse("api:children") + "../nothing/"
    return reverse(f"api:{name}", kwargs=kwargs)


@pytest.mark.parametrize(
    ("name", "method", "token"), [(n, m, t) for (n, m) in API_MATRIX for t in TOKENS], ids=lambda value: str(value)
)
def test_api_answers_each_token_as_the_matrix_says(name, method, token, world, tokens, objects, client):
    pep, target = objects
    url = _url(name, world, pep, target)
    headers = bearer(tokens[token]) if token != "none" else {}
    if method in ("PATCH", "PUT"):
        headers["HTTP_IF_MATCH"] = '"1"'  # every section was saved once
        body = BODIES[name]
        if method == "PUT" and name == "school_section":
            body = {**body, "suspensions": 0}
        response = getattr(client, method.lower())(url, json.dumps(body), content_type="application/json", **headers)
    elif method == "POST":
        response = client.post(url, json.dumps(BODIES[name]), content_type="application/json", **headers)
    else:
        response = client.get(url, **headers)

    assert response.status_code == API_MATRIX[(name, method)][token], response.content[:500]
    # (Tasks need the council's term dates to have due dates: their content is tested with the demo's.)
    if response.status_code == 200 and name in ("children", "peps", "meetings"):
        results = response.json()["results"]
        assert bool(results) == (token != "other"), "another authority's token sees none of it"
