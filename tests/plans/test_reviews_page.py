"""The page that reviews every previous target at once (issue 16): one form, one fieldset per target,
saved all or nothing through ``services.review_targets``, each target carried forward at most once."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.drafts import services as drafts
from openpep.plans import services
from openpep.plans.enums import Section, Status, TargetRating
from openpep.plans.models import Target, TargetReview
from tests.builders import cast_of, pep_in, start
from tests.fixtures import sign_in

EVIDENCE = ["Reads a chapter book a week, says the log", "Half the weeks in the log", "Moved to a reading group"]


@pytest.fixture
def reviewing(world):
    """World.child's signed-off PEP with three targets, and the draft after it that reviews them."""
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=3)
    return start(cast)


def _reviews(pep):
    return list(pep.target_reviews.select_related("target").order_by("target__created_at", "target_id"))


def _answers(pep, *, carry=(), **changes):
    """The page's form, filled in: each review rated, with its evidence and its lock; ``carry`` the
    numbers (1-based) of the targets carried forward, to 17 July 2027."""
    data = {}
    for number, review in enumerate(_reviews(pep), start=1):
        name = f"review_{review.pk}_"
        data |= {
            name + "rating": TargetRating.ACHIEVED if number != 2 else TargetRating.PARTLY,
            name + "evidence": EVIDENCE[number - 1],
            name + "lock_version": str(review.lock_version),
        }
        if number in carry:
            data |= {
                name + "carry": "on",
                name + "by_when_0": "17",
                name + "by_when_1": "7",
                name + "by_when_2": "2027",
            }
    return data | changes


def _url(pep):
    return reverse("plans:reviews_edit", args=[pep.pk])


def test_reviews_page_has_a_fieldset_per_target_naming_it_and_the_pep_page_links_to_it(world, client, reviewing):
    sign_in(client, world.dt)

    page = client.get(_url(reviewing)).content.decode()

    legends = re.findall(r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">\s*(.*?)\s*</legend>', page)
    assert legends == [f"Target {n}: I will read a chapter book each week ({n})" for n in (1, 2, 3)]
    assert page.count('type="radio"') == 3 * len(TargetRating.choices)
    assert page.count("Carry this target forward into this PEP") == 3
    assert page.count('data-module="govuk-character-count"') == 3
    detail = client.get(reverse("plans:detail", args=[reviewing.pk])).content.decode()
    assert f'href="{_url(reviewing)}" aria-describedby="reviews-hint reviews-status">Previous targets' in detail


def test_reviews_page_saves_every_review_and_carries_one_target_forward(world, client, reviewing):
    sign_in(client, world.dt)
    first, second, third = _reviews(reviewing)

    response = client.post(_url(reviewing), _answers(reviewing, carry=[2]))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("plans:detail", args=[reviewing.pk]) + "#reviews",
    )
    assert [(r.rating, r.evidence, r.lock_version) for r in _reviews(reviewing)] == [
        (TargetRating.ACHIEVED, EVIDENCE[0], 2),
        (TargetRating.PARTLY, EVIDENCE[1], 2),
        (TargetRating.ACHIEVED, EVIDENCE[2], 2),
    ]
    carried = Target.objects.get(pep=reviewing)
    assert (carried.continues, carried.outcome, carried.who, carried.by_when) == (
        second.target,
        second.target.outcome,
        second.target.who,
        datetime.date(2027, 7, 17),
    )
    entries = AuditEntry.objects.filter(pep_id=reviewing.pk, verb__in=["created", "updated"]).order_by("pk")
    assert [(e.verb, e.summary) for e in entries if e.summary != "Started the PEP: " + reviewing.title] == [
        ("updated", "Changed the review of a previous target"),
        ("updated", "Changed the review of a previous target"),
        ("created", f"Carried forward a target: {second.target.outcome}"),
        ("updated", "Changed the review of a previous target"),
    ]
    detail = client.get(response["Location"]).content.decode()
    assert "Reviews of previous targets saved; 1 carried forward into this PEP&#x27;s targets" in detail


