"""The Virtual School head's connected-systems pages: a token shown once, kept hashed, revocable,
its last use shown; webhooks added with their signing secret shown once."""

import hashlib
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.api.models import ApiToken, Webhook
from openpep.audit.models import AuditEntry
from tests.api.conftest import bearer
from tests.builders import Cast, cast_of, start
from tests.fixtures import make_child, sign_in


def test_a_token_is_shown_once_kept_hashed_used_and_revoked(world, client):
    sign_in(client, world.vs_admin)
    page = client.post("/admin/connected-systems/tokens/add/", {"name": "Mosaic", "scope": "read"})
    assert page.status_code == 200
    secret = re.search(r"opep_[0-9a-f]{8}_[A-Za-z0-9_-]+", page.content.decode()).group()
    token = ApiToken.objects.get(name="Mosaic")
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values()))
    assert token.local_authority == world.authority and not token.can_write
    assert AuditEntry.objects.filter(target_type="api.apitoken", actor=world.vs_admin).exists()

    listing = client.get("/admin/connected-systems/").content.decode()
    assert secret not in listing and f"opep_{token.prefix}_" in listing and "Never" in listing

    api = client.__class__()
    assert api.get("/api/v1/children/", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in client.get("/admin/connected-systems/").content.decode()

    assert client.post(f"/admin/connected-systems/tokens/{token.pk}/revoke/").status_code == 302
    assert api.get("/api/v1/children/", **bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/admin/connected-systems/").content.decode()


def test_a_tokens_principal_cannot_sign_in_and_is_named_on_the_staff_page(world, tokens, client):
    token = ApiToken.objects.get(name="Case system")
    assert not token.principal.has_usable_password()
    form = client.post(reverse("login"), {"username": token.principal.email, "password": ""})
    assert form.status_code == 200 and "_auth_user_id" not in client.session  # the form again, nobody signed in
    sign_in(client, world.vs_admin)
    assert "Case system (connected system)" in client.get("/admin/staff/").content.decode()


def test_a_form_error_keeps_what_was_typed(world, client):
    sign_in(client, world.vs_admin)
    page = client.post("/admin/connected-systems/webhooks/add/", {"name": "Mosaic", "url": "not an address"})
    html = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in html and 'value="Mosaic"' in html
    assert not Webhook.objects.exists()
    page = client.post(
        "/admin/connected-systems/webhooks/add/",
        {"name": "Mosaic", "url": "http://mosaic.example/openpep", "events": ["pep.signed_off"]},
    )
    assert "starts with https://" in page.content.decode() and not Webhook.objects.exists()


def test_a_webhook_secret_is_shown_once(world, client):
    sign_in(client, world.vs_admin)
    page = client.post(
        "/admin/connected-systems/webhooks/add/",
        {"name": "Mosaic", "url": "https://mosaic.example/openpep", "events": ["pep.signed_off", "pep.overdue"]},
    )
    webhook = Webhook.objects.get()
    assert webhook.secret in page.content.decode()
    assert webhook.events == ["pep.overdue", "pep.signed_off"]
    assert webhook.secret not in client.get("/admin/connected-systems/").content.decode()
    client.post(f"/admin/connected-systems/webhooks/{webhook.pk}/remove/")
    webhook.refresh_from_db()
    assert webhook.removed_at is not None


def _queries(client, secret, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **bearer(secret)).status_code == 200
    return len(captured)


def test_lists_take_the_same_queries_for_1_or_4_children(world, tokens, client):
    start(cast_of(world))
    _queries(client, tokens["own"], "/api/v1/children/")  # the token's first use of the minute notes it
    counts = {path: _queries(client, tokens["own"], path) for path in ("/api/v1/children/", "/api/v1/peps/")}
    for n in range(3):
        child = make_child(world.authority, world.sw, world.school, first=f"Kid{n}", local_id=f"K{n}")
        start(Cast(child, world.sw, world.dt, world.vs))
    assert {path: _queries(client, tokens["own"], path) for path in counts} == counts
