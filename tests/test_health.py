"""``/healthz/``: the proxy's health check and the benchmark's trivial view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_after_asking_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_healthz_changes_nothing(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_connections_run_without_jit():
    # JIT compiled the dashboard's generated queries for tens of seconds (docs/deployment.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_healthz_answers_plain_http_where_production_redirects_to_https(client, settings):
    """A health check sent straight to gunicorn is plain HTTP; it gets 200, not the redirect."""
    settings.SECURE_SSL_REDIRECT = True  # production's (the test server speaks HTTP)

    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"

    elsewhere = client.get(reverse("login"))
    assert elsewhere.status_code == 301
    assert elsewhere["Location"] == "https://testserver/sign-in/"
    assert client.get("/healthz/extra/").status_code == 301  # the exemption is the one path
