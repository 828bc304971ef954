"""The menu and the views cannot disagree: for every role, each item the menu shows is a page the
person opens (200), and each item it hides is a page that refuses them (404)."""

import re

import pytest
from django.urls import reverse

from openpep.navigation import ITEMS
from tests.fixtures import sign_in

LINK = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"')


@pytest.fixture
def world(module_world, db):
    return module_world


def menu_of(client) -> list[str]:
    response = client.get(reverse("children:list"))
    assert response.status_code == 200
    return LINK.findall(response.content.decode())


ROLES = ["sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody"]


@pytest.mark.parametrize("role", ROLES)
def test_navigation_shows_what_opens_and_hides_what_is_refused(role, world, client):
    sign_in(client, world.users()[role])
    shown = menu_of(client)
    assert shown, "every signed-in person has a menu"
    for item in ITEMS:
        url = reverse(item.url_name)
        status = client.get(url).status_code
        if url in shown:
            assert status == 200, f"{role} is shown {item.label} but {url} answers {status}"
        else:
            assert status == 404, f"{role} is not shown {item.label} but {url} answers {status}"


def test_navigation_of_the_head_lists_the_admin_pages(world, client):
    sign_in(client, world.vs_admin)
    expected = [
        reverse(item.url_name) for item in ITEMS if item.url_name not in ("children:delegations", "cohorts:school_list")
    ]
    assert menu_of(client) == expected


def test_navigation_of_a_social_worker_is_tasks_children_and_sign_in_methods(world, client):
    sign_in(client, world.sw)
    assert menu_of(client) == [reverse("reminders:tasks"), reverse("children:list"), reverse("mfa:manage")]


def test_navigation_marks_the_longest_matching_section_current(world, client):
    sign_in(client, world.dt)
    page = client.get(reverse("children:delegations")).content.decode()
    current = re.findall(r'href="([^"]+)" aria-current="true"', page)
    assert current == [reverse("children:delegations")]


def test_navigation_is_absent_when_signed_out(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert "govuk-service-navigation__link" not in page
