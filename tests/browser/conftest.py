"""Fixtures for the real-browser tests: a signed-off PEP to review, and a `browse` helper that
runs axe on every page it arrives at."""

import base64
import datetime
import os
import re

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from openpep.meetings.models import Meeting
from openpep.plans import services
from openpep.plans.enums import Occasion, Phase, Section, Status, TargetArea
from openpep.plans.models import Arrangements, ChildViews, Pep, SchoolSection, Target
from openpep.plans.workflow import transition
from tests.fixtures import PASSWORD, totp_code


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but serving static files as production does.

    Its own server wraps the site in Django's StaticFilesHandler, which looks every /static/
    path up in the finders, where the manifest's hashed names (DEBUG is off, so templates ask
    for them) do not exist: every stylesheet and script 404s and the pages are tested unstyled.
    Here nothing is put in front of the site, so WhiteNoise serves the collected files."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


# Playwright waits 5 s by default; two busy cores running the server, PostgreSQL and axe can need more.
expect.set_options(timeout=10_000)

PREVIOUS_STORY = "Amira joined Oak Primary in Year 3 and has settled well with a key adult."
PREVIOUS_TARGETS = [
    "I will read a chapter book on my own every week",
    "I will tell an adult when I feel worried at playtime",
]


@pytest.fixture
def previous_pep(world) -> Pep:
    """World.child's earlier PEP at world.school: Sections B to D with two targets, made by the
    real services and moved through the real workflow to "Signed off" by the Virtual School."""
    today = timezone.localdate()
    pep = services.start_pep(
        world.sw,
        world.child,
        Pep(phase=Phase.STATUTORY, occasion=Occasion.INITIAL, views_recorded_by="school"),
    )
    services.save_section(
        world.dt,
        pep,
        ChildViews(pep=pep, going_well="Reading with Miss Patel", how_gathered="own_words"),
        section=Section.B,
        expected_version=None,
    )
    services.save_section(
        world.sw,
        pep,
        Arrangements(pep=pep, setting="Year 3 at Oak Primary", full_time=True, carer_views="Happy at school"),
        section=Section.C,
        expected_version=None,
    )
    services.save_section(
        world.sw,
        pep,
        Meeting(
            pep=pep,
            # Held yesterday: a PEP is signed off only once its meeting has started, whatever the hour.
            held_on=today - datetime.timedelta(days=1),
            start_time=datetime.time(9, 30),
            venue="Oak Primary",
            chair="Dee Teacher",
            note_taker="Sam Worker",
            agreed=True,
        ),
        section=Section.MEETING,
        expected_version=None,
    )
    services.save_section(
        world.dt,
        pep,
        SchoolSection(
            pep=pep,
            sen_status="N",
            education_story=PREVIOUS_STORY,
            next_meeting_at=timezone.now() + datetime.timedelta(days=90),
        ),
        section=Section.D,
        expected_version=None,
    )
    for outcome, area in zip(PREVIOUS_TARGETS, [TargetArea.READING, TargetArea.SOCIAL_EMOTIONAL], strict=True):
        services.add_target(
            world.dt,
            pep,
            Target(
                outcome=outcome,
                area=area,
                success_measure="Reading log checked each Friday",
                actions="Daily reading with a key adult",
                who="Class teacher",
                by_when=today + datetime.timedelta(days=60),
            ),
        )
    for actor, status in [
        (world.dt, Status.SCHOOL_RETURNED),
        (world.sw, Status.SUBMITTED),
        (world.vs, Status.SIGNED_OFF),
    ]:
        # Fetched afresh each time: the readiness checks look at the sections saved above.
        transition(Pep.objects.get(pk=pep.pk), status, actor=actor)
    return Pep.objects.get(pk=pep.pk)


def enter_second_factor(page: Page, user) -> None:
    """On the second step of signing in, type the code `user`'s authenticator app shows now: from
    their confirmed app, or, on the page that sets up their first one, from the key it shows."""
    secret = page.locator("#secret")
    if secret.count():  # a new app: no code of it used yet
        code = f"{TOTP(base64.b32decode(secret.inner_text().replace(' ', ''))).token():06d}"
    else:
        code = totp_code(TOTPDevice.objects.get(user=user, confirmed=True))
    page.get_by_label("Code from your authenticator app").fill(code)


