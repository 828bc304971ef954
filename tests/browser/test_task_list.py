"""Issue 16: the PEP as a task list, in a real browser. The Designated Teacher sees each part's
status, records the child's views and sees that part become completed, reads the whole PEP one link
away, then checks her answers and returns the school section; the social worker checks theirs and
submits. axe runs on every page (the task list, the whole PEP, both check-your-answers pages)."""

import re

from playwright.sync_api import expect

from tests.builders import cast_of, complete_section_d, social_worker_part_done, start

PEP = re.compile("^PEP: ")
GOING_WELL = "Reading to my class on Fridays"


def _status(page, task: str):
    return page.locator(f"#{task}-status")


def test_the_pep_is_a_task_list_whose_parts_follow_the_work_then_answers_are_checked(browse, world):
    cast = cast_of(world)
    pep = start(cast)
    page = browse.page

    browse.sign_in(world.dt)
    browse.goto(f"/peps/{pep.pk}/", heading=PEP)
    tasks = page.locator(".govuk-task-list__item")
    expect(tasks).to_have_count(9)
    expect(tasks.first).to_contain_text("Section A – PEP type")
    expect(tasks.first).to_contain_text("Completed by the social worker")
    expect(_status(page, "section-b")).to_have_text("Not started")
    expect(_status(page, "section-e")).to_have_text("Cannot start yet")
    expect(page.locator("#section-e").get_by_role("link")).to_have_count(0)

    browse.follow("Section B – Child's views", heading="Section B – Child's views")
    page.get_by_label("What is going well").fill(GOING_WELL)
    page.get_by_label("In the child's own words").check()
    browse.press("Save", heading=PEP)
    browse.expect_success("Section B – Child's views saved")
    expect(_status(page, "section-b")).to_have_text("Completed")
    assert page.url.endswith(f"/peps/{pep.pk}/#section-b")

    browse.follow("Read the whole PEP", heading=PEP)
    expect(page.locator("#section-b")).to_contain_text(GOING_WELL)
    browse.follow("Back to the PEP's task list", heading=PEP)

    complete_section_d(pep, cast.dt)  # the rest of the school's part, as the other tests fill it in
    page.reload()
    browse.arrive(PEP)
    expect(_status(page, "section-d")).to_have_text("Completed")
    name = "Return the school section to the social worker"
    browse.follow(name, heading=name)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.locator("#section-b")).to_contain_text(GOING_WELL)
    expect(page.locator("#section-b").get_by_role("link", name="Change Section B – Child's views")).to_be_visible()
    expect(page.locator("#section-c").get_by_role("link")).to_have_count(0)  # the social worker's part
    browse.press(name, heading=PEP)
    expect(page.get_by_role("main").locator(".govuk-tag").first).to_have_text("School section returned")
    expect(page.locator("#section-b").get_by_role("link")).to_have_attribute(
        "href", f"/peps/{pep.pk}/whole/#section-b"
    )  # no longer hers to change: the link reads it
    browse.sign_out()

    social_worker_part_done(cast, pep)
    browse.sign_in(world.sw)
    browse.goto(f"/peps/{pep.pk}/", heading=PEP)
    expect(_status(page, "meeting")).to_have_text("Completed")
    name = "Submit to the Virtual School"
    browse.follow(name, heading=name)
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Still to do")).to_have_count(0)
    browse.press(name, heading=PEP)
    browse.expect_success("Done: submit to the Virtual School")
    expect(_status(page, "section-e")).to_have_text("Not started")
