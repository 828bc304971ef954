"""The whole PEP cycle works with JavaScript off: GOV.UK pages are progressively enhanced, and a
school laptop may block scripts. Every page is checked with axe as it renders without them."""

import re

import pytest
from playwright.sync_api import expect

from openpep.documents.models import StoredCopy
from openpep.plans.enums import Status

from .conftest import Browse
from .cycle import Mouse, the_whole_cycle


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


def test_the_whole_pep_cycle_without_javascript(browse_without_js, world, previous_pep):
    """Every step of cycle.py — schedule and invite, the child's views, the pre-draft, the meeting
    record and agreement, the return, the submission, a red QA round and a return for amendment,
    the fix and resubmission, a green round, sign-off and the download — with scripts off."""
    browse = browse_without_js
    browse.sign_in(world.sw)
    expect(browse.page.locator("body")).not_to_have_class(re.compile("js-enabled"))  # scripts really are off
    browse.sign_out()
    pep = the_whole_cycle(Mouse(browse), world, previous_pep)
    assert pep.status == Status.SIGNED_OFF
    assert StoredCopy.objects.filter(pep=pep).count() == 2
