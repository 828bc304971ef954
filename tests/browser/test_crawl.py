"""Every page each demo user can reach by following links, checked by axe (WCAG 2.2 AA),
with no console errors — and the error state of each form that has one. A page whose skeleton axe
passed already in the run (``tests/conftest.py`` ``SKELETON``) is not checked again.

The crawl signs in as each demo account on the demo data, follows every link it finds
(up to a few pages per kind of page, so the run stays short), and on each form page
submits the form with its text cleared to check the error state too (once a form: the error
state of a form is the same whoever sends it)."""

import re
from collections import Counter, deque

from django.urls import Resolver404, resolve

from openpep.demo import PASSWORD, build_demo
from openpep.people.models import User
from tests.browser.conftest import enter_second_factor

# Pages of one kind (one URL pattern) visited per person: enough to meet each state of it.
PER_PATTERN = 2
# Views whose forms act rather than edit: submitting them empty would make the move.
ACTIONS = re.compile(r"move|correct|remove|delete|cancel|respond|logout|sign_off|approve|decline|pay|request")
# /api/: the API's documentation is Redoc's page, not ours (tested in tests/api), and its links are JSON.
SKIP = re.compile(r"\.(csv|xlsx|pdf|zip|ics)$|/download|/export|format=|/sign-out/|^/api/")


def crawl(page, base_url: str, axe_check, errors_checked: set) -> Counter:
    """`errors_checked`: the URL patterns whose form's error state an earlier account's crawl
    checked already (the same form and error summary, whoever sends it), added to here."""
    seen_per_pattern: Counter = Counter()
    checked: Counter = Counter()
    queue = deque(["/"])
    visited = set()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    while queue:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        try:
            name = resolve(path.split("?")[0]).view_name
        except Resolver404:
            continue
        if seen_per_pattern[name] >= PER_PATTERN:
            continue
        seen_per_pattern[name] += 1
        response = page.goto(base_url + path)
        assert response.status < 400, f"{response.status} for {path}"
        page.wait_for_load_state()
        checked["pages"] += 1
        checked["new to axe"] += axe_check(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            if href.startswith("/") and not SKIP.search(href):
                queue.append(href.split("#")[0])
        if not ACTIONS.search(name) and name not in errors_checked and _submit_cleared_form(page):
            checked["new to axe"] += axe_check(page)
            errors_checked.add(name)
            checked["error states"] += 1
    assert console_errors == [], console_errors
    return checked


def _submit_cleared_form(page) -> bool:
    """Clear the text of the page's main form and submit it; True when an error summary shows."""
    form = page.locator("main form[method=post]").filter(has=page.locator("input[type=text], textarea"))
    if form.count() != 1:
        return False
    for field in form.locator("input[type=text], input[type=email], textarea").all():
        field.fill("")
    # A button a pointer can press: not the hidden default button of a form that offers others
    # (Enter presses it), nor one folded away in a closed details (last term's answer).
    form.locator("button[type=submit]:not([aria-hidden=true]):visible").first.click()
    page.wait_for_load_state()
    return page.locator(".govuk-error-summary").count() == 1


ACCOUNTS = ["sw", "tm", "dt", "dt3", "senco", "vs", "vsadmin", "iro"]


def test_every_page_each_demo_user_reaches_passes_axe(browser, live_server, transactional_db, axe_check, measured):
    """One demo build for every account (building it takes longer than crawling). How many pages
    each account's crawl checked goes to the run's terminal summary ("browser checks")."""
    build_demo()
    report, errors_checked = {}, set()
    for account in ACCOUNTS:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + "/sign-in/")
        page.get_by_label("Work email address").fill(f"{account}@demo.openpep.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Confirm it is you").wait_for()
        enter_second_factor(page, User.objects.get(email=f"{account}@demo.openpep.test"))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(re.compile(r"/children/$"))
        report[account] = checked = crawl(page, live_server.url, axe_check, errors_checked)
        context.close()
        measured.append(
            f"crawl as {account}@demo: {checked['pages']} pages and {checked['error states']} form error states,"
            f" {checked['new to axe']} of them new to axe"
        )

    measured.append(f"crawl in all: {sum(c['pages'] for c in report.values())} pages for {len(report)} accounts")
    assert {account: checked["pages"] >= 8 for account, checked in report.items()} == dict.fromkeys(ACCOUNTS, True)
