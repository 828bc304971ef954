"""Issue 18 items 3 and 5 in a real browser: the Virtual School Head imports the sample orders file from
the register (a line naming a child unknown here is listed by line and column, the others are imported),
adds a child of the wider cohort who has never been in care, and reads the annual report's figures. axe runs
on every page."""

import datetime
from pathlib import Path

from playwright.sync_api import expect

from openpep.children.models import Child

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def test_the_head_imports_the_wider_cohort_adds_a_child_and_reads_the_annual_report(browse, world):
    page = browse.page
    browse.sign_in(world.vs_admin)
    browse.follow("Register", heading="Register")
    browse.follow(
        "Import children with a social worker, in kinship care or previously looked after",
        heading="Import the wider cohort",
    )
    page.get_by_label("Children in kinship care or previously looked after (their orders)").check()
    page.get_by_label("CSV file").set_input_files(SAMPLES / "orders.csv")
    browse.press("Import", heading="Import the wider cohort")
    expect(page.get_by_text("5 children read: 4 new, 0 changed, 0 unchanged, 1 not imported")).to_be_visible()
    expect(page.get_by_text("Line 6, column Forename: is empty: child WC0005 is new to OpenPEP")).to_be_visible()
    assert Child.objects.filter(local_id__in=["KC2001", "KC2002", "PL3001", "PL3002"]).count() == 4

    browse.follow("Register", heading="Register")
    expect(page.get_by_role("link", name="Jordan Westcott")).to_be_visible()
    browse.follow("Add a child of the wider cohort", heading="Add a child of the wider cohort")
    page.get_by_label("First name").fill("Iris")
    page.get_by_label("Last name").fill("Wider")
    browse.fill_date("Date of birth", datetime.date(2015, 4, 1))
    page.get_by_role("group", name="Gender").get_by_label("Female").check()
    page.get_by_label("Local child ID").fill("NEW0001")
    page.get_by_role("group", name="Cohort").get_by_label("Kinship care").check()
    page.get_by_role("group", name="Order or plan").get_by_label("Special guardianship order").check()
    browse.fill_date("Start date", datetime.date(2024, 6, 1))
    browse.press("Add the child", heading="Iris Wider")
    expect(page.get_by_role("link", name="Start a PEP")).to_have_count(0)

    browse.follow("Register", heading="Register")
    browse.follow("Figures for the annual report", heading="Figures for the annual report, 2026 to 2027")
    expect(page.get_by_role("table").filter(has_text="Children, 2026 to 2027, by cohort")).to_be_visible()
    assert len(browse.checked) >= 7
