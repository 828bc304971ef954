"""The children list a page at a time: a Virtual School's cohort of thousands is not one page."""

import datetime

import pytest
from django.urls import reverse

from openpep.children.models import Child
from openpep.children.views import CHILDREN_PER_PAGE
from tests.fixtures import sign_in

pytestmark = pytest.mark.django_db


def _many(world, count):
    Child.objects.bulk_create(
        Child(
            local_authority=world.authority,
            first_name="Pat",
            last_name=f"Zz{i:04d}",
            date_of_birth=datetime.date(2014, 1, 1),
            gender="2",
            local_id=f"MANY{i:04d}",
            care_start_date=datetime.date(2023, 9, 1),
            social_worker=world.sw,
        )
        for i in range(count)
    )


def test_the_list_shows_a_page_at_a_time_and_counts_them_all(world, client):
    _many(world, CHILDREN_PER_PAGE + 5)
    total = Child.objects.filter(local_authority=world.authority).count()
    sign_in(client, world.vs)

    first = client.get(reverse("children:list"))
    assert len(first.context["children"]) == CHILDREN_PER_PAGE
    assert f"{total} children" in first.content.decode()
    assert "Showing 1 to 100" in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()

    last = client.get(reverse("children:list") + "?page=2")
    names = {child.last_name for child in last.context["children"]}
    assert len(last.context["children"]) == total - CHILDREN_PER_PAGE
    assert not names & {child.last_name for child in first.context["children"]}
    assert 'rel="prev"' in last.content.decode()
    # A page past the end shows the last; nonsense shows the first.
    assert client.get(reverse("children:list") + "?page=99").context["page"].number == 2
    assert client.get(reverse("children:list") + "?page=x").context["page"].number == 1


def test_a_short_list_has_no_pages(world, client):
    sign_in(client, world.sw)
    response = client.get(reverse("children:list"))
    assert "govuk-pagination" not in response.content.decode()
    assert world.child in response.context["children"]
