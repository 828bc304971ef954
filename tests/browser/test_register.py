"""Issue 18, the wider cohort in a real browser: the Virtual School officer filters the register,
opens a previously looked-after child, records advice with a follow-up date and finds the follow-up
on their task list. axe runs on every page."""

import datetime

from playwright.sync_api import expect

from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child, CohortMembership, Enrolment
from tests.fixtures import today


def test_the_officer_filters_the_register_and_records_advice_to_follow_up(browse, world):
    child = Child.objects.create(
        local_authority=world.authority,
        first_name="Poppy",
        last_name="Hartley",
        date_of_birth=datetime.date(2016, 6, 14),
        gender="2",
        local_id="WC0001",
        care_start_date=None,
    )
    Enrolment.objects.create(child=child, school=world.school, starts_on=datetime.date(2023, 9, 1))
    CohortMembership.objects.create(
        child=child,
        cohort=Cohort.PREVIOUSLY_LOOKED_AFTER,
        kind=CohortKind.ADOPTION,
        from_where=FromWhere.WALES,
        starts_on=datetime.date(2022, 5, 1),
    )
    page = browse.page
    follow_up = today() + datetime.timedelta(days=10)

    browse.sign_in(world.vs)
    browse.follow("Register", heading="Register")
    expect(page.get_by_role("link", name="Amira Test")).to_be_visible()
    page.get_by_label("Cohort").select_option(label="Previously looked after")
    browse.press("Apply filters", heading="Register")
    expect(page.get_by_role("link", name="Amira Test")).to_have_count(0)
    expect(page.get_by_text("Previously looked after: adoption order")).to_be_visible()
    browse.follow("Poppy Hartley", heading="Poppy Hartley")
    expect(page.get_by_text("Adoption order, looked after in Wales")).to_be_visible()
    expect(page.get_by_role("link", name="Start a PEP")).to_have_count(0)

    browse.follow("Record advice given", heading="Record advice given")
    browse.fill_date("Date the advice was given", today())
    page.get_by_role("group", name="Given to").get_by_label("Parent").check()
    page.get_by_role("group", name="How it was given").get_by_label("Phone").check()
    page.get_by_role("group", name="Topic").get_by_label("Pupil premium plus").check()
    page.get_by_label("Notes").fill("Explained how the school spends pupil premium plus for adopted children")
    browse.fill_date("Follow-up date", follow_up)
    page.get_by_role("group", name="Share with the Designated Teacher of the child's school?").get_by_label(
        "No"
    ).check()
    browse.press("Save", heading="Poppy Hartley")
    browse.expect_success("The advice has been recorded")
    expect(page.locator("#casework ~ table").first).to_contain_text("how the school spends pupil premium plus")

    browse.follow("My tasks", heading="My tasks")
    expect(page.get_by_role("table").filter(has_text="follow-up")).to_contain_text("Poppy Hartley")
    expect(page.get_by_text("Pupil premium plus: advice to parent")).to_be_visible()
