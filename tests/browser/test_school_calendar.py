"""The Virtual School head enters a school calendar: a term by hand, then a file that is
wrong and one that is right. Every page is checked with axe as it arrives."""

import datetime

from playwright.sync_api import expect

from openpep.clock.models import Holiday, Term

NEXT_YEAR = (
    "type,name,starts_on,ends_on\r\n"
    "term,Autumn,01/09/2027,17/12/2027\r\n"
    "term,Spring,04/01/2028,24/03/2028\r\n"
    "term,Summer,10/04/2028,21/07/2028\r\n"
    "holiday,October half-term,25/10/2027,29/10/2027\r\n"
)


def _csv(text: str) -> dict:
    return {"name": "terms.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8-sig")}


def test_the_head_enters_a_term_and_imports_a_year(browse, world):
    page = browse.page
    browse.sign_in(world.vs_admin)
    browse.follow("School calendar", heading="School calendar")
    expect(page.get_by_text("No term dates have been entered yet.")).to_be_visible()

    browse.follow("Add a term", heading="Add a term")
    page.get_by_label("Autumn").check()
    browse.fill_date("First day of term", datetime.date(2026, 9, 2))
    browse.fill_date("Last day of term", datetime.date(2026, 12, 18))
    browse.press("Add", heading="School calendar")
    browse.expect_success("Autumn term 2026-27 (2 September 2026 to 18 December 2026) has been added")
    expect(page.get_by_text("have no Spring and Summer term yet")).to_be_visible()

    browse.follow("Import from a CSV file", heading="Import terms and holidays")
    page.get_by_label("CSV file").set_input_files(_csv(NEXT_YEAR.replace("Spring", "Sprung")))
    browse.press("Import", heading="Import terms and holidays")
    browse.expect_errors("Line 3, column name: A term's name must be Autumn, Spring or Summer, not ‘Sprung’")
    assert Term.objects.count() == 1

    page.get_by_label("CSV file").set_input_files(_csv(NEXT_YEAR))
    browse.press("Import", heading="School calendar")
    browse.expect_success("4 terms and holidays have been imported")
    expect(page.get_by_text("Academic year 2027-28")).to_be_visible()
    assert (Term.objects.count(), Holiday.objects.count()) == (4, 1)

    browse.follow("Change the timescales", heading="Statutory timescales")
    page.get_by_label("Tell the Virtual School when a PEP is overdue by this many days").fill("5")
    browse.press("Save", heading="School calendar")
    browse.expect_success("The timescales have been saved")