def test_reviews_page_with_an_error_in_one_target_saves_none_and_keeps_what_was_typed(world, client, reviewing):
    sign_in(client, world.dt)
    second = _reviews(reviewing)[1]
    entries = AuditEntry.objects.exclude(verb="viewed").count()

    response = client.post(_url(reviewing), _answers(reviewing, carry=[1], **{f"review_{second.pk}_evidence": ""}))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_review_{second.pk}_evidence">Enter the evidence for target 2</a>' in page
    assert EVIDENCE[0] in page and EVIDENCE[2] in page
    first = _reviews(reviewing)[0].pk
    assert f'name="review_{first}_carry" class="govuk-checkboxes__input" id="id_review_{first}_carry" checked>' in page
    assert f'name="review_{first}_by_when_2" value="2027"' in page
    assert [(r.rating, r.evidence, r.lock_version) for r in _reviews(reviewing)] == [("", "", 1)] * 3
    assert not Target.objects.filter(pep=reviewing).exists()
    assert AuditEntry.objects.exclude(verb="viewed").count() == entries


def test_reviews_page_carrying_forward_without_a_date_asks_for_it_and_saves_none(world, client, reviewing):
    sign_in(client, world.dt)
    first = _reviews(reviewing)[0]

    response = client.post(
        _url(reviewing),
        _answers(reviewing, carry=[1], **{f"review_{first.pk}_by_when_0": ""})
        | {f"review_{first.pk}_by_when_1": "", f"review_{first.pk}_by_when_2": ""},
    )

    assert response.status_code == 200
    assert "Enter the new date for target 1, to carry it forward" in response.content.decode()
    assert [r.rating for r in _reviews(reviewing)] == ["", "", ""]
    assert not Target.objects.filter(pep=reviewing).exists()


def test_reviews_page_submitted_twice_carries_the_target_forward_once(world, client, reviewing):
    sign_in(client, world.dt)
    first = _reviews(reviewing)[0]
    client.post(_url(reviewing), _answers(reviewing, carry=[1]))

    # Again, with the page's new locks and the carry still asked for (a second tab, a replayed form).
    again = client.post(_url(reviewing), _answers(reviewing, carry=[1]))
    # And through the service itself, asked to carry it again.
    answer = services.ReviewAnswer(
        first.pk, TargetRating.ACHIEVED, EVIDENCE[0], 2, carry_forward_by=datetime.date(2027, 7, 17)
    )
    added = services.review_targets(world.dt, reviewing, [answer])

    assert again.status_code == 302 and added == []
    assert Target.objects.filter(pep=reviewing, continues=first.target).count() == 1
    first_fieldset = client.get(_url(reviewing)).content.decode().split("Target 2:")[0]
    assert "Carry this target forward" not in first_fieldset
    assert '<strong class="govuk-tag">Carried forward</strong>' in first_fieldset


def test_reviews_page_saved_over_someone_elses_newer_review_shows_both_and_saves_none(world, client, reviewing):
    sign_in(client, world.dt)
    opened = _answers(reviewing, carry=[3])
    second = _reviews(reviewing)[1]
    # Someone else saves target 2's review on its own page after this page was opened.
    second.rating, second.evidence = TargetRating.NOT_ACHIEVED, "Theirs: no reading log kept"
    services.save_section(world.dt, reviewing, second, section=Section.D, expected_version=1)

    response = client.post(_url(reviewing), opened)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved the review of target 2 while you were editing" in page
    assert "Target 2: their saved version" in page and "Theirs: no reading log kept" in page
    assert EVIDENCE[1] in page  # what was typed is kept
    assert [(r.rating, r.lock_version) for r in _reviews(reviewing)] == [
        ("", 1),
        (TargetRating.NOT_ACHIEVED, 2),
        ("", 1),
    ]
    assert not Target.objects.filter(pep=reviewing).exists()
    # The page now carries their version: saving again writes mine, knowingly.
    assert f'name="review_{second.pk}_lock_version" value="2"' in page
    assert client.post(_url(reviewing), opened | {f"review_{second.pk}_lock_version": "2"}).status_code == 302
    assert TargetReview.objects.get(pk=second.pk).evidence == EVIDENCE[1]
    assert Target.objects.filter(pep=reviewing).count() == 1


