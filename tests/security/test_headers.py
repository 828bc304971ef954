"""Every response carries the security headers: a public page, a signed-in page, an error page
and a static file (served by WhiteNoise, which answers before most middleware). HSTS is sent on
HTTPS only (a browser ignores it over HTTP), so these requests are made as HTTPS."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from tests.fixtures import sign_in

TEMPLATES = Path(settings.BASE_DIR) / "openpep" / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["script-src"][0] == "'self'"
    assert all(source.startswith("'nonce-") for source in csp["script-src"][1:])
    return csp


def assert_page_nonce(response):
    """The page's one inline script carries the nonce the policy names, fresh for each response."""
    csp = assert_security_headers(response)
    assert response["X-Frame-Options"] == "DENY"  # for browsers older than frame-ancestors
    nonces = re.findall(r"<script nonce=\"([^\"]+)\">", response.content.decode())
    assert len(nonces) == 1
    assert csp["script-src"] == ["'self'", f"'nonce-{nonces[0]}'"]
    return nonces[0]


@pytest.mark.django_db
def test_public_page(client):
    response = client.get(reverse("login"), secure=True)

    assert response.status_code == 200
    first = assert_page_nonce(response)
    assert assert_page_nonce(client.get(reverse("login"), secure=True)) != first


def test_signed_in_page_is_not_stored(client, world):
    sign_in(client, world.sw)

    response = client.get(reverse("children:list"), secure=True)

    assert response.status_code == 200
    assert_page_nonce(response)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= cache_control


def test_error_page(client, world):
    sign_in(client, world.sw)

    response = client.get("/no-such-page/", secure=True)

    assert response.status_code == 404
    assert_page_nonce(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_static_file(client):
    response = client.get(static("govuk/govuk-frontend.min.css"), secure=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    csp = assert_security_headers(response)
    assert csp["script-src"] == ["'self'"]  # no page, no nonce


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, settings):
    """The test server speaks HTTP (OPENPEP_INSECURE_HTTP=true); production redirects."""
    settings.SECURE_SSL_REDIRECT = True

    response = client.get(reverse("login"))

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/sign-in/"


def served_templates():
    """Templates of pages (not e-mails or PDFs — the documents' and My plan's — which no browser
    renders under the policy)."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if "/email/" in relative or relative.startswith("documents/pdf/") or relative == "myplan/pdf.html":
            continue
        yield relative, path.read_text()


def test_no_template_has_inline_script_style_or_event_handler():
    found = []
    for name, text in served_templates():
        for match in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", text):
            found.append(f"{name}: {match.group(0)}")
    assert found == []
    assert len(list(served_templates())) > 50
