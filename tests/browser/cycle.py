"""The whole PEP cycle, written once and driven two ways: with the keyboard alone
(`test_keyboard.py`) and with JavaScript off (`test_without_javascript.py`).

Before the meeting: the social worker starts the PEP and schedules the meeting, which invites
the Designated Teacher; the DT answers, records the child's views and pre-drafts Section D.
During: the social worker records the meeting, that the plan was agreed, and who came.
After: the DT returns the school section, the social worker submits, the Virtual School records
a red quality round and returns the PEP for amendment, the DT fixes it and resubmits, the
Virtual School records a green round, signs it off and downloads the signed-off copy.

Each step is taken through an `Actions` object: `Mouse` clicks and fills (the way the other
browser tests do), `Keyboard` in test_keyboard.py only presses keys. `test_pep_cycle.py` walks
a shorter cycle with the mouse and JavaScript on (the meeting recorded without scheduling it, no
QA rounds, and the error states of Sections B and D) through the same steps: each starts on the
PEP's page (its task list), reaching a part's form from its task or, for what is done from a part's
card (a target's review, the meeting), from the whole PEP, and ends where the save returns (the task
list, at the part's row, whose status it checks); ``on_form`` is what a caller does on a step's form
before filling it. ``check_the_school_part`` reads the whole PEP for what the school wrote.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Download, Locator, expect

from openpep.clock.calendar import add_working_days
from openpep.plans.enums import ATTAINMENT_VALUES
from openpep.plans.forms import attainment_scale
from openpep.plans.models import Pep
from tests.builders import a_weekday_ahead, hold

from .conftest import PREVIOUS_TARGETS, Browse

CHILD = "Amira Test"
PEP_HEADING = "PEP: Termly review – Statutory school age (Reception to Year 11)"
NEW_OUTCOME = "I will know my times tables up to 12 × 12"
RETURN_REASON = "Please add how the Pupil Premium Plus pays for the maths tutoring."
PP_CRITERION = "PP+ costed and linked to targets"
QA_FEEDBACK = "Target 2 costs £450 but Section D does not say what the money pays for."
FIXED_PP_USE = "Reading books; £450 for maths tutoring (target 2)"
SECTION_C = "Section C – Education arrangements and actions"
SECTION_D = "Section D – Progress, SEND and education summary"
SECTION_D_TASK = "Section D – SEND, attendance and the school's view"


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"  # as the pages write dates: 3 March 2027


def expect_status(browse, status: str) -> None:
    """The PEP's status, the first tag under its heading."""
    expect(browse.page.get_by_role("main").locator(".govuk-tag").first).to_have_text(status)


def expect_task(act, task: str, status: str) -> None:
    """A part's status on the PEP's task list (the row's id is the part's anchor)."""
    expect(act.page.locator(f"#{task}-status")).to_have_text(status)


def read_the_whole(act) -> None:
    """From the task list to the whole PEP, where each part's card is."""
    act.follow("Read the whole PEP", heading=PEP_HEADING)


class Mouse:
    """Acts as the other browser tests do: clicks and fills, through `Browse`."""

    def __init__(self, browse: Browse):
        self.browse = browse
        self.page = browse.page

    def follow(self, link: str, *, heading, exact: bool = False) -> None:
        self.browse.follow(link, heading=heading, exact=exact)

    def press(self, button: str, *, heading) -> None:
        self.browse.press(button, heading=heading)

    def fill(self, field: Locator, text: str) -> None:
        field.fill(text)

    def check(self, box: Locator) -> None:
        box.check()

    def choose(self, radio: Locator) -> None:
        radio.check()

    def select(self, field: Locator, label: str) -> None:
        field.select_option(label=label)

    def fill_date(self, legend: str, day: datetime.date) -> None:
        self.browse.fill_date(legend, day)

    def download(self, link: Locator) -> Download:
        with self.page.expect_download() as downloading:
            link.click()
        return downloading.value

    def expect_errors(self, *messages: str) -> None:
        """The error summary lists the messages and links each to a field on the page (moving
        focus there is GOV.UK Frontend's script's work, checked where scripts run)."""
        summary = self.page.locator(".govuk-error-summary")
        expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
        links = summary.get_by_role("link")
        for message in messages:
            expect(links.filter(has_text=message)).to_have_count(1)
        for i in range(links.count()):
            expect(self.page.locator(links.nth(i).get_attribute("href"))).to_have_count(1)

    def sign_out(self) -> None:
        self.browse.sign_out()


