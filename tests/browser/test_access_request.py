"""The issue's journey in a real browser: a new teacher asks for access from the sign-in page,
confirms the e-mail address from the link sent, the Virtual School head approves, the teacher
sets a password from the e-mailed link, signs in, and sees the child who has just arrived from
another school with that school's signed-off PEP, Section D included. Then the new Designated
Teacher shares the child's Section D with a colleague. Every page is checked with axe."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from openpep.children import services as children_services
from openpep.people.enums import Role, SchoolPhase
from openpep.people.models import AccessRequest, School, User
from tests.browser.conftest import PREVIOUS_STORY, PREVIOUS_TARGETS
from tests.browser.test_without_javascript import browse_without_js  # noqa: F401 (a fixture)
from tests.fixtures import make_user

NEW_PASSWORD = "violet-harbour-lantern-42"
PEP_TITLE = "Initial PEP – new into care – Statutory school age (Reception to Year 11)"


def _link(message) -> str:
    return re.search(r"(http://\S+)", message.body).group(1)


def test_a_new_teacher_gets_access_and_sees_the_previous_schools_section(browse, world, previous_pep):
    birch = School.objects.create(
        urn="100003", name="Birch Secondary", phase=SchoolPhase.SECONDARY, local_authority=world.authority
    )
    children_services.change_school(world.sw, world.child, birch, timezone.localdate())
    page = browse.page

    # The teacher asks for access, finding the school by searching.
    browse.goto("/sign-in/", heading="Sign in to OpenPEP")
    browse.follow("ask for access", heading="Ask for access to OpenPEP")
    page.get_by_label("Full name").fill("Nia Newteacher")
    page.get_by_label("Work email address").fill("nia.newteacher@birch.example")
    page.get_by_label("Search for the school").fill("birch")
    browse.press("Search for the school", heading="Ask for access to OpenPEP")
    expect(page.get_by_label("Full name")).to_have_value("Nia Newteacher")
    page.get_by_label("Birch Secondary, URN 100003 (Testshire)").check()
    page.get_by_label("Designated Teacher").check()
    browse.press("Send request", heading="Check your email")

    # ...and confirms the address from the e-mail.
    browse.page.goto(_link(mail.outbox[-1]))
    browse.arrive("Confirm your email address")
    browse.press("Confirm and send my request", heading="Request sent")

    # The Virtual School head approves.
    browse.sign_in(world.vs_admin)
    browse.follow("Access requests", heading="Access requests", exact=True)
    browse.follow("Nia Newteacher", heading="Nia Newteacher")
    browse.press("Approve", heading="Access requests")
    browse.expect_success("Nia Newteacher now has access")
    browse.sign_out()

    # The teacher sets a password from the e-mailed link and signs in.
    approved = mail.outbox[-1]
    assert approved.to == ["nia.newteacher@birch.example"]
    browse.page.goto(_link(approved))
    browse.arrive("Set your password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    browse.press("Set password", heading="Sign in to OpenPEP")
    teacher = User.objects.get(email="nia.newteacher@birch.example")
    browse.sign_in_with_password(teacher, NEW_PASSWORD)

    # The child who has just arrived, and the previous school's signed-off PEP with its Section D.
    browse.follow("Amira Test", heading="Amira Test")
    browse.follow(PEP_TITLE, heading=f"PEP: {PEP_TITLE}", exact=True)
    browse.follow("Read the whole PEP", heading=f"PEP: {PEP_TITLE}", exact=True)
    main = page.get_by_role("main")
    expect(main).to_contain_text(PREVIOUS_STORY)
    for target in PREVIOUS_TARGETS:
        expect(main).to_contain_text(target)

    # The new Designated Teacher shares the child's Section D with the school's SENCO.
    make_user("senco@birch.example", "Sen Colleague", Role.SCHOOL_STAFF, school=birch)
    browse.follow("Delegations", heading="Delegations")
    browse.follow("Share children with a colleague", heading="Share children with a colleague")
    page.get_by_label("Sen Colleague").check()
    page.get_by_label("Amira Test").check()
    page.get_by_label("Section D").check()
    browse.fill_date("End date", timezone.localdate() + datetime.timedelta(days=30))
    browse.press("Share", heading="Delegations")
    browse.expect_success("Sen Colleague can now see the children you chose")
    expect(page.get_by_role("main")).to_contain_text("Active until")


def test_the_school_search_works_without_javascript(browse_without_js, world):  # noqa: F811 (the fixture)
    page = browse_without_js.page

    browse_without_js.goto("/request-access/", heading="Ask for access to OpenPEP")
    page.get_by_label("Full name").fill("Ola Nojs")
    page.get_by_label("Work email address").fill("ola@elm.example")
    page.get_by_label("Search for the school").fill("100002")
    browse_without_js.press("Search for the school", heading="Ask for access to OpenPEP")
    page.get_by_label("Elm Academy, URN 100002 (Otherborough)").check()
    page.get_by_label("Other school staff").check()
    browse_without_js.press("Send request", heading="Check your email")

    assert AccessRequest.objects.get().school == world.other_school
