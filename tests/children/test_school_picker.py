"""The school pickers of the change-of-school and new-child forms: a search by name or URN whose
matches appear as radios, without JavaScript, keeping whatever else was typed."""

from django.urls import reverse

from openpep.children.models import Enrolment
from tests.fixtures import sign_in, today


def test_the_change_of_school_form_offers_a_search_not_every_school(world, client):
    sign_in(client, world.sw)

    page = client.get(reverse("children:school", args=[world.child.pk])).content.decode()

    assert 'name="school_search"' in page and 'name="find_school"' in page
    assert "Elm Academy" not in page and 'type="radio"' not in page


def test_searching_shows_the_matches_as_radios_and_keeps_the_date(world, client):
    sign_in(client, world.sw)
    day = today()

    response = client.post(
        reverse("children:school", args=[world.child.pk]),
        {"school_search": "elm", "find_school": "1", "starts_on_0": day.day, "starts_on_1": day.month},
    )

    page = response.content.decode()
    assert response.context["form"].errors == {}
    assert f'value="{world.other_school.pk}"' in page and "Elm Academy, URN 100002 (Otherborough)" in page
    assert f'value="{day.day}"' in page
    assert Enrolment.objects.filter(child=world.child).count() == 1


def test_the_school_found_is_chosen_and_the_move_recorded(world, client):
    sign_in(client, world.sw)
    day = today()

    client.post(
        reverse("children:school", args=[world.child.pk]),
        {
            "school_search": "100002",
            "school": world.other_school.pk,
            "starts_on_0": day.day,
            "starts_on_1": day.month,
            "starts_on_2": day.year,
        },
    )

    assert Enrolment.objects.get(child=world.child, ends_on=None).school == world.other_school


def test_recording_without_choosing_a_school_says_what_to_do(world, client):
    sign_in(client, world.sw)
    day = today()

    response = client.post(
        reverse("children:school", args=[world.child.pk]),
        {"school_search": "", "starts_on_0": day.day, "starts_on_1": day.month, "starts_on_2": day.year},
    )

    assert response.context["form"].errors == {"school": ["Search for the school by its name or URN, then select it"]}


def test_the_new_child_form_searches_schools_too(world, client):
    sign_in(client, world.sw)

    response = client.post(reverse("children:add"), {"first_name": "Zed", "school_search": "oak", "find_school": "1"})

    page = response.content.decode()
    assert response.context["form"].errors == {}
    assert "Oak Primary, URN 100001 (Testshire)" in page and 'value="Zed"' in page
