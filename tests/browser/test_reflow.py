"""WCAG 1.4.10 Reflow: core pages work at 320 CSS pixels wide (a phone) and at 200% zoom
(a 1280-pixel window zoomed is 640 CSS pixels), with no horizontal scrolling of the page.
Wide tables scroll inside their own focusable region, which the criterion allows."""

import re

from openpep.demo import PASSWORD, build_demo
from openpep.people.models import User
from openpep.plans.models import Pep
from tests.browser.conftest import enter_second_factor

WIDTHS = [320, 640]


def page_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


WIDEST = """() => [...document.querySelectorAll('main *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(-3).map(el => el.tagName + '.' + el.className + ': ' + el.textContent.trim().slice(0, 40))"""


def test_core_pages_reflow_without_horizontal_scrolling(page, live_server, transactional_db, axe_check):
    build_demo()
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    page.goto(live_server.url + "/sign-in/")
    assert page_overflow(page) <= 0
    page.get_by_label("Work email address").fill("sw@demo.openpep.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Confirm it is you").wait_for()
    enter_second_factor(page, User.objects.get(email="sw@demo.openpep.test"))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/children/$"))
    pep = Pep.objects.filter(child__social_worker__email="sw@demo.openpep.test", status="draft").first()
    paths = [
        "/children/",
        "/tasks/",
        f"/children/{pep.child_id}/",
        f"/peps/{pep.pk}/",
        f"/peps/{pep.pk}/arrangements/",
        f"/peps/{pep.pk}/history/",
    ]
    overflowing = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            if page_overflow(page) > 0:
                overflowing[(width, path)] = (page_overflow(page), page.evaluate(WIDEST))
            axe_check(page)

    assert overflowing == {}