def test_review_targets_refuses_a_review_of_another_pep_and_saves_none(world, reviewing):
    other = cast_of(world, world.other_child)
    pep_in(other, Status.SIGNED_OFF)
    theirs = start(other).target_reviews.get()
    mine = _reviews(reviewing)[0]
    answers = [
        services.ReviewAnswer(mine.pk, TargetRating.ACHIEVED, "Mine", 1),
        services.ReviewAnswer(theirs.pk, TargetRating.ACHIEVED, "Theirs", 1),
    ]

    with pytest.raises(services.ValidationError):
        services.review_targets(world.dt, reviewing, answers)

    assert [(r.rating, r.evidence) for r in TargetReview.objects.filter(pk__in=[mine.pk, theirs.pk])] == [("", "")] * 2


@pytest.mark.parametrize("who", ["dt_other", "sw_other", "nobody"])
def test_reviews_page_of_a_child_out_of_scope_is_not_found_and_writes_nothing(world, client, reviewing, who):
    sign_in(client, getattr(world, who))
    entries = AuditEntry.objects.exclude(verb__in=["viewed", "refused"]).count()

    assert client.get(_url(reviewing)).status_code == 404
    assert client.post(_url(reviewing), _answers(reviewing, carry=[1])).status_code == 404
    assert [r.rating for r in _reviews(reviewing)] == ["", "", ""]
    assert AuditEntry.objects.exclude(verb__in=["viewed", "refused"]).count() == entries


@pytest.mark.parametrize("who", ["sw", "vs", "iro"])
def test_reviews_page_is_the_dts_seen_but_refused_to_others_who_see_the_pep(world, client, reviewing, who):
    sign_in(client, getattr(world, who))

    assert client.get(_url(reviewing)).status_code == 403
    assert client.post(_url(reviewing), _answers(reviewing)).status_code == 403
    assert [r.rating for r in _reviews(reviewing)] == ["", "", ""]


def test_reviews_page_is_closed_once_the_school_section_is_returned(world, client):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF)
    returned = pep_in(cast, Status.SCHOOL_RETURNED)
    sign_in(client, world.dt)

    assert client.get(_url(returned)).status_code == 403


def test_reviews_page_opens_with_the_persons_draft(world, client, reviewing):
    first = _reviews(reviewing)[0]
    kept = QueryDict(mutable=True)
    kept.update({f"review_{first.pk}_evidence": "Typed before the session ran out"})
    drafts.keep(world.dt, _url(reviewing), kept)
    sign_in(client, world.dt)

    page = client.get(_url(reviewing)).content.decode()

    assert "Typed before the session ran out" in page
    client.post(_url(reviewing), _answers(reviewing))
    assert drafts.draft_for(world.dt, _url(reviewing)) is None


def _queries_of_the_page(world, client, child, dt, targets):
    cast = cast_of(world, child)
    pep_in(cast, Status.SIGNED_OFF, targets=targets)
    pep = start(cast)
    sign_in(client, dt)
    client.get(_url(pep))  # the first request of a session reads what later ones keep
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(pep)).status_code == 200
    return len(captured)


def test_reviews_page_queries_do_not_grow_with_the_targets(world, client):
    one = _queries_of_the_page(world, client, world.child, world.dt, 1)
    three = _queries_of_the_page(world, client, world.other_child, world.dt_other, 3)

    assert three == one
