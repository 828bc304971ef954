"""GOV.UK's character count on a textarea with a limit (issue 15, point 2), in a real browser:
it counts as one types, lets one go past the limit and says by how much, and the server refuses
the answer with the same limit, keeping what was typed. axe runs on each page."""

import re

from playwright.sync_api import expect

from openpep.plans.enums import ViewsRecordedBy
from openpep.plans.models import ChildViews
from tests.builders import cast_of, start


def test_the_character_count_counts_and_the_answer_past_it_is_refused_and_kept(browse, world):
    pep = start(cast_of(world), views_recorded_by=ViewsRecordedBy.SCHOOL)
    page = browse.page
    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/views/", heading="Section B – Child's views")
    answer = page.get_by_label("What is going well")
    status = page.locator(".govuk-character-count", has=answer).locator(".govuk-character-count__status")

    answer.fill("a" * 3_990)
    expect(status).to_have_text("You have 10 characters remaining")
    answer.fill("a" * 4_001)  # no maxlength: a paste past the limit is not cut short
    expect(status).to_have_text("You have 1 character too many")
    browse.axe_check(page)

    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading="Section B – Child's views")

    browse.expect_errors("What is going well must be 4,000 characters or fewer")
    expect(answer).to_have_value("a" * 4_001)
    assert not ChildViews.objects.filter(pep=pep).exists()

    answer.fill("a" * 4_000)
    browse.press("Save", heading=re.compile("^PEP: "))
    assert ChildViews.objects.get(pep=pep).going_well == "a" * 4_000
