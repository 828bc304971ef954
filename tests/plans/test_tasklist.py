"""The PEP as a task list: each part's status at each stage, for each role; the whole PEP one link
away; "Check your answers" before a move that hands the PEP on."""

import re

from django.urls import resolve, reverse

from openpep.plans.enums import Section, Status
from openpep.plans.models import SchoolSection
from openpep.plans.tasklist import PARTS, section_parts
from tests.builders import add_attainment, add_target, cast_of, complete_section_d, fresh, pep_in, record_views, start
from tests.fixtures import sign_in


def _tasks(client, pep) -> dict[str, tuple[str, str]]:
    """Each task of the PEP page: its status, and where its link goes (blank: no link)."""
    response = client.get(reverse("plans:detail", args=[pep.pk]))
    assert response.status_code == 200
    return {task.id: (task.status.label, task.href) for task in response.context["tasks"]}


def _whole(pep, anchor) -> str:
    return reverse("plans:whole", args=[pep.pk]) + f"#{anchor}"


def test_a_new_draft_for_the_designated_teacher(world, client):
    pep = start(cast_of(world))  # an initial PEP: no previous targets to review
    sign_in(client, world.dt)

    assert _tasks(client, pep) == {
        "section-a": ("Completed", _whole(pep, "section-a")),
        "section-b": ("Not started", reverse("plans:section_b", args=[pep.pk])),
        "section-c": ("Not started", _whole(pep, "section-c")),
        "meeting": ("Not started", _whole(pep, "meeting")),
        "targets": ("Not started", reverse("plans:target_add", args=[pep.pk])),
        "attainment": ("Not started", reverse("plans:attainment_add", args=[pep.pk])),
        "section-d": ("Not started", reverse("plans:section_d", args=[pep.pk])),
        "pupil-premium": ("Not started", reverse("funding:request_add", args=[pep.pk])),
        "section-e": ("Cannot start yet", ""),
    }


def test_the_social_worker_gets_the_forms_of_their_part_and_sees_the_schools_progress(world, client):
    cast = cast_of(world)
    pep = start(cast)
    record_views(pep, cast.dt)
    add_target(pep, cast.dt)
    add_attainment(pep, cast.dt)
    complete_section_d(pep, cast.dt)
    sign_in(client, world.sw)

    tasks = _tasks(client, pep)

    assert tasks["section-a"] == ("Completed", reverse("plans:section_a", args=[pep.pk]))
    assert tasks["section-c"] == ("Not started", reverse("plans:section_c", args=[pep.pk]))
    assert {key: tasks[key][0] for key in ("section-b", "targets", "attainment", "section-d")} == dict.fromkeys(
        ("section-b", "targets", "attainment", "section-d"), "Completed"
    )
    assert tasks["section-d"][1] == _whole(pep, "section-d")  # the school's, read only


def test_previous_targets_are_a_task_in_progress_until_each_is_rated(world, client):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=2)
    review = start(cast)
    first = review.target_reviews.order_by("pk").first()
    first.rating, first.evidence = "achieved", "Reading log"
    first.save()
    sign_in(client, world.dt)

    assert _tasks(client, review)["reviews"] == ("In progress", reverse("plans:reviews_edit", args=[review.pk]))


def test_a_submitted_pep_waits_for_the_virtual_school_and_the_parts_closed_cannot_start(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, world.vs)

    tasks = _tasks(client, pep)

    assert {key: status for key, (status, _) in tasks.items()} == {
        "section-a": "Completed",
        "section-b": "Completed",
        "section-c": "Completed",
        "meeting": "Completed",
        "targets": "Completed",
        "attainment": "Cannot start yet",  # none recorded, and the school's part is closed
        "section-d": "Completed",
        "pupil-premium": "Cannot start yet",
        "section-e": "Not started",
    }
    assert all(href.startswith(reverse("plans:whole", args=[pep.pk])) for _, href in tasks.values() if href)


def test_a_pep_returned_to_the_social_worker_has_its_sign_off_in_progress(world, client):
    pep = pep_in(cast_of(world), Status.RETURNED_TO_SW)
    sign_in(client, world.sw)

    tasks = _tasks(client, pep)

    assert tasks["section-e"] == ("In progress", _whole(pep, "section-e"))
    assert tasks["section-c"] == ("Completed", reverse("plans:section_c", args=[pep.pk]))


def test_a_signed_off_pep_is_completed_and_links_only_to_the_whole_pep(world, client):
    pep = pep_in(cast_of(world), Status.SIGNED_OFF)
    sign_in(client, world.dt)

    tasks = _tasks(client, pep)

    assert tasks["section-e"] == ("Completed", _whole(pep, "section-e"))
    assert tasks["attainment"] == ("Not started", _whole(pep, "attainment"))
    assert all(href.startswith(reverse("plans:whole", args=[pep.pk])) for _, href in tasks.values())


