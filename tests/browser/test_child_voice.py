"""A child has their say on a phone (320 px wide) with JavaScript off: opens the pages by the code
the Designated Teacher made, answers, adds a drawing, sends; the Designated Teacher takes it into
Section B and the PDF shows the child's words as theirs. Axe checks every page the child sees, at
every age's wording. After sign-off, the social worker shares My plan and the child opens it by its
code, on the same phone, and downloads its PDF; axe checks the child's My plan pages."""

import datetime
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from openpep.documents.enums import CopyKind
from openpep.documents.services import download_pep
from openpep.plans.enums import DecisionOutcome, Occasion, Phase, Status, TargetArea
from openpep.plans.models import ChildViews, Decision, Pep, Target
from openpep.voice import services
from openpep.voice.enums import Variant
from openpep.voice.forms import WORDING
from openpep.voice.models import Contribution
from tests.builders import cast_of, start
from tests.documents.conftest import pdf_text

from .conftest import Browse

PHONE = {"width": 320, "height": 640}


def drawing() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (29, 112, 184)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def child_tab(browser, browser_context_args, live_server, transactional_db, axe_check):
    """The child's tab: 320 px wide, JavaScript off. Axe cannot run with scripts off, so each page's
    HTML as the child's browser got it is shown, without its scripts, in a tab of the same width
    with scripts on, and axe checks it there."""
    checker = browser.new_context(**{**browser_context_args, "viewport": PHONE}).new_page()

    def check_as_served(nojs_page):
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", nojs_page.content(), flags=re.DOTALL | re.IGNORECASE)

        def serve(route):
            if route.request.resource_type == "document":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            else:
                route.fallback()

        checker.route("**/*", serve)
        try:
            checker.goto(nojs_page.url)
        finally:
            checker.unroute("**/*", serve)
        axe_check(checker)
        # Nothing is wider than the phone: no scrolling sideways.
        assert checker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], nojs_page.url

    context = browser.new_context(**{**browser_context_args, "viewport": PHONE}, java_script_enabled=False)
    yield Browse(context.new_page(), live_server.url, check_as_served)
    context.close()
    checker.context.close()


def answer(tab: Browse, variant: Variant, *, words: str, picture: bytes | None = None) -> None:
    wording = WORDING[variant]
    page = tab.page
    page.get_by_role("group", name=wording["school"][0]).get_by_label("Good", exact=True).check()
    page.get_by_role("group", name=wording["learning"][0]).get_by_label("OK", exact=True).check()
    page.get_by_label(wording["going_well"][0]).fill(words)
    page.get_by_label(wording["hard"][0]).fill("Fractions <b>and</b> long division")
    page.get_by_label(wording["better_at"][0]).fill("Spelling")
    page.get_by_role("group", name=wording["take_part"][0]).get_by_label("I want to come to part of my meeting").check()
    if picture:
        page.get_by_label(wording["picture"][0]).set_input_files(
            {"name": "drawing.png", "mimeType": "image/png", "buffer": picture}
        )


