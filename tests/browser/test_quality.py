"""Quality assurance in a real browser: the Virtual School officer rates a submitted PEP red on
one criterion and returns it to the school; the Designated Teacher amends Section D and returns
it; the officer records a green round and signs it off. Every page visited is checked with axe."""

import re

from playwright.sync_api import expect

from openpep.plans.enums import Status
from openpep.quality.enums import DEFAULT_CRITERIA
from tests.builders import cast_of, pep_in

CHILD = "Amira Test"
PEP_HEADING = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"
ROUND = "Record a quality assurance round"
SMART = "Targets are SMART"
FEEDBACK = "Target 1 does not say how often the reading log is checked, or by whom."
REASON = "Section D: target 1 needs to say how often progress is checked and by whom (see the QA round)."
MEASURE = "Reading log signed by the carer and checked every Friday by the class teacher"


def open_the_pep(browse, status: str) -> None:
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Initial PEP – new into care", heading=PEP_HEADING)
    expect(browse.page.get_by_role("main").locator(".govuk-tag").first).to_have_text(status)


def rate(browse, red: dict[str, str]) -> None:
    """On the QA round page: every criterion green, except those in ``red``, with their feedback."""
    page = browse.page
    for title, _ in DEFAULT_CRITERIA:
        group = page.get_by_role("group", name=re.compile(re.escape(title)))
        group.get_by_label("Red" if title in red else "Green", exact=True).check()
        if title in red:
            page.get_by_label(f"Feedback on ‘{title}’").fill(red[title])


def test_a_red_round_sends_the_pep_back_and_a_green_round_lets_it_be_signed_off(browse, world):
    page = browse.page
    pep_in(cast_of(world), Status.SUBMITTED)

    # --- The officer rates it red on one criterion: it cannot be signed off ------------------
    browse.sign_in(world.vs)
    open_the_pep(browse, "Submitted to Virtual School")
    browse.follow("Read the whole PEP", heading=PEP_HEADING)  # the QA rounds
    browse.follow(ROUND, heading=ROUND)
    browse.press("Record the round", heading=ROUND)  # nothing chosen
    browse.expect_errors(*(f"Select a rating for ‘{title}’" for title, _ in DEFAULT_CRITERIA))
    rate(browse, red={SMART: ""})
    browse.press("Record the round", heading=ROUND)
    browse.expect_errors(f"Say what needs to change for ‘{SMART}’ to be green")
    rate(browse, red={SMART: FEEDBACK})
    browse.press("Record the round", heading=PEP_HEADING)
    browse.expect_success("Quality assurance round recorded: Red overall")
    quality = page.locator("#quality")
    expect(quality.get_by_role("heading", name="Round 1: Red overall")).to_be_visible()
    expect(quality.get_by_role("row", name=re.compile(f"^{SMART}"))).to_contain_text(FEEDBACK)

    browse.follow("Sign off the PEP", heading="Sign off the PEP")
    expect(page.get_by_role("main")).to_contain_text(f"rated ‘{SMART}’ red: return the PEP for amendment")
    expect(page.get_by_role("button", name="Sign off the PEP")).to_have_count(0)
    browse.follow("Go back to the PEP", heading=PEP_HEADING)

    browse.follow("Return to the school for amendment", heading="Return to the school for amendment")
    expect(page.locator("#latest-round")).to_contain_text(f"{SMART} (Red): {FEEDBACK}")
    page.get_by_label("Reasons").fill(REASON)
    browse.press("Return to the school for amendment", heading=PEP_HEADING)
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text("Returned to school")
    browse.sign_out()

    # --- The Designated Teacher reads why, amends Section D and returns it -------------------
    browse.sign_in(world.dt)
    open_the_pep(browse, "Returned to school")
    browse.follow("Read the whole PEP", heading=PEP_HEADING)
    expect(page.locator("#section-e")).to_contain_text(REASON)
    expect(page.locator("#quality").get_by_role("row", name=re.compile(f"^{SMART}"))).to_contain_text(FEEDBACK)
    expect(page.locator("#before-you-submit")).to_contain_text("The checks before submission find nothing to fix.")
    browse.follow("Change target 1", heading="Target")
    page.get_by_label("How success will be measured").fill(MEASURE)
    browse.press("Save", heading=PEP_HEADING)
    browse.expect_success("Target saved")
    move = "Return the amended school section to the Virtual School"
    browse.follow(move, heading=move)
    browse.press(move, heading=PEP_HEADING)
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text("Submitted to Virtual School")
    browse.sign_out()

    # --- The officer records a green round and signs it off ----------------------------------
    browse.sign_in(world.vs)
    open_the_pep(browse, "Submitted to Virtual School")
    browse.follow("Read the whole PEP", heading=PEP_HEADING)
    expect(page.locator("#targets")).to_contain_text(MEASURE)
    browse.follow(ROUND, heading=ROUND)
    expect(page.get_by_text("The last round, on")).to_contain_text("was Red overall")
    rate(browse, red={})
    browse.press("Record the round", heading=PEP_HEADING)
    browse.expect_success("Quality assurance round recorded: Green overall")
    browse.follow("Sign off the PEP", heading="Sign off the PEP")
    browse.press("Sign off the PEP", heading=PEP_HEADING)
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text("Signed off")
    browse.follow("Read the whole PEP", heading=PEP_HEADING)
    rounds = page.locator("#quality").get_by_role("heading", level=3)
    expect(rounds).to_have_text(["Round 2: Green overall", "Round 1: Red overall"])  # every round kept, newest first
    expect(page.get_by_role("link", name=ROUND)).to_have_count(0)
    browse.sign_out()
    print("\nPages checked by axe:\n" + "\n".join(browse.checked))
