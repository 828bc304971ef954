"""What fuzzing the forms found (tests/test_fuzz_forms.py), each pinned by an example: every one was a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openpep.clock.models import Term
from openpep.funding.models import parse_bands
from openpep.plans.models import Target
from tests.builders import cast_of, start
from tests.fixtures import sign_in


def test_a_date_with_a_year_too_big_for_python_is_a_form_error_not_a_server_error(world, client):
    sign_in(client, world.vs_admin)
    data = {"name": "autumn", "starts_on_0": "1", "starts_on_1": "9", "starts_on_2": "99999999999999999999"}
    data |= {"ends_on_0": "18", "ends_on_1": "12", "ends_on_2": "2026"}

    response = client.post(reverse("clock:term_add"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == ["Enter a real date"]
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not Term.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"), [(" ", "Enter a real date"), ("   ", "Enter a real date")], ids=["one space", "spaces"]
)
def test_a_required_date_of_spaces_is_a_form_error_not_no_date(world, client, day, message):
    """The date input reads a box of spaces as blank and returned no date even when the date is
    required: a term saved with no start (here) and a cohort's end recorded as none (the fuzzing)."""
    sign_in(client, world.vs_admin)
    data = {"name": "autumn", "starts_on_0": day, "starts_on_1": "9", "starts_on_2": "2026"}
    data |= {"ends_on_0": " ", "ends_on_1": " ", "ends_on_2": " "}

    response = client.post(reverse("clock:term_add"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["starts_on"] == [message]
    assert response.context["form"].errors["ends_on"] == ["Enter the day, month and year"]
    assert not Term.objects.exists()


@pytest.mark.parametrize("bands", ["NaN", "sNaN", "Infinity", "-Infinity", "1E+40", "0, 400, 1e30"])
def test_pp_bands_that_are_no_amount_of_money_are_refused(bands):
    with pytest.raises(ValidationError) as refused:
        parse_bands(bands)
    assert "is not an amount of money" in refused.value.messages[0]


def test_carrying_forward_a_target_that_is_no_number_is_a_404_not_a_server_error(world, client):
    pep = start(cast_of(world))
    sign_in(client, world.dt)
    targets = Target.objects.count()

    for continues in ("<script>alert(1)</script>", "99999999999999999999999", "١", "-1"):
        assert client.get(reverse("plans:target_add", args=[pep.pk]), {"continues": continues}).status_code == 404
        assert client.post(reverse("plans:target_add", args=[pep.pk]), {"continues": continues}).status_code == 404
    assert Target.objects.count() == targets


def test_an_import_problem_quoting_a_line_break_is_still_one_line():
    """Found by tests/imports/test_fuzz.py: a value with a line break split a problem over two lines."""
    from openpep.imports.reading import Problem

    problem = Problem("episodes.csv", 3, "DEC", "01/02/2020\n\x00) is before the episode starts")

    assert str(problem) == "episodes.csv:3: column DEC: 01/02/2020\\n\\x00) is before the episode starts"


def test_a_child_added_for_another_teams_social_worker_ends_on_the_list_not_a_404(world, client):
    """Found by fuzzing children:add: the new child's page is the other social worker's, so it was a 404."""
    from openpep.children.models import Child

    sign_in(client, world.sw)
    data = {
        "first_name": "Noor",
        "last_name": "Example",
        "date_of_birth_0": "4",
        "date_of_birth_1": "2",
        "date_of_birth_2": "2014",
        "gender": "1",
        "upn": "",
        "local_id": "FZ0001",
        "care_start_date_0": "4",
        "care_start_date_1": "2",
        "care_start_date_2": "2026",
        "social_worker": str(world.sw_other.pk),
        "iro": str(world.iro.pk),
        "school": str(world.school.pk),
        "legal_status": "C1",
        "placement_type": "A3",
        "carer_name": "",
    }

    response = client.post(reverse("children:add"), data, follow=True)

    assert Child.objects.filter(local_id="FZ0001", social_worker=world.sw_other).exists()
    assert response.redirect_chain[-1] == (reverse("children:list"), 302)
    assert response.status_code == 200
    assert "Noor Example has been added and allocated to Sal Other" in response.content.decode()
