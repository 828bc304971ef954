"""Drafts of the forms that add to Section D — a target (new or carried forward) and a row of
attainment — kept and offered the same way as the sections' (tests/drafts/test_drafts.py)."""

import time

import pytest
from django.urls import reverse

from openpep.drafts import services
from openpep.drafts.models import Draft
from openpep.plans.enums import Status, ViewsRecordedBy
from openpep.plans.forms import AttainmentForm
from openpep.plans.models import Attainment, Target
from openpep.session_limits import LAST_SEEN_AT
from tests.builders import cast_of, pep_in, start
from tests.fixtures import sign_in

OUTCOME = "I will swim a length of the pool by Easter"


@pytest.fixture
def pep(world):
    return start(cast_of(world), views_recorded_by=ViewsRecordedBy.SCHOOL)


def _target(**changes):
    return {
        "outcome": OUTCOME,
        "area": "physical",
        "success_measure": "Swimming certificate",
        "actions": "Weekly lessons at the leisure centre",
        "who": "PE teacher",
        "by_when_0": "27",
        "by_when_1": "3",
        "by_when_2": "2027",
        "pupil_premium_cost": "",
        "lock_version": "",
    } | changes


def _idle_for(client, seconds):
    client.get("/children/")
    session = client.session
    session[LAST_SEEN_AT] = time.time() - seconds
    session.save()


def _query(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query[name] = value
    return query


def test_without_javascript_an_added_target_posted_after_the_session_ran_out_is_kept_then_added(world, client, pep):
    url = reverse("plans:target_add", args=[pep.pk])
    sign_in(client, world.dt)
    _idle_for(client, 31 * 60)

    response = client.post(url, _target())

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Target.objects.filter(pep=pep).exists()
    draft = Draft.objects.get()
    assert (draft.owner, draft.path, draft.data["outcome"]) == (world.dt, url, [OUTCOME])

    sign_in(client, world.dt)
    page = client.get(url).content.decode()
    assert "We kept what you typed at" in page and OUTCOME in page and "There is a problem" not in page
    assert "data-autosave-url" in page  # the page's script keeps what is typed from now on

    assert client.post(url, _target()).status_code == 302
    assert Target.objects.get(pep=pep).outcome == OUTCOME
    assert not Draft.objects.exists()
    assert "We kept what you typed" not in client.get(url).content.decode()


def test_autosave_keeps_a_row_of_attainment_until_it_is_recorded(world, client, pep):
    url = reverse("plans:attainment_add", args=[pep.pk])
    sign_in(client, world.dt)
    grade = [value for value, _ in AttainmentForm(pep=pep).fields["current"].choices if value][0]  # the PEP's scale
    typed = {"subject": "Swimming", "current": grade, "expected": "", "note": "Nervous in deep water"}

    assert client.post(reverse("drafts:autosave"), typed | {"path": url}).status_code == 200

    page = client.get(url).content.decode()
    assert "We kept what you typed at" in page and "Nervous in deep water" in page
    assert client.post(url, typed).status_code == 302
    assert Attainment.objects.get(pep=pep, subject="Swimming").note == "Nervous in deep water"
    assert not Draft.objects.exists()


@pytest.mark.parametrize("who", ["sw", "dt_other"])
def test_autosave_of_an_add_form_is_refused_to_whoever_may_not_add(world, client, pep, who):
    sign_in(client, getattr(world, who))
    for name in ("plans:target_add", "plans:attainment_add"):
        path = reverse(name, args=[pep.pk])
        assert client.post(reverse("drafts:autosave"), _target() | {"path": path}).status_code in (403, 404)
    assert not Draft.objects.exists()


def test_a_carried_forward_targets_draft_comes_back_to_the_same_carry_forward_only(world, client):
    cast = cast_of(world)
    pep_in(cast, Status.SIGNED_OFF, targets=2)
    review_pep = start(cast)
    first, second = review_pep.target_reviews.order_by("pk")
    url = reverse("plans:target_add", args=[review_pep.pk])
    services.keep(world.dt, url, _query(_target(continues=str(first.pk))))
    sign_in(client, world.dt)

    # Back on the page it was typed on, or on the plain address the page has after signing in.
    for address in (f"{url}?continues={first.pk}", url):
        page = client.get(address).content.decode()
        assert OUTCOME in page and "Carry forward a target" in page
        assert f'name="continues" value="{first.pk}"' in page
    # Carrying forward another target offers none of it.
    other = client.get(f"{url}?continues={second.pk}").content.decode()
    assert OUTCOME not in other and "We kept what you typed" not in other

    assert client.post(url, _target(continues=str(first.pk))).status_code == 302
    added = Target.objects.get(pep=review_pep, outcome=OUTCOME)
    assert added.continues == first.target
    assert not Draft.objects.exists()


def test_a_draft_of_an_add_form_is_seen_by_its_owner_only(world, client, pep):
    url = reverse("plans:target_add", args=[pep.pk])
    services.keep(world.dt, url, _query(_target()))
    sign_in(client, world.sw)  # sees the PEP, may not add a target

    assert OUTCOME not in client.get(reverse("plans:detail", args=[pep.pk])).content.decode()
    assert services.draft_for(world.sw, url) is None