class Browse:
    """One person's browser tab on the live server. Every way of arriving at a page here first
    waits for the page's <h1>, so it asserts what the person sees, then runs axe on it."""

    def __init__(self, page: Page, base_url: str, axe_check):
        self.page = page
        self.base_url = base_url
        self.axe_check = axe_check
        self.checked: list[str] = []  # the pages axe passed, in order
        self.failed_requests: list[str] = []  # a missing stylesheet would make axe's results meaningless
        page.on("response", self._note_failure)

    def _note_failure(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failed_requests.append(f"{response.status} {response.url}")

    def arrive(self, heading: str | re.Pattern) -> None:
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        self.page.wait_for_load_state()  # stylesheets and scripts too
        assert not self.failed_requests, f"Requests failed on {self.page.url}: {self.failed_requests}"
        self.axe_check(self.page)
        self.checked.append(f"{heading} ({self.page.url.removeprefix(self.base_url)})")

    def goto(self, path: str, *, heading: str | re.Pattern) -> None:
        self.page.goto(self.base_url + path)
        self.arrive(heading)

    def follow(self, link: str, *, heading: str | re.Pattern, exact: bool = False) -> None:
        self.page.get_by_role("link", name=link, exact=exact).click()
        self.arrive(heading)

    def press(self, button: str, *, heading: str | re.Pattern) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        self.arrive(heading)

    def sign_in(self, user, *, password: str = PASSWORD, heading: str | re.Pattern = "Children") -> None:
        """Sign in as a person does: e-mail and password, then the second step — the code their
        authenticator app shows (computed from the app's key). A person with no app yet (a brand-new
        account) is asked to set one up first: the key is read off that page, as they would type it.
        Then they land where they were going (`heading`)."""
        if self.page.url != f"{self.base_url}/sign-in/":  # signing out lands there already
            self.goto("/sign-in/", heading="Sign in to OpenPEP")
        self.page.get_by_label("Work email address").fill(user.email)
        self.page.get_by_label("Password").fill(password)
        self.press("Sign in", heading=re.compile("Confirm it is you|Set up an authenticator app"))
        enter_second_factor(self.page, user)
        self.press("Continue", heading=heading)
        expect(self.page.get_by_text(f"Signed in as {user.full_name}.")).to_be_visible()

    def sign_in_with_password(self, user, password: str) -> None:
        """Sign in someone whose password is not the world's (a new account): the same steps as ``sign_in``."""
        self.sign_in(user, password=password)

    def sign_out(self) -> None:
        # The button's name ends with the (visually hidden) name of who is signed in.
        self.page.get_by_role("button", name="Sign out").click()
        self.arrive("Sign in to OpenPEP")

    def fill_date(self, legend: str, day: datetime.date) -> None:
        """A GOV.UK date input: a fieldset named by its legend, with Day, Month and Year boxes."""
        group = self.page.get_by_role("group", name=legend)
        group.get_by_label("Day", exact=True).fill(str(day.day))
        group.get_by_label("Month", exact=True).fill(str(day.month))
        group.get_by_label("Year", exact=True).fill(str(day.year))

    def expect_errors(self, *messages: str) -> None:
        """The GOV.UK error summary lists the messages, and each of its links takes the person
        to the question to answer: the field it points at is there and gets the focus (GOV.UK
        Frontend's script moves it there, so this needs JavaScript on)."""
        summary = self.page.get_by_role("alert")
        expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
        expect(self.page).to_have_title(re.compile(r" – Error – "))
        links = summary.get_by_role("link")
        for message in messages:
            expect(links.filter(has_text=message)).to_have_count(1)
        for i in range(links.count()):
            target = links.nth(i).get_attribute("href")
            links.nth(i).click()
            expect(self.page.locator(target), f"error summary link {target}").to_be_focused()

    def expect_success(self, message: str) -> None:
        banner = self.page.get_by_role("alert")
        expect(banner).to_contain_text("Success")
        expect(banner).to_contain_text(message)


@pytest.fixture
def browse(page, live_server, transactional_db, axe_check) -> Browse:
    return Browse(page, live_server.url, axe_check)


# What the browser tests measured (pages per role the crawl checked, focus stops the keyboard
# test checked), printed at the end of the run whatever -r/-s options are given.
MEASURED = pytest.StashKey[list[str]]()


@pytest.fixture
def measured(request):
    """Append lines to show in the run's terminal summary."""
    return request.config.stash.setdefault(MEASURED, [])


def pytest_terminal_summary(terminalreporter, config):
    lines = config.stash.get(MEASURED, [])
    if lines:
        terminalreporter.section("browser checks")
        for line in lines:
            terminalreporter.write_line(line)
