"""Issue 18: early warnings in a real browser. The social worker finds a warning on their task list,
opens it and answers it with an interim PEP in one step; the Virtual School officer finds another on
the child's page and acknowledges it with a note. axe runs on every page."""

import re

from playwright.sync_api import expect

from openpep.warnings.services import raise_warnings
from tests.warnings.conftest import TODAY, build_council

PEP = re.compile("^PEP: ")


def test_a_warning_is_answered_with_an_interim_pep_and_another_acknowledged_with_a_note(browse, world):
    build_council(world)
    raise_warnings(TODAY)
    page = browse.page

    browse.sign_in(world.sw)
    browse.goto("/tasks/", heading="My tasks")
    expect(page.get_by_role("heading", name="Early warnings")).to_be_visible()
    browse.follow("Attendance falling for Amira Test: acknowledge or answer", heading="Attendance falling")
    browse.press("Start an interim PEP", heading=PEP)
    browse.expect_success("An interim PEP has been started for Amira Test")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim")
    browse.sign_out()

    browse.sign_in(world.vs)
    browse.goto(f"/children/{world.child.pk}/", heading="Amira Test")
    browse.follow(
        "Persistently absent this term for Amira Test: acknowledge or answer", heading="Persistently absent this term"
    )
    expect(page.get_by_role("button", name="Start an interim PEP")).to_have_count(0)  # the social worker's
    page.get_by_label("What is being done").fill("Attendance meeting with the carer and school on Monday")
    browse.press("Acknowledge the warning", heading="Amira Test")
    browse.expect_success("The warning about Amira Test has been acknowledged")
    page.get_by_text("Warnings acknowledged").click()
    expect(page.locator("#warnings ~ details")).to_contain_text(
        "Attendance meeting with the carer and school on Monday"
    )
    expect(page.locator("#warnings ~ details")).to_contain_text("interim PEP started")
