"""Signing in with the council's own account, in a real browser against a real OpenID Connect provider
(django-oidc-provider on 127.0.0.1, synthetic/sso_provider): e-mail first on OpenPEP's sign-in page, the
council's own sign-in page, back where the person was going — with no second step, since the council's
ID token says multi-factor —, then signing out of OpenPEP and of the council; and a colleague whose
council sign-in was password only is asked for OpenPEP's own second factor. The refusals (state, code,
keys, unknown and disabled accounts) are tested without a browser in tests/sso."""

import re

import pytest
from playwright.sync_api import expect

from openpep.people.enums import Role
from synthetic import sso_provider
from tests.fixtures import make_user

DOMAIN = "testshire.example"
COUNCIL_PASSWORD = "council-password-1"


@pytest.fixture(scope="module")
def council_provider(live_server):
    provider = sso_provider.start(
        redirect_uris=[f"{live_server.url}/sign-in/council/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/sign-in/"],
        users=[
            {"email": f"mfa.manager@{DOMAIN}", "password": COUNCIL_PASSWORD, "groups": ["mfa"]},
            {"email": f"plain.manager@{DOMAIN}", "password": COUNCIL_PASSWORD},
        ],
    )
    yield provider
    provider.stop()


def council_sign_in(page, email) -> None:
    """On the council's own sign-in page (the provider's, not OpenPEP's: axe is not run on it)."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to your council account")
    page.get_by_label("Council e-mail").fill(email)
    page.get_by_label("Council password").fill(COUNCIL_PASSWORD)
    page.get_by_role("button", name="Sign in to the council").click()


def test_council_staff_sign_in_with_their_council_account(browse, world, settings, council_provider):
    settings.OIDC_PROVIDERS = {world.authority.code: council_provider.config(domains=[DOMAIN])}
    page = browse.page
    manager = make_user(f"mfa.manager@{DOMAIN}", "Mo Manager", Role.TEAM_MANAGER, team=world.team)
    colleague = make_user(f"plain.manager@{DOMAIN}", "Pat Plain", Role.TEAM_MANAGER, team=world.team)

    browse.goto(f"/children/{world.child.pk}/", heading="Sign in to OpenPEP")
    page.get_by_label("Work email address").fill(manager.email)  # and no password
    page.get_by_role("button", name="Sign in", exact=True).click()
    council_sign_in(page, manager.email)
    browse.arrive(re.compile("Amira Test"))  # where they were going, with no second step here
    expect(page.get_by_text(f"Signed in as {manager.full_name}.")).to_be_visible()

    browse.sign_out()
    expect(page.get_by_role("region", name="Signed out")).to_be_visible()
    page.get_by_role("link", name="Sign out of your Testshire council account too").click()
    browse.arrive("Sign in to OpenPEP")  # the council signed them out and sent them back

    # A colleague whose council sign-in did not ask a second factor is asked OpenPEP's own.
    page.get_by_label("Work email address").fill(colleague.email)
    page.get_by_role("button", name="Sign in", exact=True).click()
    council_sign_in(page, colleague.email)
    browse.arrive("Set up an authenticator app")
