"""The Virtual School head words a PEP type the council's way; the social worker starting a PEP
sees it in Section A. Every page is checked with axe as it arrives."""

from playwright.sync_api import expect

from openpep.plans.models import pep_type_wording


def test_the_head_rewords_an_occasion_and_the_social_worker_sees_it(browse, world):
    page = browse.page
    browse.sign_in(world.vs_admin)
    browse.follow("PEP types", heading="Wording of PEP types")
    review = page.get_by_role("group", name="Termly review")
    review.get_by_label("Your council's label (optional)").fill("Review PEP (termly)")
    review.get_by_label("Your council's hint (optional)").fill("At the start of each school term")
    interim = page.get_by_role("group", name="Interim")
    interim.get_by_label("Your council's label (optional)").fill("review pep (TERMLY)")
    browse.press("Save", heading="Wording of PEP types")
    browse.expect_errors("‘review pep (TERMLY)’ is already the wording of another occasion: ‘Review PEP (termly)’")

    interim.get_by_label("Your council's label (optional)").fill("")
    browse.press("Save", heading="Wording of PEP types")
    browse.expect_success("The wording of PEP types has been saved")
    assert pep_type_wording(world.authority).occasion("review") == "Review PEP (termly)"
    browse.sign_out()

    browse.sign_in(world.sw)
    browse.goto(f"/peps/start/{world.child.pk}/", heading="Start a PEP – Section A")
    occasion = page.get_by_role("group", name="Occasion")
    expect(occasion.get_by_label("Review PEP (termly)")).to_be_visible()
    expect(occasion.get_by_text("At the start of each school term")).to_be_visible()
    expect(occasion.get_by_label("Termly review")).to_have_count(0)
