"""One PEP cycle in a real browser, as the seed describes it, across the three roles:

the social worker starts the PEP and records the meeting; the Designated Teacher reads the
previous PEP, records the child's views, reviews and sets targets and completes Section D,
then returns the school section; the social worker submits it; the Virtual School returns it
to the school once and then signs it off.

The steps are cycle.py's (shared with the keyboard and no-JavaScript tests), taken with the mouse
and JavaScript on; what only this test does is here: the meeting recorded without scheduling it
first, the error states of Sections B and D, the previous PEP, and the signed-off PEP read-only.
Every page visited is checked with axe (see `Browse` in conftest.py), including error states.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from . import cycle
from .conftest import PREVIOUS_STORY, PREVIOUS_TARGETS
from .cycle import CHILD, PEP_HEADING, RETURN_REASON, Mouse, expect_status, open_the_pep


class MouseWithScripts(Mouse):
    """With JavaScript on, an error summary's links also move the focus to their question."""

    def expect_errors(self, *messages: str) -> None:
        self.browse.expect_errors(*messages)


def test_a_pep_cycle_across_the_three_roles(browse, world, previous_pep):
    page = browse.page
    act = MouseWithScripts(browse)
    today = timezone.localdate()

    # --- Step 2: the social worker starts the PEP and records the meeting -----------------
    browse.sign_in(world.sw)
    pep = cycle.start_the_pep(act, world, previous_pep)
    cycle.complete_section_c(act)

    def unscheduled_meeting():
        browse.fill_date("Date of the meeting", today - datetime.timedelta(days=1))  # held: it can be recorded
        page.get_by_label("Start time").fill("09:30")
        page.get_by_label("Venue").fill("Oak Primary, meeting room 2")

    cycle.record_the_meeting(act, on_form=unscheduled_meeting)
    cycle.read_the_whole(act)
    meeting = page.locator("#meeting")
    expect(meeting).to_contain_text("Oak Primary, meeting room 2")
    expect(meeting).to_contain_text("No attendees recorded.")
    act.follow("Back to the PEP's task list", heading=PEP_HEADING)
    cycle.add_an_attendee(act)
    browse.sign_out()

    # --- Step 3: the Designated Teacher reads the previous PEP and records the child's views --
    browse.sign_in(world.dt)
    children = page.get_by_role("table", name="1 child")  # only the child on her school's roll
    expect(children.get_by_role("row", name=re.compile(f"^{CHILD}"))).to_contain_text("Oak Primary")
    open_the_pep(act, "Draft")
    previous_heading = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"
    browse.follow("read the previous PEP in full", heading=previous_heading)
    expect_status(browse, "Signed off")
    expect(page.locator("#section-d")).to_contain_text(PREVIOUS_STORY)
    for number, outcome in enumerate(PREVIOUS_TARGETS, start=1):
        expect(page.get_by_role("heading", name=f"Target {number}: {outcome}")).to_be_visible()
    page.go_back()
    browse.arrive(PEP_HEADING)

    def nothing_filled_in():
        browse.press("Save", heading="Section B – Child's views")
        browse.expect_errors("Record at least one of the child's views")

    cycle.record_views(act, on_form=nothing_filled_in)

    # --- Step 4: Section D — previous targets, new targets, attainment, the school's view -----
    cycle.review_previous_targets(act)
    cycle.carry_forward_target_2(act, previous_pep)

    def a_services_words():
        page.get_by_label("Outcome, in the child's words").fill("Be better at maths")  # not hers
        browse.press("Save", heading="Add a target")
        browse.expect_errors("Write the outcome in the child's words", "Enter the day, month and year")

    cycle.add_a_target(act, on_form=a_services_words)
    cycle.record_attainment(act, pep)
    cycle.check_the_school_part(act, previous_pep, cycle.complete_section_d(act))
    cycle.move(act, "Return the school section to the social worker", status="School section returned")
    browse.sign_out()

    # --- Step 7: the social worker submits; the Virtual School returns it to the school -------
    browse.sign_in(world.sw)
    open_the_pep(act, "School section returned")
    cycle.move(act, "Submit to the Virtual School", status="Submitted to Virtual School")
    browse.sign_out()

    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    cycle.return_for_amendment(act)
    browse.sign_out()

    # --- The Designated Teacher amends Section D and returns it to the Virtual School --------
    browse.sign_in(world.dt)
    open_the_pep(act, "Returned to school")
    cycle.read_the_whole(act)
    expect(page.locator("#section-e")).to_contain_text(RETURN_REASON)
    act.follow("Back to the PEP's task list", heading=PEP_HEADING)
    cycle.amend_section_d(act)
    cycle.move(act, "Return the amended school section to the Virtual School", status="Submitted to Virtual School")
    browse.sign_out()

    # --- The Virtual School signs it off -------------------------------------------------------
    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    cycle.sign_off(act)
    browse.sign_out()

    # --- Afterwards the Designated Teacher can read but not change it; History tells the story --
    browse.sign_in(world.dt)
    open_the_pep(act, "Signed off")
    main = page.get_by_role("main")
    expect(
        main.get_by_role("link", name=re.compile(r"^(Change|Complete|Record|Add|Review|Carry forward)"))
    ).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    browse.follow("History: who did what and when", heading="History of the PEP")
    history = page.get_by_role("table")
    for who, what in [
        ("Sam Worker", "Started the PEP: Termly review"),
        ("Dee Teacher", "Returned the school section to the social worker"),
        ("Sam Worker", "Submitted to the Virtual School"),
        ("Val School", f"Returned to the school for amendment: {RETURN_REASON}"),
        ("Dee Teacher", "Returned the amended school section to the Virtual School"),
        ("Val School", "Signed off the PEP"),
    ]:
        expect(history.get_by_role("row").filter(has_text=who).filter(has_text=what)).to_have_count(1)
    browse.sign_out()
    print("\nPages checked by axe:\n" + "\n".join(browse.checked))
