"""The benchmark's data generator and sessions, at a tiny size, so that neither can rot unseen
(``make bench`` itself is too slow for ``make test``)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from openpep.children.models import Child, Enrolment, Placement
from openpep.children.queries import children_for
from openpep.clock.models import PepClock, Term
from openpep.plans.enums import Status
from openpep.plans.models import Arrangements, ChildViews, Decision, Pep, SchoolSection, Target, TargetReview
from openpep.plans.queries import peps_for
from synthetic.council import generate
from synthetic.sessions import make_session

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def test_generate_makes_a_council_with_a_pep_a_term():
    made = generate(5, years=2, today=TODAY)
    children = Child.objects.filter(local_authority=made.authority)
    assert children.count() == 5
    assert made.counts["children"] == 5
    # Two years of a PEP a term: six each, all signed off but the latest.
    assert Pep.objects.filter(child__in=children).count() == 30
    for child in children:
        peps = list(Pep.objects.filter(child=child).order_by("created_at"))
        assert [p.status for p in peps[:-1]] == [Status.SIGNED_OFF] * 5
        assert peps[-1].status != Status.SIGNED_OFF
        assert peps[0].occasion == "initial"
        # Dates are the history's, not the day the generator ran.
        assert peps[0].created_at.date() < peps[-1].created_at.date() <= TODAY
        assert Enrolment.objects.filter(child=child, ends_on=None).count() == 1
        assert Placement.objects.filter(child=child, ends_on=None).count() == 1
    for model in (ChildViews, Arrangements, SchoolSection, PepClock):
        assert model.objects.count() == 30
    assert Target.objects.count() == 150
    assert Decision.objects.filter(outcome="signed_off").count() == 25
    assert TargetReview.objects.count() == 25  # each open PEP reviews the five previous targets
    assert Term.objects.filter(local_authority=made.authority).count() >= 9


def test_the_people_made_see_what_their_role_sees():
    made = generate(5, years=1, today=TODAY)
    vs = made.vs_officers[0]
    assert children_for(vs).count() == 5
    sw = made.social_workers[0]
    assert children_for(sw).count() == 5  # five children make one caseload
    assert children_for(made.team_managers[0]).count() == 5
    dt = made.designated_teachers[0]
    assert set(children_for(dt)) == {
        c for c in Child.objects.all() if c.current_enrolment().school.memberships.filter(user=dt).exists()
    }
    assert peps_for(vs).count() == Pep.objects.count()


def test_a_second_authority_keeps_apart():
    generate(3, years=1, code="901", today=TODAY)
    other = generate(3, years=1, code="902", first_pk=1000, today=TODAY)
    assert Child.objects.count() == 6
    assert children_for(other.vs_officers[0]).count() == 3


def test_make_session_signs_a_client_in(client):
    made = generate(2, years=1, today=TODAY)
    client.cookies[settings.SESSION_COOKIE_NAME] = make_session(made.social_workers[0])
    response = client.get(reverse("children:list"))
    assert response.status_code == 200
    assert response.context["user"] == made.social_workers[0]


def test_a_made_session_is_signed_in_as_the_sign_in_form_leaves_it(client):
    """The bench counts queries on a made session's first request: it must not be the one that
    starts the session's clock (a save a real sign-in has already made)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = generate(2, years=1, today=TODAY)
    client.cookies[settings.SESSION_COOKIE_NAME] = make_session(made.social_workers[0])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("children:list")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
