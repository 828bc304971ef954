"""The education timeline in a real browser: the Designated Teacher opens the child, follows
"Education timeline" and sees the schools and the PEPs, but no placement. Every page is checked with axe."""

from playwright.sync_api import expect

from openpep.children.models import Placement

CARER = "Marigold Featherstonehaugh"
PEP_TITLE = "Initial PEP – new into care – Statutory school age (Reception to Year 11)"


def test_designated_teacher_follows_the_education_timeline(browse, world, previous_pep):
    Placement.objects.filter(child=world.child).update(carer_name=CARER)
    browse.sign_in(world.dt)
    browse.follow("Amira Test", heading="Amira Test")
    browse.follow("Education timeline", heading="Education timeline")
    main = browse.page.get_by_role("main")
    expect(main.get_by_role("cell", name="Joined Oak Primary")).to_be_visible()
    expect(main.get_by_role("link", name=PEP_TITLE, exact=True)).to_be_visible()
    expect(main.get_by_role("cell", name="Virtual School: Signed off")).to_be_visible()
    expect(main).to_contain_text("I will read a chapter book on my own every week")
    expect(main).not_to_contain_text(CARER)
    expect(main).not_to_contain_text("Foster placement")
    browse.follow(PEP_TITLE, heading=f"PEP: {PEP_TITLE}", exact=True)
