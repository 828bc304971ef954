"""The seed's "prior to a PEP meeting" steps in a real browser: the social worker schedules the
meeting of a child new into care, which invites the Virtual School and the Designated Teacher;
each sees the invitation among their tasks and answers it; the DT records the child's views.
Every page is checked with axe (see `Browse` in conftest.py)."""

import datetime

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from openpep.plans.enums import Occasion, Phase
from openpep.plans.models import Pep
from openpep.plans.services import start_pep
from tests.builders import a_weekday_ahead

CHILD = "Amira Test"
PEP_HEADING = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"


def open_the_pep(browse) -> None:
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Initial PEP", heading=PEP_HEADING)


def test_meeting_for_a_child_new_into_care_invites_the_virtual_school(browse, world):
    world.child.care_start_date = timezone.localdate() - datetime.timedelta(days=3)
    world.child.save()
    start_pep(world.sw, world.child, Pep(phase=Phase.STATUTORY, occasion=Occasion.INITIAL))
    meeting_day = a_weekday_ahead(12)
    page = browse.page

    # --- The social worker schedules the meeting, after school --------------------------------
    browse.sign_in(world.sw)
    open_the_pep(browse)
    browse.follow("Read the whole PEP", heading=PEP_HEADING)  # the meeting's card
    browse.follow("Schedule the meeting", heading="Schedule the PEP meeting")
    expect(page.get_by_text("pull")).to_have_count(0)  # the advice is in the page's own words
    expect(page.get_by_role("main")).to_contain_text("lessons")
    browse.fill_date("Date of the meeting", meeting_day)
    page.get_by_label("Start time").fill("16:00")
    page.get_by_label("Planned length (minutes)").fill("60")
    page.get_by_label("A room at school").check()
    page.get_by_label("Room or address").fill("Library meeting room")
    page.get_by_role("group", name="Will Amira attend?").get_by_label("Yes").check()
    page.get_by_label("How will Amira's input be secured?").fill("Amira will join for the first 15 minutes")
    browse.press("Save and send the invitations", heading=PEP_HEADING)
    browse.expect_success("The meeting has been scheduled and the invitations sent by email")
    browse.follow("Read the whole PEP", heading=PEP_HEADING)
    invitations = page.locator("#invitations")
    for name in ("Dee Teacher", "Val School", "Ira Reviewer"):
        expect(invitations.get_by_role("row").filter(has_text=name)).to_have_count(1)
    expect(page.locator("#virtual-school-answer")).to_contain_text("has not answered yet")
    assert sorted(m.to[0] for m in mail.outbox) == ["dt@test.example", "iro@test.example", "vs@test.example"]
    assert all("Test" not in m.subject + m.body for m in mail.outbox)  # first name only
    browse.sign_out()

    # --- The Virtual School sees the invitation among its tasks and accepts ---------------------
    browse.sign_in(world.vs)
    browse.follow("My tasks", heading="My tasks")
    expect(page.get_by_role("row").filter(has_text="Answer the PEP meeting invitation")).to_have_count(1)
    browse.follow("Answer the PEP meeting invitation for Amira Test", heading=PEP_HEADING)
    browse.press("I will attend", heading=PEP_HEADING)
    expect(page.locator("#virtual-school-answer")).to_contain_text("has accepted")
    browse.follow("My tasks", heading="My tasks")
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    browse.sign_out()

    # --- The Designated Teacher sees both tasks, answers, and records the child's views -------
    browse.sign_in(world.dt)
    browse.follow("My tasks", heading="My tasks")
    for task in ("Answer the PEP meeting invitation", "Record the child's views", "Return the school section"):
        expect(page.get_by_role("row").filter(has_text=task)).to_have_count(1)
    browse.follow("Answer the PEP meeting invitation for Amira Test", heading=PEP_HEADING)
    browse.press("I will attend", heading=PEP_HEADING)
    browse.follow("Back to the PEP's task list", heading=PEP_HEADING)
    browse.follow("Section B – Child's views", heading="Section B – Child's views")
    page.get_by_label("What is going well").fill("I like reading with my carer")
    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading=PEP_HEADING)
    browse.follow("My tasks", heading="My tasks")
    expect(page.get_by_role("row").filter(has_text="Record the child's views")).to_have_count(0)
    expect(page.get_by_role("row").filter(has_text="Answer the PEP meeting invitation")).to_have_count(0)
    browse.sign_out()
