"""The core flows work with JavaScript off: GOV.UK pages are progressively enhanced, and a
school laptop may block scripts. Every page is checked with axe as it renders without them."""

import re

import pytest
from playwright.sync_api import expect

from openpep.plans.models import Pep

from .conftest import Browse

CHILD = "Amira Test"
PEP_HEADING = re.compile(r"^PEP: Initial PEP – new into care")


@pytest.fixture
def browse_without_js(browser, browser_context_args, live_server, transactional_db, page, axe_check):
    """A tab with JavaScript off. Axe cannot run in it (with scripts off its promises never
    settle), so each page's HTML, as the browser got it, is shown without its scripts in
    `page`, where scripts are on, and axe checks it there."""

    def check_as_served(nojs_page):
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", nojs_page.content(), flags=re.DOTALL | re.IGNORECASE)

        def serve(route):
            if route.request.resource_type == "document":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            else:  # stylesheets and images come from the live server
                route.fallback()

        page.route("**/*", serve)
        try:
            page.goto(nojs_page.url)
        finally:
            page.unroute("**/*", serve)
        axe_check(page)

    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    yield Browse(context.new_page(), live_server.url, check_as_served)
    context.close()


def test_start_a_pep_and_save_sections_b_and_c_without_javascript(browse_without_js, world):
    browse = browse_without_js
    page = browse.page

    browse.sign_in(world.sw)
    expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))  # scripts really are off
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Start a PEP", heading="Start a PEP – Section A")
    expect(page.get_by_label("Initial PEP – new into care")).to_be_checked()  # no previous PEP
    page.get_by_label("Statutory school age (Reception to Year 11)").check()
    browse.press("Start PEP", heading=PEP_HEADING)
    browse.expect_success("The PEP has been started")
    assert Pep.objects.filter(child=world.child, status="draft").count() == 1

    browse.follow("Complete Section C – Education arrangements and actions", heading=re.compile("^Section C"))
    page.get_by_label("Current education setting and arrangements").fill("Year 7 at Oak Primary")
    page.get_by_role("group", name="Is the child in full-time education?").get_by_label("Yes").check()
    page.get_by_label("The carer's views").fill("Settled and happy")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section C – Education arrangements and actions saved")
    expect(page.locator("#section-c")).to_contain_text("Settled and happy")
    browse.sign_out()

    browse.sign_in(world.dt)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Initial PEP", heading=PEP_HEADING)
    browse.follow("Complete Section B – Child's views", heading="Section B – Child's views")
    page.get_by_label("What is going well").fill("Playing football at lunch")
    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section B – Child's views saved")
    expect(page.locator("#section-b")).to_contain_text("Playing football at lunch")
    browse.sign_out()
