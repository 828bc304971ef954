"""Refused requests leave a trace (issue 15, point 12): asking for a child, PEP or meeting that
exists but is not yours — on any page or through the API — is answered exactly as a record that
does not exist, and recorded as a refusal (``Verb.REFUSED``) with the child it was about, so that
many of them raise an unusual-access alert. Nothing is recorded for what is in scope, nor for ids
that name nothing."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.api import services as api_services
from openpep.api.enums import Scope
from openpep.audit.models import AuditEntry
from openpep.plans.models import Pep
from tests.api.conftest import bearer
from tests.builders import add_target, cast_of, schedule_meeting, start
from tests.fixtures import sign_in
from tests.test_permission_matrix import GET, OWN, PARAMS, _url

# Every page that names a child or a PEP, and that the matrix says an outsider is answered 404.
PAGES = sorted(
    name
    for name, columns in GET.items()
    if OWN in columns and {"child_id", "pep_id"} & set(PARAMS[name]) and columns[OWN]["dt_other"] == 404
)
API = [
    "api:child",
    "api:pep_history",
    "api:pep",
    "api:child_views",
    "api:arrangements",
    "api:school_section",
    "api:target",
    "api:meeting",
]


@pytest.fixture
def tokens(world):
    """A token of the world's authority, and one of the other authority."""
    _, own = api_services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ)
    _, other = api_services.create_token(world.vs_admin, world.other_authority, name="Elsewhere", scope=Scope.READ)
    return {"own": own, "other": other}


def _refusals(user):
    return list(AuditEntry.objects.filter(actor=user, verb="refused").values_list("child_id", "pep_id", "summary"))


def test_the_matrix_still_lists_the_pages():
    assert len(PAGES) > 20


@pytest.mark.parametrize("name", PAGES)
def test_every_page_naming_another_schools_child_or_pep_records_the_refusal(name, world, client, tally):
    url = _url(name, OWN, world)
    sign_in(client, world.dt_other)

    assert client.get(url).status_code == 404

    [refusal] = AuditEntry.objects.filter(actor=world.dt_other, verb="refused")
    assert refusal.child_id == world.child.pk
    assert refusal.summary == f"Refused (not theirs to see): {url}"
    if "pep_id" in PARAMS[name]:
        assert Pep.objects.get(pk=refusal.pep_id).child_id == world.child.pk
    tally("pages asked for another school's child or PEP", 1)


def _without_nonce(html: bytes) -> str:
    # What differs between any two pages: the nonce, the CSRF token, the session's idle time left.
    return re.sub(
        r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|data-session-[a-z-]+="[^"]*"', "", html.decode()
    )


def test_a_refused_record_is_answered_exactly_as_one_that_does_not_exist(world, client, tally):
    pep = start(cast_of(world))
    sign_in(client, world.dt_other)
    pairs = [
        (reverse("children:detail", args=[world.child.pk]), reverse("children:detail", args=[999999])),
        (reverse("plans:detail", args=[pep.pk]), reverse("plans:detail", args=[999999])),
    ]
    for refused_url, missing_url in pairs:
        refused, missing = client.get(refused_url), client.get(missing_url)
        # The same page, but for the address it names (the session-timeout form's "next").
        shown = _without_nonce(refused.content).replace(refused_url, missing_url)
        assert (refused.status_code, shown) == (404, _without_nonce(missing.content))
    # Only the record that exists is a refusal: an id that names nothing is no one's child.
    assert [child for child, _, _ in _refusals(world.dt_other)] == [world.child.pk, world.child.pk]
    tally("refused and missing records compared", len(pairs))


def test_another_councils_token_asking_for_this_councils_records_is_recorded(world, client, tokens, tally):
    pep = start(cast_of(world))
    target = add_target(pep, world.dt)
    meeting = schedule_meeting(pep, world.sw)
    token = bearer(tokens["other"])
    for name in API:
        asked = {"api:child": world.child.pk, "api:pep_history": world.child.pk, "api:meeting": meeting.pk}
        args = [asked.get(name, pep.pk)] + ([target.pk] if name == "api:target" else [])
        response = client.get(reverse(name, args=args), **token)
        missing = client.get(reverse(name, args=[999999, *args[1:]]), **token)
        assert (response.status_code, response.json()) == (404, missing.json()), name
    principal = AuditEntry.objects.filter(verb="refused").values_list("actor", flat=True).first()
    refusals = _refusals(principal)
    assert len(refusals) == len(API)
    assert {child for child, _, _ in refusals} == {world.child.pk}
    assert [p for _, p, _ in refusals].count(pep.pk) == 6  # the child's two have none
    tally("API routes asked for another council's record", len(API))


def test_nothing_in_scope_is_recorded_as_refused(world, client, tokens):
    pep = start(cast_of(world))
    target = add_target(pep, world.dt)
    sign_in(client, world.dt)
    # Pages of one's own child, an id that names nothing, and a 404 for something else on the
    # page of one's own PEP (a target that is not there).
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200
    assert client.get(reverse("children:detail", args=[999999])).status_code == 404
    assert client.get(reverse("plans:target_edit", args=[pep.pk, target.pk + 1000])).status_code == 404
    assert client.get(reverse("api:pep", args=[999999]), **bearer(tokens["own"])).status_code == 404
    assert client.get(reverse("api:target", args=[pep.pk, 999999]), **bearer(tokens["own"])).status_code == 404

    assert not AuditEntry.objects.filter(verb="refused").exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries]


def test_a_request_in_scope_costs_no_query_for_the_refusals(world, settings):
    url = reverse("children:detail", args=[world.child.pk])
    with_it = Client()
    sign_in(with_it, world.dt)
    with_it.get(url)
    counted = len(_queries(with_it, url))

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "openpep.watch.middleware.RefusalMiddleware"]
    without = Client()
    sign_in(without, world.dt)
    without.get(url)

    assert len(_queries(without, url)) == counted


@pytest.mark.parametrize("user", ["dt_other", "sw_other", "vs_other", "nobody"])
def test_each_outsider_is_recorded(world, client, user, tally):
    outsider = getattr(world, user)
    sign_in(client, outsider)
    client.get(reverse("children:detail", args=[world.child.pk]))
    assert [child for child, _, _ in _refusals(outsider)] == [world.child.pk]
    tally("outsiders asking for a child", 1)
