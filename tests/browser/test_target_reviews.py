"""Issue 16: the school reviews last term's targets on one page, in a real browser. Three previous
targets, an error on one of them that keeps what was typed in the others, then the save, with one
target carried forward and seen among the PEP's new targets. axe runs on every page."""

import datetime
import re

from playwright.sync_api import expect

from openpep.plans.enums import Status, TargetRating
from openpep.plans.models import Target
from tests.builders import cast_of, pep_in, start

OUTCOME = "I will read a chapter book each week ({})"
EVIDENCE = {1: "Reading log shows a book a week since October", 3: "Reads with support, not yet alone"}


def test_the_school_reviews_three_previous_targets_on_one_page_and_carries_one_forward(browse, world):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=3)
    pep = start(cast)
    page = browse.page
    new_date = datetime.date(2027, 7, 16)

    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/", heading=re.compile("^PEP: "))
    browse.follow("Previous targets: how far were they achieved", heading="Review last term's targets")

    def target(number):
        return page.get_by_role("group", name=f"Target {number}: {OUTCOME.format(number)}", exact=True)

    target(1).get_by_role("radio", name="Achieved", exact=True).check()
    target(1).get_by_label("Evidence").fill(EVIDENCE[1])
    target(2).get_by_role("radio", name="Not achieved", exact=True).check()  # no evidence: the error
    target(3).get_by_role("radio", name="Partly achieved", exact=True).check()
    target(3).get_by_label("Evidence").fill(EVIDENCE[3])
    target(3).get_by_label("Carry this target forward into this PEP").check()
    browse.fill_date("New date for target 3, if carried forward", new_date)
    browse.press("Save the reviews", heading="Review last term's targets")

    browse.expect_errors("Enter the evidence for target 2")
    expect(target(1).get_by_role("radio", name="Achieved", exact=True)).to_be_checked()
    expect(target(1).get_by_label("Evidence")).to_have_value(EVIDENCE[1])
    expect(target(2).get_by_role("radio", name="Not achieved", exact=True)).to_be_checked()
    expect(target(3).get_by_label("Evidence")).to_have_value(EVIDENCE[3])
    expect(target(3).get_by_label("Carry this target forward into this PEP")).to_be_checked()
    expect(target(3).get_by_label("Year", exact=True)).to_have_value("2027")
    assert [r.rating for r in pep.target_reviews.all()] == ["", "", ""]
    assert not Target.objects.filter(pep=pep).exists()

    target(2).get_by_label("Evidence").fill("Stopped the reading log after half-term")
    browse.press("Save the reviews", heading=re.compile("^PEP: "))

    browse.expect_success("Reviews of previous targets saved; 1 carried forward into this PEP's targets")
    expect(page.locator("#reviews-status")).to_have_text("Completed")  # back on the task list, at the task
    browse.follow("Read the whole PEP", heading=re.compile("^PEP: "))
    reviews = page.locator("#reviews")
    expect(reviews).to_contain_text("Stopped the reading log after half-term")
    expect(reviews.get_by_role("link", name="Carry forward target 3")).to_have_count(0)
    new_targets = page.locator("#targets")
    expect(new_targets.get_by_role("heading", name=f"Target 1: {OUTCOME.format(3)}")).to_be_visible()
    expect(new_targets.get_by_role("link", name=OUTCOME.format(3))).to_be_visible()  # its "Continues" row
    assert [r.rating for r in pep.target_reviews.order_by("target__created_at")] == [
        TargetRating.ACHIEVED,
        TargetRating.NOT_ACHIEVED,
        TargetRating.PARTLY,
    ]
    carried = Target.objects.get(pep=pep)
    assert (carried.continues.outcome, carried.by_when) == (OUTCOME.format(3), new_date)
