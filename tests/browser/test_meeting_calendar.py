"""Issue 16's meeting items in a real browser with JavaScript off: the social worker downloads the
meeting's calendar file and resends the invitation; the Designated Teacher sets Section D's next
meeting in lesson time and the page comes back once with the warning. Every page is checked with
axe (as served, see test_without_javascript.py)."""

from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect

from openpep.plans.enums import Occasion
from tests.builders import a_weekday_ahead, cast_of, complete_section_d, invite, schedule_meeting, start

from .test_without_javascript import browse_without_js  # noqa: F401 — the fixture

CHILD = "Amira Test"
PEP_HEADING = "PEP: Termly review – Statutory school age (Reception to Year 11)"
SECTION_D = "Section D – Progress, SEND and education summary"


def test_calendar_file_resend_and_the_next_meetings_lesson_time_warning(
    browse_without_js,  # noqa: F811 — the fixture imported above
    world,
    previous_pep,
):
    browse = browse_without_js
    page = browse.page
    pep = start(cast_of(world), occasion=Occasion.REVIEW)
    meeting = schedule_meeting(pep, world.sw, held_on=a_weekday_ahead(10))
    invite(pep, world.sw)  # the carer: never in the downloaded file
    complete_section_d(pep, world.dt)
    mail.outbox.clear()

    # --- The social worker downloads the calendar file, then resends the DT's invitation -----------
    browse.sign_in(world.sw)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Termly review", heading=PEP_HEADING)
    browse.follow("Read the whole PEP", heading=PEP_HEADING)  # the meeting's card
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar").click()
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    event = calendar.events[0]
    assert (calendar["METHOD"], event.uid, event.sequence) == ("REQUEST", f"pep-meeting-{meeting.pk}@openpep", 0)
    assert "jo.carer" not in calendar.to_ical().decode()

    browse.press("Resend invitation to Dee Teacher", heading=PEP_HEADING)
    browse.expect_success("The invitation has been sent again to Dee Teacher")
    assert [m.to for m in mail.outbox] == [["dt@test.example"]]
    browse.press("Resend the invitation to everyone", heading=PEP_HEADING)
    browse.expect_success("The invitation has been sent again to everyone invited (3)")
    browse.sign_out()

    # --- The DT sets the next meeting at 10:00 on a school day: saved, with the warning -----------
    browse.sign_in(world.dt)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Termly review", heading=PEP_HEADING)
    browse.follow("Section D – SEND, attendance and the school's view", heading=SECTION_D)
    next_day = a_weekday_ahead(40)
    browse.fill_date("Date of the next PEP meeting", next_day)
    page.get_by_label("Start time of the next PEP meeting").fill("10:00")
    browse.press("Save", heading=SECTION_D)
    warning = page.locator("#lesson-time")
    expect(warning).to_contain_text("The next meeting is in lesson time")
    expect(warning).to_contain_text("Do not take Amira out of lessons unless it is necessary.")
    browse.follow("Go back to the PEP", heading=PEP_HEADING)
    browse.follow("Read the whole PEP", heading=PEP_HEADING)
    expect(page.locator("#section-d")).to_contain_text(f"{next_day.day} {next_day:%B %Y}")
