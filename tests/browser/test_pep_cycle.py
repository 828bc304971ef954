"""One PEP cycle in a real browser, as the seed describes it, across the three roles:

the social worker starts the PEP and records the meeting; the Designated Teacher reads the
previous PEP, records the child's views, reviews and sets targets and completes Section D,
then returns the school section; the social worker submits it; the Virtual School returns it
to the school once and then signs it off.

Every page visited is checked with axe (see `Browse` in conftest.py), including error states.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from openpep.clock.calendar import add_working_days
from openpep.plans.enums import ATTAINMENT_VALUES
from openpep.plans.forms import attainment_scale
from openpep.plans.models import Pep

from .conftest import PREVIOUS_STORY, PREVIOUS_TARGETS

CHILD = "Amira Test"
PEP_HEADING = "PEP: Termly review – Statutory school age (Reception to Year 11)"
NEW_OUTCOME = "I will know my times tables up to 12 × 12"
RETURN_REASON = "Please add how the Pupil Premium Plus pays for the maths tutoring."


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"  # as the pages write dates: 3 March 2027


def expect_status(browse, status: str) -> None:
    """The PEP's status, the first tag under its heading."""
    expect(browse.page.get_by_role("main").locator(".govuk-tag").first).to_have_text(status)


def open_the_pep(browse, status: str) -> None:
    """From the children list: the child, then the current PEP, whose status is checked."""
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Termly review", heading=PEP_HEADING)
    expect_status(browse, status)


def section_card(browse, anchor: str):
    return browse.page.locator(f"#{anchor}")


