"""The QA round page, the PEP page's quality parts, and the rubric pages."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.people.enums import Role
from openpep.plans.enums import Status
from openpep.quality.enums import DEFAULT_CRITERIA
from openpep.quality.models import Criterion, QualitySettings, Review
from tests.builders import add_target, cast_of, pep_in, start
from tests.fixtures import make_user, sign_in

from .helpers import configure, rate

TITLES = [title for title, _ in DEFAULT_CRITERIA]


def _text(response) -> str:
    """The page's words, without markup, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _review_url(pep):
    return reverse("quality:review", args=[pep.pk])


def _answers(criteria, rating="green", **overrides) -> dict:
    data = {}
    for criterion in criteria:
        data[f"rating_{criterion.pk}"] = overrides.get(criterion.title, rating)
        data[f"feedback_{criterion.pk}"] = ""
    return data


# --- who may record a round ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("vs", 200), ("vs_admin", 200), ("sw", 403), ("dt", 403), ("tm", 403), ("iro", 403)]
    + [("sw_other", 404), ("dt_other", 404), ("vs_other", 404), ("nobody", 404)],
)
def test_review_page_of_a_submitted_pep_answers_each_role(role, expected, world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, getattr(world, role))

    assert client.get(_review_url(pep)).status_code == expected
    assert client.post(_review_url(pep), {}).status_code == expected
    assert Review.objects.count() == 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED_TO_SCHOOL, Status.SIGNED_OFF])
def test_review_page_of_a_pep_not_submitted_is_refused_to_the_virtual_school(status, world, client):
    pep = pep_in(cast_of(world), status)
    sign_in(client, world.vs)

    assert client.get(_review_url(pep)).status_code == 403


# --- recording a round --------------------------------------------------------------------------------------


def test_review_page_lists_every_criterion_with_ratings_and_feedback(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, world.vs)

    page = _text(client.get(_review_url(pep)))

    for number, title in enumerate(TITLES, start=1):
        assert f"{number}. {title}" in page
        assert f"Feedback on ‘{title}’" in page
    assert "Red Amber Green" in page and "Gold" not in page


def test_review_page_offers_gold_when_the_authority_does(world, client):
    configure(world, gold=True)
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, world.vs)

    assert "Red Amber Green Gold" in _text(client.get(_review_url(pep)))


