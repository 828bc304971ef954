"""The Content-Security-Policy holds on real pages: the page's own inline script runs (it carries
the nonce), nothing the pages need is blocked, and a script without the nonce is."""

import re

import pytest
from playwright.sync_api import Error, expect

from openpep.plans.enums import Status
from tests.builders import cast_of, pep_in

# Each violation the browser reports, collected before any of the page's own scripts run.
COLLECT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event =>
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`));
"""


@pytest.fixture
def watched(browse):
    errors = []
    browse.page.add_init_script(COLLECT)
    browse.page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico")  # browsers ask; there is none
            and errors.append(message.text)
        ),
    )
    browse.page.on("pageerror", lambda error: errors.append(str(error)))
    return browse, errors


def assert_clean(page, errors):
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b.*\bgovuk-frontend-supported\b"))
    assert page.evaluate("window.__violations") == []
    assert errors == []


def test_pages_run_their_scripts_and_break_no_rule(watched, world):
    browse, errors = watched
    pep = pep_in(cast_of(world), Status.SUBMITTED)

    browse.goto("/sign-in/", heading="Sign in to OpenPEP")
    assert_clean(browse.page, errors)
    browse.sign_in(world.vs)
    assert_clean(browse.page, errors)
    for path, heading in [
        (f"/children/{world.child.pk}/", "Amira Test"),
        (f"/peps/{pep.pk}/", re.compile(r"^PEP: ")),
        ("/dashboard/", "Dashboard"),
        (f"/quality/peps/{pep.pk}/review/", "Record a quality assurance round"),
    ]:
        browse.goto(path, heading=heading)
        assert_clean(browse.page, errors)
    browse.press("Record the round", heading="Record a quality assurance round")  # its error state
    assert_clean(browse.page, errors)


def test_a_script_without_the_nonce_is_blocked(watched):
    browse, errors = watched
    browse.goto("/sign-in/", heading="Sign in to OpenPEP")

    with pytest.raises(Error):  # Playwright adds an inline <script>, as an injected one would be
        browse.page.add_script_tag(content="window.injected = true")

    assert browse.page.evaluate("window.injected") is None
    assert browse.page.evaluate("window.__violations") == ["script-src-elem blocked inline"]