def test_a_child_has_their_say_and_the_designated_teacher_takes_it_in(child_tab, browse, world):
    pep = start(cast_of(world))  # the school records the child's views
    name = world.child.first_name

    # The Designated Teacher makes a code from the PEP's page.
    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/", heading=re.compile("PEP: "))
    browse.follow(f"Ask {name} to have their say", heading=f"Have your say: ask {name} for their views")
    browse.page.get_by_role("group", name="Which pages suit the child?").get_by_label("Primary", exact=True).check()
    browse.press("Make a code", heading=f"Have your say: ask {name} for their views")
    code = browse.page.locator("#the-code").inner_text()

    # The child, on a phone without JavaScript: a wrong code first, then theirs.
    tab = child_tab
    tab.goto("/have-your-say/", heading="Have your say")
    tab.page.get_by_label("Your code").fill("ACDE-FGHJ")
    tab.press("Start", heading="Have your say")
    expect(tab.page.get_by_role("alert")).to_contain_text("That code did not work")
    tab.page.get_by_label("Your code").fill(code.lower())
    tab.press("Start", heading=f"Hello {name}")
    answer(tab, Variant.PRIMARY, words="Football <script>alert(1)</script> at lunch", picture=drawing())
    tab.press("Save and check your answers", heading=f"Check your answers, {name}")
    expect(tab.page.get_by_text("You added a picture")).to_be_visible()
    expect(tab.page.get_by_text("Football <script>alert(1)</script> at lunch")).to_be_visible()
    assert world.child.last_name not in tab.page.content()
    tab.press("Send my answers", heading=f"Thank you, {name}")
    # The code is used: it says so, and the pages are closed.
    tab.goto("/have-your-say/your-answers/", heading="Have your say")
    tab.page.get_by_label("Your code").fill(code)
    tab.press("Start", heading="Have your say")
    expect(tab.page.get_by_role("alert")).to_contain_text("already been used")

    # The Designated Teacher reads it beside Section B and takes it in.
    browse.goto(f"/peps/{pep.pk}/whole/", heading=re.compile("PEP: "))
    browse.follow("Read and take into Section B on", heading=f"In {name}'s own words")
    browse.page.get_by_label("What I want to get better at").uncheck()
    browse.press("Take into Section B", heading=re.compile("PEP: "))
    expect(browse.page.locator("#own-words")).to_contain_text(f"In {name}'s own words")
    expect(browse.page.locator("#own-words")).to_contain_text("Football <script>alert(1)</script> at lunch")
    views = ChildViews.objects.get(pep=pep)
    assert views.hard == "Fractions <b>and</b> long division" and views.aspirations == ""
    contribution = Contribution.objects.get()
    assert contribution.taken == ["going_well", "hard"] and contribution.picture
    text = pdf_text(download_pep(world.dt, pep, CopyKind.WHOLE).content)
    assert f"In {name}'s own words" in text and "Football <script>alert(1)</script> at lunch" in text

    # Every age's pages pass axe too (the primary ones were checked above).
    for variant in (Variant.EARLY_YEARS, Variant.SECONDARY, Variant.POST_16):
        _, code = services.make_invitation(world.dt, pep, variant=variant)
        tab.goto(f"/have-your-say/?code={code}", heading="Have your say")
        tab.press("Start", heading=f"Hello {name}")
        expect(tab.page.get_by_label(WORDING[variant]["going_well"][0])).to_be_visible()
        answer(tab, variant, words="Painting")
        tab.press("Save and check your answers", heading=f"Check your answers, {name}")


def test_the_social_worker_shares_my_plan_and_the_child_opens_it(child_tab, browse, world):
    """After sign-off: the social worker shares My plan from the PEP's page; the child, on a phone
    without JavaScript, opens it with the code, reads "I will …" and downloads the PDF."""
    pep = Pep.objects.create(
        child=world.child,
        school=world.school,
        phase=Phase.STATUTORY,
        occasion=Occasion.INITIAL,
        status=Status.SIGNED_OFF,
        created_by=world.sw,
    )
    Decision.objects.create(pep=pep, outcome=DecisionOutcome.SIGNED_OFF, decided_by=world.vs)
    Target.objects.create(
        pep=pep,
        outcome="I will know my times tables up to 12",
        area=TargetArea.MATHS,
        success_measure="Times tables check",
        actions="Ten minutes a day with a teaching assistant",
        who="Class teacher",
        by_when=datetime.date(2027, 3, 19),
    )
    name = world.child.first_name

    browse.sign_in(world.sw)
    browse.goto(f"/peps/{pep.pk}/", heading=re.compile("PEP: "))
    browse.follow(f"Share My plan with {name} or their carer", heading=f"My plan: {name}'s version of this PEP")
    browse.page.get_by_role("group", name="Who do you want to share My plan with?").get_by_label(
        "The child or young person"
    ).check()
    browse.press("Share My plan", heading=f"My plan: {name}'s version of this PEP")
    code = browse.page.locator("#the-code").inner_text()

    tab = child_tab
    tab.goto("/my-plan/", heading="My plan")
    tab.page.get_by_label("Your code").fill(code)
    tab.press("Open my plan", heading=f"My plan, {name}")
    expect(tab.page.get_by_role("heading", name="I will know my times tables up to 12")).to_be_visible()
    assert world.child.last_name not in tab.page.content()
    with tab.page.expect_download() as downloading:
        tab.page.get_by_role("link", name="Download My plan (PDF)").click()
    text = pdf_text(open(downloading.value.path(), "rb").read())
    assert "I will know my times tables up to 12" in text and world.child.last_name not in text