def test_review_posted_records_the_round_and_shows_it_on_the_pep_page(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    criteria = Criterion.active_for(world.authority)
    sign_in(client, world.vs)
    data = _answers(criteria, **{"Targets are SMART": "red"})
    data[f"feedback_{criteria[3].pk}"] = "Target 1 has no number"
    data["feedback"] = "The child's voice comes through well"

    response = client.post(_review_url(pep), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:whole", args=[pep.pk]) + "#quality"
    review = Review.objects.get()
    assert (review.overall, review.reviewer) == ("red", world.vs)
    assert review.feedback == "The child's voice comes through well"
    page = _text(client.get(response["Location"]))
    assert "Quality assurance round recorded: Red overall" in page
    assert "Round 1: Red overall By Val School" in page
    assert "Targets are SMART Red Target 1 has no number" in page
    assert "The child's voice comes through well" in page


def test_review_posted_without_ratings_or_feedback_for_red_says_what_to_do(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    criteria = Criterion.active_for(world.authority)
    sign_in(client, world.vs)
    data = _answers(criteria, **{"Carer input": "amber"})
    del data[f"rating_{criteria[0].pk}"]

    response = client.post(_review_url(pep), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"rating_{criteria[0].pk}": [f"Select a rating for ‘{TITLES[0]}’"],
        f"feedback_{criteria[7].pk}": ["Say what needs to change for ‘Carer input’ to be green"],
    }
    assert Review.objects.count() == 0


def test_pep_page_shows_every_round_newest_first(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=["Carer input"], feedback="First look")
    rate(pep, world.vs_admin, feedback="Second look")
    sign_in(client, world.dt)

    page = _text(client.get(reverse("plans:whole", args=[pep.pk])))

    assert page.index("Round 2: Green overall By Viv Head") < page.index("Round 1: Red overall By Val School")
    assert "Carer input Red Fix ‘Carer input’" in page
    assert "Record a quality assurance round" not in page  # the DT cannot


def test_pep_page_offers_the_virtual_school_a_round_once_submitted(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, world.vs)

    page = client.get(reverse("plans:whole", args=[pep.pk])).content.decode()

    assert f'href="{_review_url(pep)}"' in page
    assert "No quality assurance round has been recorded yet." in page


def test_sign_off_page_with_a_red_round_shows_why_not_and_the_round(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    rate(pep, world.vs, red=["Carer input"])
    sign_in(client, world.vs)

    page = _text(client.get(reverse("plans:move", args=[pep.pk, Status.SIGNED_OFF])))

    assert "Before you can do this: The latest quality assurance round" in page
    assert "rated ‘Carer input’ red" in page
    assert "Latest quality assurance round: Red" in page
    assert "Carer input (Red): Fix ‘Carer input’" in page


# --- "Before you submit" on the PEP page --------------------------------------------------------------------


def test_before_you_submit_lists_what_the_checks_find_with_links_to_fix_it(world, client):
    pep = start(cast_of(world))
    add_target(pep, world.dt, outcome="I will try harder at reading")
    sign_in(client, world.dt)

    page = client.get(reverse("plans:detail", args=[pep.pk])).content.decode()

    needed = re.search(r'<ul[^>]*id="checks-needed">(.*?)</ul>', page, re.S).group(1)
    advised = re.search(r'<ul[^>]*id="checks-advised">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r'href="#([a-z-]+)">([^<]+)</a>', needed) == [
        ("section-b", "Record the child&#x27;s views (Section B)"),
        ("section-d", "Complete Section D, with the date and time of the next PEP meeting"),
    ]
    assert re.findall(r'href="#([a-z-]+)">([^<]+)</a>', advised) == [
        (
            "targets",
            "Target 1 (‘I will try harder at reading’) uses vague words (‘try’) with no number or measure: say how "
            "much, how often or by when, in numbers",
        )
    ]


def test_before_you_submit_is_shown_to_writers_not_to_readers(world, client):
    draft = start(cast_of(world))
    for user, shown in [(world.dt, True), (world.sw, True), (world.iro, False), (world.tm, False), (world.vs, False)]:
        sign_in(client, user)
        assert ("Before you submit" in _text(client.get(reverse("plans:detail", args=[draft.pk])))) == shown, user


def test_before_you_submit_is_not_shown_on_a_submitted_pep(world, client):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    sign_in(client, world.vs)

    assert "Before you submit" not in _text(client.get(reverse("plans:detail", args=[pep.pk])))


# --- the page stays a constant number of queries --------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["vs", "dt"])
def test_pep_page_queries_do_not_grow_with_rounds_or_targets(role, world, client):
    one = pep_in(cast_of(world), Status.SUBMITTED, targets=1)
    rate(one, world.vs, red=["Carer input"])
    other = pep_in(cast_of(world, world.other_child), Status.SUBMITTED, targets=3)
    for _ in range(3):
        rate(other, world.vs, amber=["Carer input"])
    user = world.vs if role == "vs" else world.dt
    if role == "dt":  # the other child is on the other school's roll: let the DT see both
        world.other_child.enrolments.update(school=world.school)
    sign_in(client, user)
    client.get(reverse("children:list"))  # warm the session

    assert _queries(client, reverse("plans:detail", args=[one.pk])) == _queries(
        client, reverse("plans:detail", args=[other.pk])
    )


def test_draft_page_queries_do_not_grow_with_targets(world, client):
    one = start(cast_of(world))
    add_target(one, world.dt)
    three = start(cast_of(world, world.other_child))
    for n in range(3):
        add_target(three, world.dt_other, outcome=f"I will try harder {n}")
    world.other_child.enrolments.update(school=world.school)
    sign_in(client, world.dt)
    client.get(reverse("children:list"))

    assert _queries(client, reverse("plans:detail", args=[one.pk])) == _queries(
        client, reverse("plans:detail", args=[three.pk])
    )


# --- the rubric pages -----------------------------------------------------------------------------------------


def test_rubric_page_shows_the_checks_the_ratings_and_the_default_criteria(world, client):
    sign_in(client, world.vs_admin)

    page = _text(client.get(reverse("quality:rubric")))

    assert "No child's voice Section B is missing or records none of the child's own views. Block" in page
    assert "A target that is not SMART" in page and "No next meeting date" in page
    assert "Ratings Red, Amber, Green" in page
    for position, title in enumerate(TITLES, start=1):
        assert f"{position} {title}" in page
    assert Criterion.objects.filter(local_authority=world.authority).count() == 9


def test_settings_page_saves_each_checks_mode_and_the_rules(world, client):
    sign_in(client, world.vs_admin)
    data = {
        "voice": "warn",
        "unreviewed_targets": "block",
        "smart_targets": "block",
        "pupil_premium": "off",
        "next_meeting": "block",
        "copied": "off",
        "gold": "True",
        "overall_rule": "most_common",
        "sign_off_rule": "round_without_red",
    }

    response = client.post(reverse("quality:settings"), data)

    assert response.status_code == 302 and response["Location"] == reverse("quality:rubric")
    saved = QualitySettings.objects.get(local_authority=world.authority)
    assert {name: getattr(saved, name) for name in data} == data | {"gold": True}
    page = _text(client.get(reverse("quality:rubric")))
    assert "Ratings Red, Amber, Green, Gold" in page


def test_criterion_pages_add_and_change_a_criterion(world, client):
    sign_in(client, world.vs_admin)
    client.get(reverse("quality:rubric"))

    added = client.post(
        reverse("quality:criterion_add"),
        {"title": "Transport", "description": "How the child gets to school", "position": "10", "active": "True"},
    )
    criterion = Criterion.objects.get(title="Transport")
    changed = client.post(
        reverse("quality:criterion_edit", args=[criterion.pk]),
        {"title": "Transport to school", "description": "", "position": "3", "active": "False"},
    )

    assert added.status_code == changed.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.title, criterion.position, criterion.active) == ("Transport to school", 3, False)
    assert "Transport to school" not in [c.title for c in Criterion.active_for(world.authority)]


def test_criterion_of_another_authority_is_not_found_for_its_admin(world, client):
    other_admin = make_user("vsh2@test.example", "Otto Head", Role.VS_ADMIN, local_authority=world.other_authority)
    criterion = Criterion.active_for(world.authority)[0]
    sign_in(client, other_admin)

    assert client.get(reverse("quality:criterion_edit", args=[criterion.pk])).status_code == 404
    assert client.post(reverse("quality:criterion_edit", args=[criterion.pk]), {"title": "Mine"}).status_code == 404
    assert fresh_title(criterion) == TITLES[0]


def fresh_title(criterion) -> str:
    return Criterion.objects.get(pk=criterion.pk).title


def test_nav_links_to_the_rubric_for_the_admin_only(world, client):
    sign_in(client, world.vs_admin)
    assert f'href="{reverse("quality:rubric")}"' in client.get(reverse("children:list")).content.decode()
    sign_in(client, world.vs)
    assert f'href="{reverse("quality:rubric")}"' not in client.get(reverse("children:list")).content.decode()
