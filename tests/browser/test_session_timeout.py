"""The warning before the idle limit and drafts that survive it, in a real browser. The limits are
made short (1 minute idle, the warning 10 seconds before) and Playwright's clock moves the page's
time forward, so nothing waits for real."""

import re

import pytest
from playwright.sync_api import expect

from openpep.drafts.models import Draft
from openpep.plans.enums import ViewsRecordedBy
from openpep.plans.models import ChildViews
from tests.builders import cast_of, start

TYPED = "Drawing with my friend Sam at lunchtime"


@pytest.fixture
def short_limits(settings):
    settings.SESSION_IDLE_SECONDS = 60
    settings.SESSION_WARNING_SECONDS = 10


def test_the_warning_before_the_idle_limit_offers_to_stay_signed_in(browse, world, short_limits):
    page = browse.page
    page.clock.install()
    browse.sign_in(world.sw)
    dialog = page.get_by_role("dialog", name="You're about to be signed out")

    page.clock.fast_forward("00:45")
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("00:06")  # 51 seconds without activity: 9 left

    expect(dialog).to_be_visible()
    expect(page.locator("#session-timeout-title")).to_be_focused()  # focus moves into the dialog
    expect(dialog).to_contain_text(re.compile(r"we will sign you out in \d+ seconds"))
    expect(dialog.locator("[aria-live]")).to_contain_text(re.compile(r"sign you out in \d+ seconds"))
    browse.axe_check(page)

    # Escape, like "Stay signed in", keeps the session: the page asks the server to.
    with page.expect_response("**/session/keep-alive/") as answer:
        page.keyboard.press("Escape")
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()

    page.clock.fast_forward("00:51")
    expect(dialog).to_be_visible()
    with page.expect_response("**/session/keep-alive/") as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 200
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children")  # still here, still signed in

    # Left alone past the limit: signed out, and told why on the sign-in page.
    page.clock.fast_forward("01:01")
    browse.arrive("Sign in to OpenPEP")
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out because you had not used OpenPEP for 1 minute"
    )


def test_what_was_typed_survives_the_idle_limit_and_is_saved_after_signing_in(browse, world, short_limits):
    pep = start(cast_of(world), views_recorded_by=ViewsRecordedBy.SCHOOL)
    page = browse.page
    page.clock.install()
    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/views/", heading="Section B – Child's views")

    page.get_by_label("What is going well").fill(TYPED)
    page.clock.fast_forward("01:01")  # the autosave's pause, the warning, then the idle limit

    browse.arrive("Sign in to OpenPEP")
    expect(page.get_by_role("region", name="Important")).to_contain_text("We kept what you had typed")
    assert Draft.objects.get(owner=world.dt).data["going_well"] == [TYPED]
    assert not ChildViews.objects.filter(pep=pep).exists()

    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/views/", heading="Section B – Child's views")
    expect(page.get_by_role("region", name="Important")).to_contain_text("We kept what you typed at")
    expect(page.get_by_label("What is going well")).to_have_value(TYPED)
    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading=re.compile("^PEP: "))

    browse.expect_success("Section B – Child's views saved")
    assert ChildViews.objects.get(pep=pep).going_well == TYPED
    assert not Draft.objects.exists()
