"""Every SCIM endpoint × every kind of caller, as the permission matrix of the pages does for people.

- own: the live token of world.authority, whose staff world.sw is and whose group the object is;
- other: the live token of world.other_authority — its lists hold none of world.authority's people,
  and world.sw and the group are a 404, as if they did not exist;
- revoked: world.authority's previous token; none: no token; session: the Virtual School head's
  signed-in browser session without a token — 401 each: a session never reaches the SCIM API.

``tests/test_permission_matrix.py`` hands every URL of the ``scim`` namespace to this file: a SCIM
URL with no row here fails ``test_every_scim_url_has_a_row``.
"""

import json

import pytest
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse

from openpep.scim import services
from tests.fixtures import sign_in
from tests.scim.conftest import GROUPS, bearer, make_tokens

CALLERS = ("own", "other", "revoked", "none", "session")
REFUSED = {"revoked": 401, "none": 401, "session": 401}
LIST = {"own": 200, "other": 200, **REFUSED}
ONE = {"own": 200, "other": 404, **REFUSED}

# (url name, method) -> expected status per caller
SCIM_MATRIX = {
    ("service_provider_config", "GET"): LIST,
    ("users", "GET"): LIST,
    ("users", "POST"): {"own": 201, "other": 201, **REFUSED},  # each makes a person of its own
    ("user", "GET"): ONE,
    ("user", "PUT"): ONE,
    ("user", "PATCH"): ONE,
    ("user", "DELETE"): {"own": 204, "other": 404, **REFUSED},
    ("groups", "GET"): LIST,
    # The group's name is mapped for world.authority only: another council may not make it.
    ("groups", "POST"): {"own": 201, "other": 400, **REFUSED},
    ("group", "GET"): ONE,
    ("group", "PUT"): ONE,
    ("group", "PATCH"): ONE,
    ("group", "DELETE"): {"own": 204, "other": 404, **REFUSED},
}


def scim_url_names(resolver=None, inside=False):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from scim_url_names(pattern, inside or pattern.namespace == "scim")
        elif inside:
            yield pattern.name


SCIM_URL_NAMES = {f"scim:{name}" for name in scim_url_names()}


def test_every_scim_url_has_a_row():
    assert sorted(SCIM_URL_NAMES - {f"scim:{name}" for name, _ in SCIM_MATRIX}) == []
    assert sorted({f"scim:{name}" for name, _ in SCIM_MATRIX} - SCIM_URL_NAMES) == []


@pytest.fixture(scope="module")
def shared(module_world, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(SCIM_GROUPS=GROUPS):
        tokens = make_tokens(module_world)
        group = services.create_group(tokens["own_token"], "OpenPEP Virtual School", [module_world.sw])
        return module_world, tokens, group


def body(name, world, method):
    if name in ("user", "users"):
        email = world.sw.email if name == "user" else "new.person@testshire.example"
        if method == "PATCH":
            return {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "title", "value": "Senior social worker"}],
            }
        return {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": email,
            "displayName": "Sam Worker",
            "active": True,
        }
    if method == "PATCH":
        return {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": str(world.tm.pk)}]}],
        }
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "displayName": "OpenPEP social workers North" if method == "POST" else "OpenPEP Virtual School",
        "members": [{"value": str(world.sw.pk)}],
    }


@pytest.mark.parametrize(
    ("name", "method", "caller"), [(n, m, c) for (n, m) in SCIM_MATRIX for c in CALLERS], ids=lambda value: str(value)
)
def test_scim_answers_each_caller_as_the_matrix_says(name, method, caller, shared, db, client):
    world, tokens, group = shared
    kwargs = {"user": {"pk": world.sw.pk}, "group": {"pk": group.pk}}.get(name, {})
    url = reverse(f"scim:{name}", kwargs=kwargs)
    headers = {}
    if caller in ("own", "other", "revoked"):
        headers = bearer(tokens[caller])
    elif caller == "session":
        sign_in(client, world.vs_admin)
    if method in ("POST", "PUT", "PATCH"):
        data = json.dumps(body(name, world, method))
        response = getattr(client, method.lower())(url, data, content_type="application/scim+json", **headers)
    else:
        response = getattr(client, method.lower())(url, **headers)
    assert response.status_code == SCIM_MATRIX[(name, method)][caller], response.content[:500]
    assert response.status_code == 204 or response["Content-Type"] == "application/scim+json"
    if name == "users" and method == "GET" and response.status_code == 200:
        emails = {resource["userName"] for resource in response.json()["Resources"]}
        assert (world.sw.email in emails) == (caller == "own"), "another council's token sees none of them"
