"""Adding a child of the wider cohort who has never been in care: the Virtual School's page beside the
register (``cohorts:child_add``); the child has no care date and no placement, and one membership."""

import datetime

import pytest
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.children.enums import Cohort, CohortKind, FromWhere
from openpep.children.models import Child
from openpep.children.queries import is_looked_after
from tests.fixtures import sign_in


@pytest.fixture
def world(module_world, db):
    return module_world


def _date(name, day: datetime.date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def _form(**changes) -> dict:
    data = {
        "first_name": "Iris",
        "last_name": "Wider",
        **_date("date_of_birth", datetime.date(2015, 4, 1)),
        "gender": "2",
        "upn": "",
        "local_id": "NEW0001",
        "cohort": Cohort.PREVIOUSLY_LOOKED_AFTER,
        "kind": CohortKind.SGO,
        "from_where": FromWhere.WALES,
        **_date("starts_on", datetime.date(2020, 6, 1)),
    }
    data.update(changes)
    return data


def test_the_virtual_school_adds_a_child_never_in_care_with_their_cohort(world, client):
    sign_in(client, world.vs)
    url = reverse("cohorts:child_add")
    response = client.post(url, _form())
    child = Child.objects.get(local_id="NEW0001")
    assert response.status_code == 302 and response.url == reverse("children:detail", args=[child.pk])
    assert child.local_authority == world.authority and child.care_start_date is None
    assert not child.placements.exists() and not is_looked_after(child)
    assert list(child.cohort_memberships.values_list("cohort", "kind", "from_where", "starts_on")) == [
        (Cohort.PREVIOUSLY_LOOKED_AFTER, CohortKind.SGO, FromWhere.WALES, datetime.date(2020, 6, 1))
    ]
    assert AuditEntry.objects.filter(child_id=child.pk, actor=world.vs, verb="created").count() == 2
    assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"from_where": ""}, "from_where", "Select where the child was looked after"),
        ({"cohort": Cohort.SOCIAL_WORKER}, "kind", "For this cohort choose one of"),
        ({"local_id": "AMI0001"}, "local_id", "There is already a child with this local child ID"),
        (_date("starts_on", datetime.date(2010, 1, 1)), "starts_on", "The start date must be on or after the child"),
        ({"upn": "A123"}, "upn", "Enter a valid UPN"),
    ],
)
def test_a_wrong_form_says_why_and_adds_no_one(world, client, changes, field, message):
    if field == "local_id":
        changes = {"local_id": world.child.local_id}
    sign_in(client, world.vs)
    before = Child.objects.count()
    response = client.post(reverse("cohorts:child_add"), _form(**changes))
    assert response.status_code == 200
    assert message in response.text and "govuk-error-summary" in response.text
    assert Child.objects.count() == before
