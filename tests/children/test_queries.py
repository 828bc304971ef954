"""The children list runs the same queries however many children it shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.children.queries import caseload_for
from tests.fixtures import make_child, sign_in


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _more_children(world, count):
    for n in range(count):
        make_child(
            world.authority,
            world.sw,
            world.school,
            first=f"Extra{n}",
            last="Child",
            born=datetime.date(2013, 1, 10 + n),
            iro=world.iro,
        )


# role: how many children they see at first (the Virtual School also sees world.other_child)
SEEN = {"sw": 1, "tm": 1, "dt": 1, "vs": 2, "vs_admin": 2, "iro": 1}


@pytest.mark.parametrize("role", SEEN)
def test_children_list_runs_same_queries_for_one_and_three_children(role, world, client):
    user = getattr(world, role)
    sign_in(client, user)
    fewer = _queries(client, reverse("children:list"))
    _more_children(world, 2)

    more = _queries(client, reverse("children:list"))

    assert (len(fewer), len(caseload_for(user))) == (len(more), SEEN[role] + 2), "\n".join(more)


def test_caseload_for_runs_three_queries_however_many_children(world, django_assert_num_queries):
    _more_children(world, 2)

    # the user's roles, the children (with social worker), their enrolments, those schools, their placements
    with django_assert_num_queries(5):
        children = list(caseload_for(world.vs))
        [(c.current_enrolment().school.name, c.current_placement(), c.social_worker.full_name) for c in children]
