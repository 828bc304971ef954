"""Pupil Premium Plus and the dashboard in a real browser: the Designated Teacher requests PP+
for a target of the PEP, the Virtual School approves the PP+ request, then opens the dashboard,
follows a figure to its list of children and downloads the list as CSV.

Every page visited is checked with axe (see `Browse` in conftest.py)."""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from openpep.dashboards.models import Download
from openpep.funding import services as funding_services
from openpep.funding.enums import RequestStatus
from openpep.funding.models import FundingRequest
from openpep.funding.years import financial_year_of
from openpep.plans import services as plan_services
from openpep.plans.enums import TargetArea
from openpep.plans.models import Target
from tests.builders import cast_of, start

CHILD = "Amira Test"
PEP_HEADING = "PEP: Initial PEP – new into care – Statutory school age (Reception to Year 11)"
OUTCOME = "I will know my times tables up to 12 × 12"


def test_the_dt_requests_pp_the_virtual_school_approves_it_and_downloads_the_dashboards_list(browse, world):
    page = browse.page
    today = timezone.localdate()
    year = financial_year_of(today)
    funding_services.save_rate(world.vs_admin, world.authority, year, Decimal("2630.00"))
    funding_services.allocate(world.vs_admin, world.authority, year)
    pep = start(cast_of(world))
    plan_services.add_target(
        world.dt,
        pep,
        Target(
            outcome=OUTCOME,
            area=TargetArea.MATHS,
            success_measure="Scores 20 out of 20 in the weekly check",
            actions="Twice-weekly maths tutoring after school",
            who="Maths tutor",
            by_when=today + datetime.timedelta(days=120),
            pupil_premium_cost=Decimal("450.00"),
        ),
    )

    # --- The Designated Teacher requests PP+ for the target --------------------------------------
    browse.sign_in(world.dt)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Initial PEP", heading=PEP_HEADING)
    browse.follow("Read the whole PEP", heading=PEP_HEADING)  # the PP+ panel
    panel = page.locator("#pupil-premium")
    expect(panel).to_contain_text("No PP+ has been requested in this PEP.")
    browse.follow("Request PP+ for a target", heading="Request Pupil Premium Plus")
    expect(page.get_by_text("has £2,630.00 left to approve of the £2,630.00 allocated")).to_be_visible()
    browse.press("Request PP+", heading="Request Pupil Premium Plus")  # nothing chosen
    browse.expect_errors("Select the target the PP+ is for")
    page.get_by_label(f"{OUTCOME} – £450.00").check()
    browse.press("Request PP+", heading=PEP_HEADING)
    browse.expect_success("PP+ has been requested")
    expect(panel.get_by_role("row", name=f"{OUTCOME}")).to_contain_text("Requested")
    expect(panel.get_by_role("link", name="Approve or decline")).to_have_count(0)  # not the school's to decide
    browse.sign_out()

    # --- The Virtual School approves the PP+ request -----------------------------------------------
    browse.sign_in(world.vs)
    browse.follow(CHILD, heading=CHILD)
    browse.follow("Initial PEP", heading=PEP_HEADING)
    browse.follow("Read the whole PEP", heading=PEP_HEADING)  # the PP+ panel
    browse.follow("Approve or decline", heading="Approve or decline a PP+ request")
    page.get_by_label("Approve part of it").check()
    browse.press("Save the decision", heading="Approve or decline a PP+ request")
    browse.expect_errors("Enter the amount approved", "Enter the reasons, so the school knows why")
    page.get_by_label("Approve the £450.00 in full").check()
    browse.press("Save the decision", heading=PEP_HEADING)
    browse.expect_success("The PP+ request has been approved")
    row = panel.get_by_role("row", name=f"{OUTCOME}")
    expect(row).to_contain_text("Approved")
    expect(row).to_contain_text("£450.00 approved by Val School")
    expect(panel.get_by_role("table").first).to_contain_text("£2,180.00")  # left to approve
    assert FundingRequest.objects.get().status == RequestStatus.APPROVED

    # --- The dashboard: a figure, its list of children, and the list as CSV -------------------------
    browse.follow("Dashboard", heading="Dashboard", exact=True)
    expect(page.get_by_role("table", name="PP+ for the children shown")).to_contain_text("£450.00")
    browse.follow("£450.00 – Approved: list the children", heading=f"Children with PP+ approved for {year}")
    expect(page.get_by_role("table", name="1 child")).to_contain_text(CHILD)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this list as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("children-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert [row[0] for row in rows[1:]] == [CHILD]
    assert rows[1][rows[0].index("PP+ approved (£)")] == "450.00"
    recorded = Download.objects.get()
    assert (recorded.actor, recorded.row_count, recorded.file_format) == (world.vs, 1, "csv")
    assert recorded.filters["figure"] == "pp:approved"
    browse.sign_out()
    print("\nPages checked by axe:\n" + "\n".join(browse.checked))