def test_the_task_list_is_drawn_with_govuk_markup_and_links_to_the_whole_pep(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)

    page = client.get(reverse("plans:detail", args=[pep.pk])).content.decode()

    assert page.count('<li class="govuk-task-list__item') == 9
    assert re.search(
        r'<a class="govuk-link govuk-task-list__link" href="[^"]+" aria-describedby="section-d-hint section-d-status">'
        r"Section D – SEND, attendance and the school&#x27;s view</a>",
        page,
    )
    assert '<strong class="govuk-tag govuk-tag--blue">Not started</strong>' in page
    assert f'href="{reverse("plans:whole", args=[pep.pk])}">Read the whole PEP</a>' in page
    assert "Pupil Premium Plus" in page and 'id="targets"' in page
    assert "Carry forward" not in page and "No new targets yet." not in page  # the parts' content is on the whole PEP


def test_the_whole_pep_shows_every_part_and_is_out_of_reach_of_an_outsider(world, client):
    cast = cast_of(world)
    pep = start(cast)
    add_target(pep, cast.dt, outcome="I will read to my carer every night")
    sign_in(client, world.dt)

    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()

    assert "I will read to my carer every night" in page
    for anchor in ("section-a", "section-b", "section-c", "meeting", "targets", "attainment", "section-d"):
        assert f'id="{anchor}"' in page, anchor
    assert f'href="{reverse("plans:detail", args=[pep.pk])}">Back to the PEP\'s task list</a>' in page

    sign_in(client, world.sw_other)
    assert client.get(reverse("plans:whole", args=[pep.pk])).status_code == 404
    assert client.get(reverse("plans:detail", args=[pep.pk])).status_code == 404


def _check_answers(client, pep, to) -> str:
    response = client.get(reverse("plans:move", args=[pep.pk, to]))
    assert response.status_code == 200
    return response.content.decode()


def test_returning_the_school_section_checks_the_answers_and_what_still_stops_it(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)

    page = _check_answers(client, pep, Status.SCHOOL_RETURNED)

    assert "Check your answers" in page
    section_d = page[page.index('id="section-d"') :]
    assert "Still to do" in section_d and "Complete Section D" in section_d
    assert f'href="{reverse("plans:section_d", args=[pep.pk])}">Change' in section_d
    section_c = page[page.index('id="section-c"') : page.index('id="meeting"')]
    assert "Not started" in section_c and "Change" not in section_c  # the social worker's, not hers
    assert "Return the school section to the social worker</button>" not in page  # not ready: no button
    assert "Section E" not in page  # the Virtual School's, not an answer to check


def test_submitting_shows_every_answer_then_the_button(world, client):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    sign_in(client, world.sw)

    page = _check_answers(client, pep, Status.SUBMITTED)

    assert "Check your answers" in page and "Still to do" not in page
    assert "Year 6 at Oak Primary, full time" in page  # Section C's answer
    assert f'href="{reverse("plans:section_c", args=[pep.pk])}">Change' in page
    assert page.index("Check your answers") < page.index("Submit to the Virtual School</button>")


def test_a_move_that_hands_nothing_on_has_no_check_of_answers(world, client):
    pep = pep_in(cast_of(world), Status.SCHOOL_RETURNED)
    sign_in(client, world.sw)

    assert "Check your answers" not in _check_answers(client, pep, Status.DRAFT)


# The registry of parts: what the section pages, the API, the exchange and the PDFs read.


def test_section_parts_are_sections_b_c_d_by_their_names_on_a_pep():
    assert [(part.key, part.section, part.accessor) for part in section_parts()] == [
        ("section-b", Section.B, "child_views"),
        ("section-c", Section.C, "arrangements"),
        ("section-d", Section.D, "school_section"),
    ]
    assert [part.key for part in section_parts(with_pep=True)] == ["section-a", "section-b", "section-c", "section-d"]


def test_each_section_parts_page_has_its_form_and_keeps_drafts_of_its_section():
    for part in section_parts(with_pep=True):
        page = resolve(reverse(part.url, args=[1]))
        assert (part.form._meta.model, page.func.keeps_drafts) == (part.model, part.section)


def test_a_section_part_gives_the_saved_record_or_a_new_one(world):
    pep = start(cast_of(world))
    views, school = PARTS["section-b"], PARTS["section-d"]
    assert (views.saved(pep), school.saved(pep), PARTS["section-a"].saved(pep)) == (None, None, pep)
    assert (views.record(pep).pk, views.record(pep).pep) == (None, pep)

    complete_section_d(pep, world.dt)
    pep = fresh(pep)

    assert school.record(pep) == SchoolSection.objects.get(pep=pep)
    assert school.questions(pep) == SchoolSection.fields_for_phase(pep.phase)
