"""Signing in with a council's own account against the real OpenID Connect provider the tests start on
127.0.0.1 (``synthetic.sso_provider``, the session fixture ``oidc_provider`` of tests/fixtures.py): the
provider's directory, and what a person's browser does — OpenPEP's pages through the Django test client,
the provider's over HTTP."""

from urllib.parse import parse_qs, urlencode, urlparse

import requests
from django.urls import reverse

from synthetic.sso_provider import demo as demo_council

CALLBACK = "http://testserver/sign-in/council/callback/"
DOMAIN = "testshire.example"
PROVIDER_PASSWORD = "council-password-1"
# The council's directory: who the provider knows, and how they sign in there. Its groups: "mfa" (the
# ID token's amr says multi-factor), "disabled" (refused at the council), "clock-ahead" (tokens issued a
# minute in OpenPEP's future); synthetic/sso_provider/hooks.py.
PROVIDER_USERS = [
    {"email": f"mfa.worker@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"plain.worker@{DOMAIN}", "password": PROVIDER_PASSWORD},
    {"email": f"leaver@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa", "disabled"]},
    {"email": f"stranger@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"dormant@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
    {"email": f"skewed.worker@{DOMAIN}", "password": PROVIDER_PASSWORD, "groups": ["mfa", "clock-ahead"]},
    # Someone the provider would vouch for under another council's domain: not the provider's to vouch for.
    {"email": "dt@test.example", "password": PROVIDER_PASSWORD, "groups": ["mfa"]},
]
# The council staff of tests/fixtures.py's world (Testshire's, at test.example) whose permission-matrix
# and security-suite sessions are made by signing in here (``council_sessions``), with multi-factor.
MATRIX_ROLES = ("sw", "sw_other", "tm", "vs", "vs_admin", "iro")
MATRIX_EMAILS = ["sw@test.example", "sw2@test.example", "tm@test.example", "vs@test.example", "vsh@test.example"]
MATRIX_EMAILS += ["iro@test.example"]
PROVIDER_USERS += [{"email": email, "password": PROVIDER_PASSWORD, "groups": ["mfa"]} for email in MATRIX_EMAILS]
# The demo's second council's directory as well, with its own passwords (tests/sso/test_demo_council.py).
PROVIDER_USERS += demo_council.USERS


def start(client, email, next_url="/children/"):
    """OpenPEP's sign-in page with the e-mail alone: the answer sends the browser to the provider."""
    response = client.post(f"{reverse('login')}?{urlencode({'next': next_url})}", {"username": email, "password": ""})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def at_the_provider(authorize_url, email, password=PROVIDER_PASSWORD) -> str:
    """What a person's browser does at the provider: its sign-in page, then the authorization, until
    the provider sends them back to OpenPEP. Returns that address (OpenPEP's callback)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        if url.startswith(CALLBACK):
            return url
        answer = browser.get(url, allow_redirects=False, timeout=10)
        if answer.status_code == 200 and "Sign in to your council account" in answer.text:
            answer = browser.post(
                answer.url,
                {
                    "username": email,
                    "password": password,
                    "next": parse_qs(urlparse(answer.url).query)["next"][0],
                    "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
                },
                allow_redirects=False,
                timeout=10,
            )
        assert answer.status_code == 302, answer.text[:500]
        url = requests.compat.urljoin(url, answer.headers["Location"])
    raise AssertionError("the provider never sent the browser back")


def back_at_openpep(client, callback_url):
    return client.get(callback_url.removeprefix("http://testserver"))


def sign_in_with_council(client, email, next_url="/children/", password=PROVIDER_PASSWORD):
    return back_at_openpep(client, at_the_provider(start(client, email, next_url), email, password))
