"""Signing in with the council's own account, in a real browser against a real OpenID Connect provider
(django-oidc-provider on 127.0.0.1, synthetic/sso_provider): e-mail first on OpenPEP's sign-in page, the
council's own sign-in page, back where the person was going — with no second step, since the council's
ID token says multi-factor —, then signing out of OpenPEP and of the council; and a colleague whose
council sign-in was password only is asked for OpenPEP's own second factor. Then each refusal as the
browser meets it: an e-mail OpenPEP does not know, an account the council has disabled, the council's
answer (its code and state) used again in another browser, and an ID token signed by a key that is not
the provider's. A forged state in the browser that started the sign-in, and each case's audit, are
tested over HTTP against the same provider in tests/sso (a browser follows the council's redirect
before a test can change it)."""

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
            {"email": f"stranger@{DOMAIN}", "password": COUNCIL_PASSWORD, "groups": ["mfa"]},
            {"email": f"leaver@{DOMAIN}", "password": COUNCIL_PASSWORD, "groups": ["mfa", "disabled"]},
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


REFUSED = "Signing in with your council account did not work"


def start_council_sign_in(browse, email) -> None:
    """A fresh start: no OpenPEP session and none at the council (the provider would vouch at once)."""
    browse.page.context.clear_cookies()
    browse.goto("/sign-in/", heading="Sign in to OpenPEP")
    browse.page.get_by_label("Work email address").fill(email)
    browse.page.get_by_role("button", name="Sign in", exact=True).click()
    council_sign_in(browse.page, email)


def assert_refused(browse) -> None:
    browse.arrive("Sign in to OpenPEP")
    expect(browse.page.get_by_text(REFUSED)).to_be_visible()
    expect(browse.page.get_by_role("button", name=re.compile("^Sign out"))).to_have_count(0)


def test_each_refusal_in_the_browser(browse, browser, world, settings, council_provider):
    settings.OIDC_PROVIDERS = {world.authority.code: council_provider.config(domains=[DOMAIN])}
    page = browse.page
    manager = make_user(f"mfa.manager@{DOMAIN}", "Mo Manager", Role.TEAM_MANAGER, team=world.team)
    make_user(f"leaver@{DOMAIN}", "Lee Leaver", Role.SOCIAL_WORKER, team=world.team)

    # An e-mail the council vouches for but OpenPEP does not know: no account is made.
    start_council_sign_in(browse, f"stranger@{DOMAIN}")
    assert_refused(browse)
    # An account the council has disabled: its provider refuses, and so does OpenPEP.
    start_council_sign_in(browse, f"leaver@{DOMAIN}")
    assert_refused(browse)

    # A good sign-in; its answer from the council replayed in another browser is refused there.
    answers = []
    page.on("request", lambda request: "/sign-in/council/callback/" in request.url and answers.append(request.url))
    start_council_sign_in(browse, manager.email)
    browse.arrive("Children")
    other = browser.new_context()
    try:
        other_page = other.new_page()
        other_page.goto(answers[-1])
        expect(other_page.get_by_text(REFUSED)).to_be_visible()
    finally:
        other.close()
    browse.sign_out()

    # An ID token whose signature the provider's published keys do not verify.
    settings.OIDC_PROVIDERS = {
        world.authority.code: council_provider.config(
            domains=[DOMAIN], jwks_uri=f"{council_provider.url}/test/other-jwks/"
        )
    }
    start_council_sign_in(browse, manager.email)
    assert_refused(browse)