def test_a_pep_cycle_across_the_three_roles(browse, world, previous_pep):
    page = browse.page
    today = timezone.localdate()
    # A school day: the test world has no term dates, so any weekday but a bank holiday.
    next_meeting = add_working_days(today, 60)

    # --- Step 2: the social worker starts the PEP and records the meeting -----------------
    browse.sign_in(world.sw)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Start a PEP", heading="Start a PEP – Section A")
    expect(page.get_by_text("The targets of the previous PEP will be ready to review")).to_be_visible()
    page.get_by_label("Statutory school age (Reception to Year 11)").check()
    expect(page.get_by_label("Termly review")).to_be_checked()  # a previous PEP exists
    page.get_by_label("Termly review").check()
    browse.press("Start PEP", heading=PEP_HEADING)
    browse.expect_success("The PEP has been started")
    expect_status(browse, "Draft")
    pep = Pep.objects.exclude(pk=previous_pep.pk).get(child=world.child)

    section_c = "Section C – Education arrangements and actions"
    browse.follow(f"Complete {section_c}", heading=section_c)
    page.get_by_label("Current education setting and arrangements").fill("Year 7 at Oak Primary, full time")
    page.get_by_role("group", name="Is the child in full-time education?").get_by_label("Yes").check()
    page.get_by_label("Transport to school or setting").fill("Carer drives her")
    page.get_by_label("Actions for the social worker").fill("Share the PEP with the IRO")
    page.get_by_label("The carer's views").fill("She is proud of her reading")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section C – Education arrangements and actions saved")
    expect(section_card(browse, "section-c")).to_contain_text("She is proud of her reading")

    browse.follow("Record the meeting", heading="PEP meeting record", exact=True)
    browse.fill_date("Date of the meeting", today)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("Venue").fill("Oak Primary, meeting room 2")
    page.get_by_label("Chair", exact=True).fill("Dee Teacher")
    page.get_by_label("Note taker").fill("Sam Worker")
    page.get_by_label("Notes of the discussion").fill("Amira spoke first about her reading.")
    page.get_by_label("The plan was agreed at the meeting").check()
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("PEP meeting record saved")
    meeting = section_card(browse, "meeting")
    expect(meeting).to_contain_text("Oak Primary, meeting room 2")
    expect(meeting).to_contain_text("No attendees recorded.")

    browse.follow("Add an attendee", heading="Add an attendee")
    page.get_by_label("Name").fill("Jo Carer")
    page.get_by_label("Carer", exact=True).check()
    page.get_by_label("Present", exact=True).check()
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Jo Carer added")
    expect(meeting.get_by_role("row", name="Jo Carer Carer Present")).to_be_visible()
    browse.sign_out()

    # --- Step 3: the Designated Teacher reads the previous PEP and records the child's views --
    browse.sign_in(world.dt)
    children = page.get_by_role("table", name="1 child")  # only the child on her school's roll
    expect(children.get_by_role("row", name=re.compile(f"^{CHILD}"))).to_contain_text("Oak Primary")
    open_the_pep(browse, "Draft")
    previous_heading = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"
    browse.follow("read the previous PEP in full", heading=previous_heading)
    expect_status(browse, "Signed off")
    expect(section_card(browse, "section-d")).to_contain_text(PREVIOUS_STORY)
    for number, outcome in enumerate(PREVIOUS_TARGETS, start=1):
        expect(page.get_by_role("heading", name=f"Target {number}: {outcome}")).to_be_visible()
    page.go_back()
    browse.arrive(PEP_HEADING)

    browse.follow("Complete Section B – Child's views", heading="Section B – Child's views")
    browse.press("Save", heading="Section B – Child's views")  # nothing filled in
    browse.expect_errors("Record at least one of the child's views")
    page.get_by_label("What is going well").fill("I like reading to my class")
    page.get_by_label("What is hard").fill("Times tables")
    page.get_by_label("What helps me").fill("Working with Miss Patel")
    page.get_by_label("What I want to do or be").fill("A vet")
    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section B – Child's views saved")
    expect(section_card(browse, "section-b")).to_contain_text("I like reading to my class")

    # --- Step 4: Section D — previous targets, new targets, attainment, the school's view -----
    reviews = section_card(browse, "reviews")
    for number, (rating, evidence) in enumerate(
        [("Achieved", "Reading log shows a chapter book a week"), ("Partly achieved", "Told an adult twice")],
        start=1,
    ):
        browse.follow(f"Review target {number}", heading="Review of a previous target")
        expect(page.locator(".govuk-inset-text")).to_contain_text(PREVIOUS_TARGETS[number - 1])
        page.get_by_label(rating, exact=True).check()
        page.get_by_label("Evidence").fill(evidence)
        browse.press("Save", heading=PEP_HEADING)
        browse.expect_success("Review of a previous target saved")
        expect(reviews.get_by_role("row", name=re.compile(re.escape(PREVIOUS_TARGETS[number - 1])))).to_contain_text(
            rating
        )

    carried = PREVIOUS_TARGETS[1]
    browse.follow("Carry forward target 2", heading="Carry forward a target")
    expect(page.get_by_text(f"Continues the previous target: {carried}")).to_be_visible()
    expect(page.get_by_label("Outcome, in the child's words")).to_have_value(carried)  # pre-filled
    expect(page.get_by_label("Who is responsible")).to_have_value("Class teacher")
    browse.fill_date("By when", today + datetime.timedelta(days=120))
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Target added")
    targets = section_card(browse, "targets")
    expect(targets.get_by_role("heading", name=f"Target 1: {carried}")).to_be_visible()
    expect(targets.get_by_role("term").filter(has_text="Continues")).to_be_visible()
    expect(targets.get_by_role("link", name=carried)).to_have_attribute("href", f"/peps/{previous_pep.pk}/#targets")
    expect(reviews.get_by_role("link", name="Carry forward target 2")).to_have_count(0)

    browse.follow("Add a target", heading="Add a target", exact=True)
    page.get_by_label("Outcome, in the child's words").fill("Be better at maths")  # a service's words, not hers
    browse.press("Save", heading="Add a target")
    browse.expect_errors("Write the outcome in the child's words", "Enter the day, month and year")
    page.get_by_label("Outcome, in the child's words").fill(NEW_OUTCOME)
    page.get_by_label("Area").select_option(label="Maths")
    page.get_by_label("How success will be measured").fill("Scores 20 out of 20 in the weekly check")
    page.get_by_label("Actions: interventions or provision").fill("Twice-weekly maths tutoring")
    page.get_by_label("Who is responsible").fill("Maths tutor")
    browse.fill_date("By when", today + datetime.timedelta(days=120))
    page.get_by_label("Pupil Premium Plus cost (£)").fill("450")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Target added")
    expect(targets.get_by_role("heading", name=f"Target 2: {NEW_OUTCOME}")).to_be_visible()
    expect(targets).to_contain_text("£450.00")

    # The scale follows her year group, so take a grade from the middle of whichever it is.
    values = ATTAINMENT_VALUES[attainment_scale(pep)]
    _, grade_label = values[len(values) // 2]
    browse.follow("Record a subject", heading="Record attainment in a subject")
    page.get_by_label("Subject").fill("Maths")
    page.get_by_label("Working at now").select_option(label=grade_label)
    page.get_by_label("Expected by the end of the year").select_option(label=grade_label)
    page.get_by_label("Note").fill("On track")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Attainment recorded")
    expect(section_card(browse, "attainment").get_by_role("row", name=re.compile("^Maths"))).to_contain_text("On track")

    browse.follow(
        "Complete SEND, attendance and the school's view",
        heading="Section D – Progress, SEND and education summary",
    )
    page.get_by_label("N – No special educational need").check()
    page.get_by_label("Attendance this academic year (%)").fill("96.5")
    page.get_by_label("School view: what is going well").fill("Reading has come on fast")
    page.get_by_label("Summary of the young person's story in education").fill("Settled, making good progress")
    page.get_by_label("How Pupil Premium Plus is used").fill("Reading books")
    browse.fill_date("Date of the next PEP meeting", next_meeting)
    page.get_by_label("Start time of the next PEP meeting").fill("14:30")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section D – Progress, SEND and education summary saved")
    section_d = section_card(browse, "section-d")
    expect(section_d).to_contain_text(f"{long_date(next_meeting)}, 14:30")
    expect(section_d).to_contain_text("96.5")

    browse.follow(
        "Return the school section to the social worker", heading="Return the school section to the social worker"
    )
    browse.press("Return the school section to the social worker", heading=PEP_HEADING)
    browse.expect_success("Done: return the school section to the social worker")
    expect_status(browse, "School section returned")
    browse.sign_out()

    # --- Step 7: the social worker submits; the Virtual School returns it to the school -------
    browse.sign_in(world.sw)
    open_the_pep(browse, "School section returned")
    browse.follow("Submit to the Virtual School", heading="Submit to the Virtual School")
    browse.press("Submit to the Virtual School", heading=PEP_HEADING)
    expect_status(browse, "Submitted to Virtual School")
    browse.sign_out()

    browse.sign_in(world.vs)
    open_the_pep(browse, "Submitted to Virtual School")
    browse.follow("Return to the school for amendment", heading="Return to the school for amendment")
    browse.press("Return to the school for amendment", heading="Return to the school for amendment")
    browse.expect_errors("Enter the reasons")  # reasons are required
    page.get_by_label("Reasons").fill(RETURN_REASON)
    browse.press("Return to the school for amendment", heading=PEP_HEADING)
    expect_status(browse, "Returned to school")
    expect(section_card(browse, "section-e")).to_contain_text(
        f"Returned to the school by Val School on {long_date(today)}"
    )
    browse.sign_out()

    # --- The Designated Teacher amends Section D and returns it to the Virtual School --------
    browse.sign_in(world.dt)
    open_the_pep(browse, "Returned to school")
    expect(section_card(browse, "section-e")).to_contain_text(RETURN_REASON)
    browse.follow(
        "Change SEND, attendance and the school's view", heading="Section D – Progress, SEND and education summary"
    )
    expect(page.get_by_label("Start time of the next PEP meeting")).to_have_value("14:30")  # kept from before
    page.get_by_label("How Pupil Premium Plus is used").fill("Reading books; £450 for maths tutoring (target 2)")
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Section D – Progress, SEND and education summary saved")
    move = "Return the amended school section to the Virtual School"
    browse.follow(move, heading=move)
    browse.press(move, heading=PEP_HEADING)
    expect_status(browse, "Submitted to Virtual School")
    browse.sign_out()

    # --- The Virtual School signs it off -------------------------------------------------------
    browse.sign_in(world.vs)
    open_the_pep(browse, "Submitted to Virtual School")
    browse.follow("Sign off the PEP", heading="Sign off the PEP")
    browse.press("Sign off the PEP", heading=PEP_HEADING)
    expect_status(browse, "Signed off")
    expect(page.get_by_text("This PEP is signed off and can no longer be changed.")).to_be_visible()
    expect(section_card(browse, "section-e").get_by_role("listitem").last).to_have_text(
        f"Signed off by Val School on {long_date(today)}"
    )
    browse.sign_out()

    # --- Afterwards the Designated Teacher can read but not change it; History tells the story --
    browse.sign_in(world.dt)
    open_the_pep(browse, "Signed off")
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
