"""The demo's second council, Northmere, whose staff sign in with their council account: OpenPEP's side
(``openpep.demo``'s ``SSO_*``, built with the demo) and its provider's (synthetic/sso_provider/demo.py,
which ``make run`` starts, and the configuration it gives OpenPEP) agree, the README lists the accounts,
and those staff sign in through a real provider with the council's directory. No demo build of its own:
the run's ``demo_snapshot`` says the demo has the council, and the council alone is built to sign in to."""

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from openpep.children.queries import children_for
from openpep.demo import SSO_COUNCIL, SSO_DOMAIN, SSO_USERS, build_sso_council
from openpep.people.models import Membership, User
from openpep.sso.apps import check_providers
from openpep.sso.config import providers
from synthetic.sso_provider import demo as demo_council
from tests.council_sign_in import sign_in_with_council

ROOT = Path(__file__).resolve().parents[2]
EMAILS = {f"{key}@{SSO_DOMAIN}" for key, *_ in SSO_USERS}


def test_make_run_starts_the_councils_provider_and_gives_openpep_its_configuration(settings):
    settings.OIDC_PROVIDERS = json.loads(demo_council.CONFIG_FILE.read_text())
    assert check_providers(None) == []
    (provider,) = providers().values()
    assert provider.authority_code == SSO_COUNCIL[0]
    assert provider.domains == (SSO_DOMAIN,) and demo_council.DOMAIN == SSO_DOMAIN
    assert provider.issuer == demo_council.ISSUER == "http://127.0.0.1:8001"
    for url in (provider.authorization_endpoint, provider.token_endpoint, provider.jwks_uri):
        assert url.startswith(f"{demo_council.ISSUER}/")
    assert provider.end_session_endpoint.startswith(f"{demo_council.ISSUER}/")
    spec = demo_council.spec()
    assert (spec["client_id"], spec["client_secret"]) == (provider.client_id, provider.client_secret)
    assert "http://127.0.0.1:8000/sign-in/council/callback/" in spec["redirect_uris"]
    assert "http://127.0.0.1:8000/sign-in/" in spec["post_logout_redirect_uris"]
    run = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert f"OPENPEP_OIDC_PROVIDERS_FILE = {demo_council.CONFIG_FILE.relative_to(ROOT)}" in run
    assert "-m synthetic.sso_provider.demo &" in run and "runserver 127.0.0.1:8000" in run


def test_the_councils_directory_and_the_readme_have_every_demo_account():
    assert {person["email"] for person in demo_council.USERS} == EMAILS
    readme = (ROOT / "README.md").read_text()
    assert f"`{demo_council.PASSWORD}`" in readme
    for person in demo_council.USERS:
        line = readme.split(f"| `{person['email']}` |", 1)[1].split("\n", 1)[0]
        groups = person.get("groups", [])
        if "disabled" in groups:
            assert "refused by the council" in line
        elif "mfa" in groups:
            assert "multi-factor: no second step in OpenPEP" in line
        else:
            assert "OpenPEP asks for its own second factor" in line


def test_the_demo_has_its_council_with_single_sign_on(demo_snapshot):
    """What the run's one demo build returned (not loaded: loading the whole demo costs seconds)."""
    assert demo_snapshot.made["sso"]["authority"].code == SSO_COUNCIL[0]
    assert {user.email for user in demo_snapshot.made["sso"]["users"].values()} == EMAILS


@pytest.mark.django_db
def test_the_demos_council_staff_sign_in_through_its_provider(settings, oidc_provider):
    """The council as the demo builds it (``build_sso_council``, which ``build_demo`` calls), and the
    tests' provider with the council's directory (tests/council_sign_in.py)."""
    council = build_sso_council()["authority"]
    for key, _, _, role in SSO_USERS:
        user = User.objects.get(email=f"{key}@{SSO_DOMAIN}")
        assert user.is_active and not user.has_usable_password()  # no OpenPEP password
        membership = Membership.objects.active().get(user=user)
        assert membership.role == role
        assert council in (membership.local_authority, membership.team and membership.team.local_authority)
    assert children_for(User.objects.get(email=f"social.worker@{SSO_DOMAIN}")).count() == 2
    settings.OIDC_PROVIDERS = {council.code: oidc_provider.config(domains=[SSO_DOMAIN])}

    def sign_in(email) -> Client:
        client = Client()
        response = sign_in_with_council(client, email, password=demo_council.PASSWORD)
        assert response.status_code == 302, email
        return client

    head = sign_in(f"head@{SSO_DOMAIN}")  # multi-factor at the council: no second step
    assert DEVICE_ID_SESSION_KEY in head.session
    assert head.get(reverse("sso_admin:settings")).status_code == 200
    officer = sign_in(f"officer@{SSO_DOMAIN}")  # a password only there: OpenPEP asks its own
    assert officer.get(reverse("children:list"))["Location"].startswith(reverse("mfa:verify"))
    leaver = sign_in(f"leaver@{SSO_DOMAIN}")  # disabled at the council
    assert "_auth_user_id" not in leaver.session
