"""Request bodies of the API: too deep or too large is refused as the API's JSON error, and every
error of the API (unknown address, wrong method, a crash) is JSON, never an HTML page."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import get_resolver

from openpep.api import services
from openpep.api.enums import Scope
from openpep.audit.models import AuditEntry
from openpep.children.models import Child
from openpep.plans.models import ChildViews
from tests.api.conftest import bearer
from tests.builders import cast_of, start


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def secret(world):
    _, secret = services.create_token(world.vs_admin, world.authority, name="Case system", scope=Scope.READ_WRITE)
    return secret


def _json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail"}
    return body


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_a_deeply_nested_section_write_is_a_json_400_and_writes_nothing(world, client, secret, depth):
    pep = start(cast_of(world))
    before = AuditEntry.objects.count()
    body = '{"going_well": ' + nested(depth) + "}"

    response = client.put(
        f"/api/v1/peps/{pep.pk}/child-views/", body, content_type="application/json", **bearer(secret)
    )

    assert "nested more than 32 deep" in _json_error(response, 400)["detail"]
    assert not ChildViews.objects.filter(pep=pep).exists()
    assert AuditEntry.objects.count() == before


def test_a_deeply_nested_exchange_document_is_a_json_400_and_imports_nothing(world, client, secret):
    before = Child.objects.count()
    body = '{"format": "openpep-pep-history", "child": ' + nested(50_000) + "}"

    response = client.post("/api/v1/exchange/import/", body, content_type="application/json", **bearer(secret))

    assert "nested more than 32 deep" in _json_error(response, 400)["detail"]
    assert Child.objects.count() == before


def test_nesting_within_the_limit_is_parsed(world, client, secret):
    pep = start(cast_of(world))
    body = {"going_well": "Reading", "how_gathered": "own_words", "extra": json.loads(nested(30))}

    response = client.put(
        f"/api/v1/peps/{pep.pk}/child-views/", json.dumps(body), content_type="application/json", **bearer(secret)
    )

    assert response.status_code == 201, response.content
    assert ChildViews.objects.get(pep=pep).going_well == "Reading"


def test_brackets_inside_strings_are_not_nesting(world, client, secret):
    pep = start(cast_of(world))
    text = "[[[[" * 20 + '\\"{{' * 20

    response = client.put(
        f"/api/v1/peps/{pep.pk}/child-views/",
        '{"how_gathered": "own_words", "going_well": "' + text + '"}',
        content_type="application/json",
        **bearer(secret),
    )

    assert response.status_code == 201, response.content
    assert ChildViews.objects.get(pep=pep).going_well == json.loads('"' + text + '"')


def test_a_body_too_large_is_a_json_413_and_writes_nothing(world, client, secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    pep = start(cast_of(world))
    before = AuditEntry.objects.count()
    body = json.dumps({"going_well": "x" * 20_000})

    response = client.put(
        f"/api/v1/peps/{pep.pk}/child-views/", body, content_type="application/json", **bearer(secret)
    )

    assert "larger than" in _json_error(response, 413)["detail"]
    assert not ChildViews.objects.filter(pep=pep).exists()
    assert AuditEntry.objects.count() == before


def test_an_exchange_document_too_large_is_a_json_413(world, client, secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = Child.objects.count()
    body = json.dumps({"format": "openpep-pep-history", "padding": "x" * 20_000})

    response = client.post("/api/v1/exchange/import/", body, content_type="application/json", **bearer(secret))

    _json_error(response, 413)
    assert Child.objects.count() == before


def test_a_body_that_is_not_json_is_a_json_400(world, client, secret):
    pep = start(cast_of(world))
    response = client.put(
        f"/api/v1/peps/{pep.pk}/child-views/", "{not json", content_type="application/json", **bearer(secret)
    )
    _json_error(response, 400)


def test_an_unknown_address_and_a_wrong_method_are_json(world, client, secret):
    _json_error(client.get("/api/v1/no-such-thing/", **bearer(secret)), 404)
    _json_error(client.delete("/api/v1/children/", **bearer(secret)), 405)
    _json_error(client.post("/api/v1/exchange/import/x", "{}", content_type="application/json"), 404)
    _json_error(client.get("/api/v2/children/", **bearer(secret)), 404)
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_crash_in_the_api_is_a_json_500_and_on_a_page_the_html_one(rf):
    handler = get_resolver().resolve_error_handler(500)

    api = handler(rf.get("/api/v1/children/"))
    page = handler(rf.get("/children/"))

    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert set(json.loads(api.content)) == {"detail"}
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_deeply_nested_file_is_refused_by_the_import_command_and_imports_nothing(world, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"child": ' + nested(100_000) + "}")
    before = Child.objects.count()

    with pytest.raises(CommandError, match="nested more than 32 deep"):
        call_command("import_pep_history", str(path), "--authority", world.authority.code)

    assert Child.objects.count() == before


def test_a_file_too_large_is_refused_by_the_import_command(world, tmp_path, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    path = tmp_path / "large.json"
    path.write_text(json.dumps({"padding": "x" * 20_000}))

    with pytest.raises(CommandError, match="larger than 10,000 bytes"):
        call_command("import_pep_history", str(path), "--authority", world.authority.code)
