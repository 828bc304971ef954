"""Issue 16: a termly review's Section D opens with what the service already knows. The Designated
Teacher of a demo-like review PEP (last term's PEP signed off, this year's attendance data, the
council's term dates) opens Section D; the inputs filled on opening are counted and the share
printed, so it can be compared from run to run. Narrative answers are offered, not filled: the
button that starts from last term's answer works without JavaScript. axe runs on every page."""

import datetime
import re
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from openpep.attendance.enums import academic_year
from openpep.clock.demo import build_calendar
from openpep.plans import services
from openpep.plans.carry import FACTS
from openpep.plans.enums import Occasion, Phase, Section
from openpep.plans.models import Pep, SchoolSection
from tests.attendance.conftest import register

SECTION_D = "Section D – Progress, SEND and education summary"
LAST_SUPPORT = "Reading catch-up three mornings a week with a teaching assistant"

# Each of Section D's questions as its inputs are named (a date is three boxes, one question).
COUNT_FILLED = """() => {
  const questions = new Map();
  for (const el of document.querySelectorAll("form input, form select, form textarea")) {
    if (el.type === "hidden" || el.type === "submit" || !el.name) continue;
    const name = el.name.replace(/_[0-2]$/, "");
    const filled = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
    questions.set(name, (questions.get(name) || false) || filled);
  }
  return Object.fromEntries(questions);
}"""


def _demo_like_review(world, previous_pep) -> Pep:
    """Last term's PEP with what the demo's hold (SEN support, a need, the school's view, support,
    PP+); this academic year's register at the school; the council's terms; a review started."""
    SchoolSection.objects.filter(pep=previous_pep).update(
        sen_status="K",
        sen_primary_need="SLCN",
        attendance_percent=Decimal("91.0"),
        suspensions=0,
        suspension_days=Decimal("0"),
        permanent_exclusions=0,
        going_well="Reading with a key adult every morning",
        challenges="Unstructured times",
        support_offered=LAST_SUPPORT,
        support_needed="Speech and language therapy",
        pupil_premium_use="Reading tutor, two sessions a week",
    )
    build_calendar(world.authority, timezone.localdate())
    first = datetime.date(academic_year(timezone.localdate()), 9, 1)
    register(world.child, world.school, first, [("/", "\\")] * 9 + [("I", "N")])  # 18 of 20: 90.0%
    return services.start_pep(
        world.sw, world.child, Pep(phase=Phase.STATUTORY, occasion=Occasion.REVIEW, views_recorded_by="school")
    )


def test_a_review_section_d_opens_filled_with_the_facts_and_offers_last_terms_answers(browse, world, previous_pep):
    pep = _demo_like_review(world, previous_pep)
    page = browse.page
    browse.sign_in(world.dt)

    browse.goto(f"/peps/{pep.pk}/school/", heading=SECTION_D)

    filled = page.evaluate(COUNT_FILLED)
    share = sum(filled.values()) / len(filled)
    print(f"Section D filled on opening: {sum(filled.values())}/{len(filled)} = {share:.0%}")
    assert share >= 0.6, filled
    facts = [name for name in FACTS[Section.D] if name in filled]
    assert facts == [
        "sen_status",
        "sen_primary_need",
        "attendance_percent",
        "suspensions",
        "suspension_days",
        "permanent_exclusions",
    ]
    assert [name for name in facts if not filled[name]] == []  # every fact the PEP and the data hold
    expect(page.get_by_label("Attendance this academic year (%)")).to_have_value("90.0")
    expect(page.get_by_label("Summary of the young person's story in education")).to_contain_text(
        "Attendance this academic year is 90.0%"
    )
    expect(page.get_by_text(re.compile("^From the PEP signed off on "))).to_have_count(3)
    expect(page.get_by_label("Support offered")).to_have_value("")

    page.locator("#support_offered-last summary").click()
    page.get_by_label("School view: challenges").fill("Typed before the button")
    page.locator("#support_offered-last").get_by_role("button", name="Start from last term's answer").click()
    browse.arrive(SECTION_D)

    expect(page.get_by_label("Support offered")).to_have_value(LAST_SUPPORT)
    expect(page.get_by_label("School view: challenges")).to_have_value("Typed before the button")
    assert not SchoolSection.objects.filter(pep=pep).exists()

    # Enter in a box saves the section, as it does on every form: the offer's buttons are not the default.
    page.get_by_label("Start time of the next PEP meeting").fill("15:30")
    page.get_by_label("Attendance this academic year (%)").press("Enter")
    browse.arrive(re.compile("^PEP: "))
    saved = SchoolSection.objects.get(pep=pep)
    assert (saved.sen_status, saved.attendance_percent, saved.support_offered) == ("K", Decimal("90.0"), LAST_SUPPORT)
