"""The whole PEP cycle, written once and driven two ways: with the keyboard alone
(`test_keyboard.py`) and with JavaScript off (`test_without_javascript.py`).

Before the meeting: the social worker starts the PEP and schedules the meeting, which invites
the Designated Teacher; the DT answers, records the child's views and pre-drafts Section D.
During: the social worker records the meeting, that the plan was agreed, and who came.
After: the DT returns the school section, the social worker submits, the Virtual School records
a red quality round and returns the PEP for amendment, the DT fixes it and resubmits, the
Virtual School records a green round, signs it off and downloads the signed-off copy.

Each step is taken through an `Actions` object: `Mouse` clicks and fills (the way the other
browser tests do), `Keyboard` in test_keyboard.py only presses keys. Steps reuse the data of
`test_pep_cycle.py`, which walks the same cycle with the mouse and JavaScript on.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Download, Locator, expect

from openpep.clock.calendar import add_working_days
from openpep.plans.enums import ATTAINMENT_VALUES
from openpep.plans.forms import attainment_scale
from openpep.plans.models import Pep
from tests.builders import a_weekday_ahead

from .conftest import PREVIOUS_TARGETS, Browse
from .test_pep_cycle import CHILD, NEW_OUTCOME, PEP_HEADING, RETURN_REASON, expect_status, long_date

PP_CRITERION = "PP+ costed and linked to targets"
QA_FEEDBACK = "Target 2 costs £450 but Section D does not say what the money pays for."
FIXED_PP_USE = "Reading books; £450 for maths tutoring (target 2)"


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
    act.follow(CHILD, heading=CHILD)
    act.follow("Termly review", heading=PEP_HEADING)
    expect_status(act.browse, status)


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
    today = timezone.localdate()
    meeting_day = a_weekday_ahead(12)
    next_meeting = add_working_days(today, 60)
    label = page.get_by_label

    # === Before the meeting ====================================================================
    # --- The social worker starts the PEP and schedules the meeting ---------------------------
    browse.sign_in(world.sw)
    act.follow(CHILD, heading=CHILD)
    act.follow("Start a PEP", heading="Start a PEP – Section A")
    act.choose(label("Statutory school age (Reception to Year 11)"))
    expect(label("Termly review")).to_be_checked()  # a previous PEP exists
    act.press("Start PEP", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("The PEP has been started")
    expect_status(browse, "Draft")
    pep = Pep.objects.exclude(pk=previous_pep.pk).get(child=world.child)

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
    expect(page.locator("#invitations").get_by_role("row").filter(has_text="Dee Teacher")).to_have_count(1)
    act.sign_out()

    # --- The Designated Teacher answers, records the child's views and pre-drafts Section D ---
    browse.sign_in(world.dt)
    open_the_pep(act, "Draft")
    act.press("I will attend", heading=PEP_HEADING)
    expect(page.locator("#your-answer")).to_contain_text("Your answer: attending.")

    act.follow("Complete Section B – Child's views", heading="Section B – Child's views")
    act.fill(label("What is going well"), "I like reading to my class")
    act.fill(label("What is hard"), "Times tables")
    act.fill(label("What helps me"), "Working with Miss Patel")
    act.fill(label("What I want to do or be"), "A vet")
    act.choose(label("In the child's own words"))
    act.press("Save", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("Section B – Child's views saved")
    expect(page.locator("#section-b")).to_contain_text("I like reading to my class")

    reviews = page.locator("#reviews")
    for number, (rating, evidence) in enumerate(
        [("Achieved", "Reading log shows a chapter book a week"), ("Partly achieved", "Told an adult twice")],
        start=1,
    ):
        act.follow(f"Review target {number}", heading="Review of a previous target")
        act.choose(label(rating, exact=True))
        act.fill(label("Evidence"), evidence)
        act.press("Save", heading=PEP_HEADING)
        row = reviews.get_by_role("row", name=re.compile(re.escape(PREVIOUS_TARGETS[number - 1])))
        expect(row).to_contain_text(rating)

    act.follow("Carry forward target 2", heading="Carry forward a target")
    expect(label("Outcome, in the child's words")).to_have_value(PREVIOUS_TARGETS[1])  # pre-filled
    act.fill_date("By when", today + datetime.timedelta(days=120))
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#targets").get_by_role("heading", name=f"Target 1: {PREVIOUS_TARGETS[1]}")).to_be_visible()

    act.follow("Add a target", heading="Add a target", exact=True)
    act.fill(label("Outcome, in the child's words"), NEW_OUTCOME)
    act.select(label("Area"), "Maths")
    act.fill(label("How success will be measured"), "Scores 20 out of 20 in the weekly check")
    act.fill(label("Actions: interventions or provision"), "Twice-weekly maths tutoring")
    act.fill(label("Who is responsible"), "Maths tutor")
    act.fill_date("By when", today + datetime.timedelta(days=120))
    act.fill(label("Pupil Premium Plus cost (£)"), "450")
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#targets").get_by_role("heading", name=f"Target 2: {NEW_OUTCOME}")).to_be_visible()

    values = ATTAINMENT_VALUES[attainment_scale(pep)]
    _, grade = values[len(values) // 2]
    act.follow("Record a subject", heading="Record attainment in a subject")
    act.fill(label("Subject"), "Maths")
    act.select(label("Working at now"), grade)
    act.select(label("Expected by the end of the year"), grade)
    act.fill(label("Note"), "On track")
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#attainment").get_by_role("row", name=re.compile("^Maths"))).to_contain_text("On track")

    act.follow(
        "Complete SEND, attendance and the school's view", heading="Section D – Progress, SEND and education summary"
    )
    act.choose(label("N – No special educational need"))
    act.fill(label("Attendance this academic year (%)"), "96.5")
    act.fill(label("School view: what is going well"), "Reading has come on fast")
    act.fill(label("Summary of the young person's story in education"), "Settled, making good progress")
    act.fill(label("How Pupil Premium Plus is used"), "Reading books")
    act.fill_date("Date of the next PEP meeting", next_meeting)
    act.fill(label("Start time of the next PEP meeting"), "14:30")
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#section-d")).to_contain_text(f"{long_date(next_meeting)}, 14:30")
    act.sign_out()

    # === During the meeting: the social worker's record, the agreement, who came ==============
    browse.sign_in(world.sw)
    open_the_pep(act, "Draft")
    section_c = "Section C – Education arrangements and actions"
    act.follow(f"Complete {section_c}", heading=section_c)
    act.fill(label("Current education setting and arrangements"), "Year 7 at Oak Primary, full time")
    act.choose(page.get_by_role("group", name="Is the child in full-time education?").get_by_label("Yes"))
    act.fill(label("Transport to school or setting"), "Carer drives her")
    act.fill(label("Actions for the social worker"), "Share the PEP with the IRO")
    act.fill(label("The carer's views"), "She is proud of her reading")
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#section-c")).to_contain_text("She is proud of her reading")

    act.follow("Record the meeting", heading="PEP meeting record", exact=True)
    expect(label("Venue")).to_have_value("Library meeting room")  # from the arrangements
    act.fill(label("Chair", exact=True), "Dee Teacher")
    act.fill(label("Note taker"), "Sam Worker")
    act.fill(label("Notes of the discussion"), "Amira spoke first about her reading.")
    act.check(label("The plan was agreed at the meeting"))
    act.press("Save", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("PEP meeting record saved")

    act.follow("Add an attendee", heading="Add an attendee")
    act.fill(label("Name"), "Jo Carer")
    act.choose(label("Carer", exact=True))
    act.choose(label("Present", exact=True))
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#meeting").get_by_role("row", name="Jo Carer Carer Present")).to_be_visible()
    act.sign_out()

    # === After the meeting =====================================================================
    # --- The Designated Teacher returns the school section -------------------------------------
    browse.sign_in(world.dt)
    open_the_pep(act, "Draft")
    move = "Return the school section to the social worker"
    act.follow(move, heading=move)
    act.press(move, heading=PEP_HEADING)
    expect_status(browse, "School section returned")
    act.sign_out()

    # --- The social worker submits it to the Virtual School ------------------------------------
    browse.sign_in(world.sw)
    open_the_pep(act, "School section returned")
    act.follow("Submit to the Virtual School", heading="Submit to the Virtual School")
    act.press("Submit to the Virtual School", heading=PEP_HEADING)
    expect_status(browse, "Submitted to Virtual School")
    act.sign_out()

    # --- The Virtual School's quality assurance finds it red, and returns it for amendment -----
    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    act.follow("Record a quality assurance round", heading="Record a quality assurance round")
    rate(act, red={PP_CRITERION: QA_FEEDBACK})
    act.press("Record the round", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("Quality assurance round recorded: Red overall")
    move = "Return to the school for amendment"
    act.follow(move, heading=move)
    act.press(move, heading=move)  # without its reasons
    act.expect_errors("Enter the reasons")
    act.fill(label("Reasons"), RETURN_REASON)
    act.press(move, heading=PEP_HEADING)
    expect_status(browse, "Returned to school")
    act.sign_out()

    # --- The Designated Teacher fixes Section D and returns it ---------------------------------
    browse.sign_in(world.dt)
    open_the_pep(act, "Returned to school")
    expect(page.locator("#section-e")).to_contain_text(RETURN_REASON)
    expect(page.locator("#quality")).to_contain_text(QA_FEEDBACK)
    act.follow(
        "Change SEND, attendance and the school's view", heading="Section D – Progress, SEND and education summary"
    )
    act.fill(label("How Pupil Premium Plus is used"), FIXED_PP_USE)
    act.press("Save", heading=PEP_HEADING)
    expect(page.locator("#section-d")).to_contain_text(FIXED_PP_USE)
    move = "Return the amended school section to the Virtual School"
    act.follow(move, heading=move)
    act.press(move, heading=PEP_HEADING)
    expect_status(browse, "Submitted to Virtual School")
    act.sign_out()

    # --- The Virtual School records a green round, signs it off and downloads the copy ---------
    browse.sign_in(world.vs)
    open_the_pep(act, "Submitted to Virtual School")
    act.follow("Record a quality assurance round", heading="Record a quality assurance round")
    rate(act, red={})
    act.press("Record the round", heading=PEP_HEADING)
    expect(page.get_by_role("alert")).to_contain_text("Quality assurance round recorded: Green overall")
    act.follow("Sign off the PEP", heading="Sign off the PEP")
    act.press("Sign off the PEP", heading=PEP_HEADING)
    expect_status(browse, "Signed off")
    expect(page.locator("#section-e").get_by_role("listitem").last).to_have_text(
        f"Signed off by Val School on {long_date(today)}"
    )
    copy = act.download(page.locator("#documents").get_by_role("link", name=re.compile("^Download the whole PEP")))
    assert open(copy.path(), "rb").read(5) == b"%PDF-"
    act.sign_out()
    return Pep.objects.get(pk=pep.pk)