def open_the_pep(act, status: str) -> None:
    """From the children list: the child, then the current PEP, whose status is checked."""
    act.follow(CHILD, heading=CHILD)
    act.follow("Termly review", heading=PEP_HEADING)
    expect_status(act.browse, status)


def _done(act, on_form) -> None:
    if on_form is not None:
        on_form()


# --- the steps: each from the PEP's page back to it ------------------------------------------------


def start_the_pep(act, world, previous_pep) -> Pep:
    """The social worker, from the children list."""
    page, label = act.page, act.page.get_by_label
    act.follow(CHILD, heading=CHILD)
    act.follow("Start a PEP", heading="Start a PEP – Section A")
    expect(page.get_by_text("The targets of the previous PEP will be ready to review")).to_be_visible()
    act.choose(label("Statutory school age (Reception to Year 11)"))
    expect(label("Termly review")).to_be_checked()  # a previous PEP exists
    act.press("Start PEP", heading=PEP_HEADING)
    act.browse.expect_success("The PEP has been started")
    expect_status(act.browse, "Draft")
    return Pep.objects.exclude(pk=previous_pep.pk).get(child=world.child)


def record_views(act, *, on_form=None) -> None:
    label = act.page.get_by_label
    act.follow("Section B – Child's views", heading="Section B – Child's views")
    _done(act, on_form)
    act.fill(label("What is going well"), "I like reading to my class")
    act.fill(label("What is hard"), "Times tables")
    act.fill(label("What helps me"), "Working with Miss Patel")
    act.fill(label("What I want to do or be"), "A vet")
    act.choose(label("In the child's own words"))
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("Section B – Child's views saved")
    expect_task(act, "section-b", "Completed")


REVIEWS = [("Achieved", "Reading log shows a chapter book a week"), ("Partly achieved", "Told an adult twice")]


def review_previous_targets(act) -> None:
    page, label = act.page, act.page.get_by_label
    expect_task(act, "reviews", "Not started")
    for number, (rating, evidence) in enumerate(REVIEWS, start=1):
        read_the_whole(act)
        act.follow(f"Review target {number}", heading="Review of a previous target")
        expect(page.locator(".govuk-inset-text")).to_contain_text(PREVIOUS_TARGETS[number - 1])
        act.choose(label(rating, exact=True))
        act.fill(label("Evidence"), evidence)
        act.press("Save", heading=PEP_HEADING)
        act.browse.expect_success("Review of a previous target saved")
        expect_task(act, "reviews", "In progress" if number < len(REVIEWS) else "Completed")


def carry_forward_target_2(act, previous_pep) -> None:
    page, label = act.page, act.page.get_by_label
    carried = PREVIOUS_TARGETS[1]
    read_the_whole(act)
    act.follow("Carry forward target 2", heading="Carry forward a target")
    expect(page.get_by_text(f"Continues the previous target: {carried}")).to_be_visible()
    expect(label("Outcome, in the child's words")).to_have_value(carried)  # pre-filled
    expect(label("Who is responsible")).to_have_value("Class teacher")
    act.fill_date("By when", timezone.localdate() + datetime.timedelta(days=120))
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("Target added")
    expect_task(act, "targets", "Completed")


def add_a_target(act, *, on_form=None) -> None:
    label = act.page.get_by_label
    act.follow("New targets", heading="Add a target", exact=True)
    _done(act, on_form)
    act.fill(label("Outcome, in the child's words"), NEW_OUTCOME)
    act.select(label("Area"), "Maths")
    act.fill(label("How success will be measured"), "Scores 20 out of 20 in the weekly check")
    act.fill(label("Actions: interventions or provision"), "Twice-weekly maths tutoring")
    act.fill(label("Who is responsible"), "Maths tutor")
    act.fill_date("By when", timezone.localdate() + datetime.timedelta(days=120))
    act.fill(label("Pupil Premium Plus cost (£)"), "450")
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("Target added")
    expect_task(act, "targets", "Completed")


def record_attainment(act, pep) -> None:
    label = act.page.get_by_label
    # The scale follows her year group, so take a grade from the middle of whichever it is.
    values = ATTAINMENT_VALUES[attainment_scale(pep)]
    _, grade = values[len(values) // 2]
    expect_task(act, "attainment", "Not started")
    act.follow("Attainment", heading="Record attainment in a subject", exact=True)
    act.fill(label("Subject"), "Maths")
    act.select(label("Working at now"), grade)
    act.select(label("Expected by the end of the year"), grade)
    act.fill(label("Note"), "On track")
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("Attainment recorded")
    expect_task(act, "attainment", "Completed")


def complete_section_d(act) -> None:
    label = act.page.get_by_label
    # A school day: the test world has no term dates, so any weekday but a bank holiday.
    next_meeting = add_working_days(timezone.localdate(), 60)
    act.follow(SECTION_D_TASK, heading=SECTION_D)
    act.choose(label("N – No special educational need"))
    act.fill(label("Attendance this academic year (%)"), "96.5")
    act.fill(label("School view: what is going well"), "Reading has come on fast")
    act.fill(label("Summary of the young person's story in education"), "Settled, making good progress")
    act.fill(label("How Pupil Premium Plus is used"), "Reading books")
    act.fill_date("Date of the next PEP meeting", next_meeting)
    act.fill(label("Start time of the next PEP meeting"), "15:30")  # after school: no lesson-time warning
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success(f"{SECTION_D} saved")
    expect_task(act, "section-d", "Completed")
    return next_meeting


def check_the_school_part(act, previous_pep, next_meeting: datetime.date) -> None:
    """On the whole PEP: the reviews, the targets, the attainment and Section D as the school wrote them."""
    page = act.page
    read_the_whole(act)
    reviews = page.locator("#reviews")
    for outcome, (rating, _) in zip(PREVIOUS_TARGETS, REVIEWS, strict=True):
        expect(reviews.get_by_role("row", name=re.compile(re.escape(outcome)))).to_contain_text(rating)
    expect(reviews.get_by_role("link", name="Carry forward target 2")).to_have_count(0)
    targets = page.locator("#targets")
    carried = PREVIOUS_TARGETS[1]
    expect(targets.get_by_role("heading", name=f"Target 1: {carried}")).to_be_visible()
    expect(targets.get_by_role("term").filter(has_text="Continues")).to_be_visible()
    carried_link = targets.get_by_role("link", name=carried)
    expect(carried_link).to_have_attribute("href", f"/peps/{previous_pep.pk}/whole/#targets")
    expect(targets.get_by_role("heading", name=f"Target 2: {NEW_OUTCOME}")).to_be_visible()
    expect(targets).to_contain_text("£450.00")
    expect(page.locator("#attainment").get_by_role("row", name=re.compile("^Maths"))).to_contain_text("On track")
    section_d = page.locator("#section-d")
    expect(section_d).to_contain_text(f"{long_date(next_meeting)}, 15:30")
    expect(section_d).to_contain_text("96.5")


def complete_section_c(act) -> None:
    page, label = act.page, act.page.get_by_label
    act.follow(SECTION_C, heading=SECTION_C)
    act.fill(label("Current education setting and arrangements"), "Year 7 at Oak Primary, full time")
    act.choose(page.get_by_role("group", name="Is the child in full-time education?").get_by_label("Yes"))
    act.fill(label("Transport to school or setting"), "Carer drives her")
    act.fill(label("Actions for the social worker"), "Share the PEP with the IRO")
    act.fill(label("The carer's views"), "She is proud of her reading")
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success(f"{SECTION_C} saved")
    expect_task(act, "section-c", "Completed")


def record_the_meeting(act, *, on_form) -> None:
    """``on_form``: the meeting's date, time and place, checked as scheduled or filled in."""
    label = act.page.get_by_label
    read_the_whole(act)
    act.follow("Record the meeting", heading="PEP meeting record", exact=True)
    on_form()
    act.fill(label("Chair", exact=True), "Dee Teacher")
    act.fill(label("Note taker"), "Sam Worker")
    act.fill(label("Notes of the discussion"), "Amira spoke first about her reading.")
    act.check(label("The plan was agreed at the meeting"))
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("PEP meeting record saved")
    expect_task(act, "meeting", "Completed")


def add_an_attendee(act) -> None:
    label = act.page.get_by_label
    read_the_whole(act)
    act.follow("Add an attendee", heading="Add an attendee")
    act.fill(label("Name"), "Jo Carer")
    act.choose(label("Carer", exact=True))
    act.choose(label("Present", exact=True))
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success("Jo Carer added")  # back on the meeting's card
    expect(act.page.locator("#meeting").get_by_role("row", name="Jo Carer Carer Present")).to_be_visible()


def move(act, name: str, *, status: str) -> None:
    """A move of the workflow that needs no reasons: its page, its button, the new status."""
    act.follow(name, heading=name)
    act.press(name, heading=PEP_HEADING)
    act.browse.expect_success(f"Done: {name[0].lower()}{name[1:]}")
    expect_status(act.browse, status)


def return_for_amendment(act) -> None:
    """The Virtual School's return, refused without its reasons first."""
    name = "Return to the school for amendment"
    act.follow(name, heading=name)
    act.press(name, heading=name)  # without its reasons
    act.expect_errors("Enter the reasons")
    act.fill(act.page.get_by_label("Reasons"), RETURN_REASON)
    act.press(name, heading=PEP_HEADING)
    expect_status(act.browse, "Returned to school")
    read_the_whole(act)
    expect(act.page.locator("#section-e")).to_contain_text(
        f"Returned to the school by Val School on {long_date(timezone.localdate())}"
    )


def amend_section_d(act) -> None:
    page, label = act.page, act.page.get_by_label
    act.follow(SECTION_D_TASK, heading=SECTION_D)
    expect(label("Start time of the next PEP meeting")).to_have_value("15:30")  # kept from before
    act.fill(label("How Pupil Premium Plus is used"), FIXED_PP_USE)
    act.press("Save", heading=PEP_HEADING)
    act.browse.expect_success(f"{SECTION_D} saved")
    read_the_whole(act)
    expect(page.locator("#section-d")).to_contain_text(FIXED_PP_USE)


def sign_off(act) -> None:
    page = act.page
    move(act, "Sign off the PEP", status="Signed off")
    expect(page.get_by_text("This PEP is signed off and can no longer be changed.")).to_be_visible()
    expect_task(act, "section-e", "Completed")
    read_the_whole(act)
    expect(page.locator("#section-e").get_by_role("listitem").last).to_have_text(
        f"Signed off by Val School on {long_date(timezone.localdate())}"
    )


def rate(act, red: dict[str, str]) -> None:
    """On the QA round page: every criterion green except those in ``red``, with their feedback."""
    page = act.page
    groups = page.get_by_role("group").filter(has=page.get_by_role("radio", name="Green", exact=True))
    for i in range(groups.count()):
        group = groups.nth(i)
        legend = group.locator("legend").inner_text()
        title = next((t for t in red if legend.endswith(t)), None)
        act.choose(group.get_by_role("radio", name="Red" if title else "Green", exact=True))
        if title:
            act.fill(page.get_by_label(f"Feedback on ‘{title}’"), red[title])


def the_whole_cycle(act, world, previous_pep) -> Pep:
    """Every step of one PEP cycle, each by the role that does it. Returns the PEP, signed off."""
    browse, page = act.browse, act.page
    meeting_day = a_weekday_ahead(12)
    label = page.get_by_label

    # === Before the meeting ====================================================================
    # --- The social worker starts the PEP and schedules the meeting ---------------------------
    browse.sign_in(world.sw)
    pep = start_the_pep(act, world, previous_pep)

    expect_task(act, "section-e", "Cannot start yet")
    read_the_whole(act)
    act.follow("Schedule the meeting", heading="Schedule the PEP meeting")
    act.fill_date("Date of the meeting", meeting_day)
    act.fill(label("Start time"), "16:00")
    act.fill(label("Planned length (minutes)"), "60")
    act.choose(label("A room at school"))
    act.fill(label("Room or address"), "Library meeting room")
    act.choose(page.get_by_role("group", name="Will Amira attend?").get_by_label("Yes"))
    act.fill(label("How will Amira's input be secured?"), "Amira will join for the first 15 minutes")
    act.press("Save and send the invitations", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("The meeting has been scheduled and the invitations sent")
    expect_task(act, "meeting", "In progress")
    read_the_whole(act)
    expect(page.locator("#invitations").get_by_role("row").filter(has_text="Dee Teacher")).to_have_count(1)
    act.sign_out()

    # --- The Designated Teacher answers, records the child's views and pre-drafts Section D ---
    browse.sign_in(world.dt)
    open_the_pep(act, "Draft")
    read_the_whole(act)
    act.press("I will attend", heading=PEP_HEADING)  # back on the meeting's card
    expect(page.locator("#your-answer")).to_contain_text("Your answer: attending.")
    act.follow("Back to the PEP's task list", heading=PEP_HEADING)
    record_views(act)
    review_previous_targets(act)
    carry_forward_target_2(act, previous_pep)
    add_a_target(act)
    record_attainment(act, pep)
    check_the_school_part(act, previous_pep, complete_section_d(act))
    act.sign_out()

    # === During the meeting: the social worker's record, the agreement, who came ==============
    hold(pep)  # the day comes: a meeting is recorded once it has started
    browse.sign_in(world.sw)
    open_the_pep(act, "Draft")
    complete_section_c(act)
    record_the_meeting(
        act,
        on_form=lambda: expect(label("Venue")).to_have_value("Library meeting room"),  # as scheduled
    )
    add_an_attendee(act)
    act.sign_out()

    # === After the meeting =====================================================================
    # --- The Designated Teacher returns the school section -------------------------------------
    browse.sign_in(world.dt)
    open_the_pep(act, "Draft")
    move(act, "Return the school section to the social worker", status="School section returned")
    act.sign_out()

    # --- The social worker submits it to the Virtual School ------------------------------------
    browse.sign_in(world.sw)
    open_the_pep(act, "School section returned")
    move(act, "Submit to the Virtual School", status="Submitted to Virtual School")
    act.sign_out()

    # --- The Virtual School's quality assurance finds it red, and returns it for amendment -----
    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    read_the_whole(act)
    act.follow("Record a quality assurance round", heading="Record a quality assurance round")
    rate(act, red={PP_CRITERION: QA_FEEDBACK})
    act.press("Record the round", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("Quality assurance round recorded: Red overall")
    return_for_amendment(act)
    act.sign_out()

    # --- The Designated Teacher fixes Section D and returns it ---------------------------------
    browse.sign_in(world.dt)
    open_the_pep(act, "Returned to school")
    expect_task(act, "section-d", "Completed")
    read_the_whole(act)
    expect(page.locator("#section-e")).to_contain_text(RETURN_REASON)
    expect(page.locator("#quality")).to_contain_text(QA_FEEDBACK)
    act.follow("Back to the PEP's task list", heading=PEP_HEADING)
    amend_section_d(act)
    move(act, "Return the amended school section to the Virtual School", status="Submitted to Virtual School")
    act.sign_out()

    # --- The Virtual School records a green round, signs it off and downloads the copy ---------
    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    read_the_whole(act)
    act.follow("Record a quality assurance round", heading="Record a quality assurance round")
    rate(act, red={})
    act.press("Record the round", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("Quality assurance round recorded: Green overall")
    sign_off(act)
    copy = act.download(page.locator("#documents").get_by_role("link", name=re.compile("^Download the whole PEP")))
    assert open(copy.path(), "rb").read(5) == b"%PDF-"
    act.sign_out()
    return Pep.objects.get(pk=pep.pk)
