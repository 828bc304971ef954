"""Scoped PEP lookups, and the PEP page running the same queries however much the PEP holds."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openpep.plans.enums import Status
from openpep.plans.queries import peps_for, previous_pep
from tests.builders import Cast, add_attainment, add_attendee, add_target, cast_of, pep_in, record_meeting, start
from tests.fixtures import make_child, sign_in


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _shapes(queries) -> Counter:
    return Counter(re.sub(r"\b\d+\b|\bs\d+_x\d+\b", "%s", sql) for sql in queries)


def _extra(more, fewer) -> str:
    """The queries the bigger page runs more often, their parameters blanked out."""
    extra = _shapes(more) - _shapes(fewer)
    return "\n".join(f"+{n}× {sql}" for sql, n in extra.items())


def _pep_holding(cast, n):
    """A draft PEP with n reviews of previous targets, n targets, n attainment rows and n attendees."""
    pep_in(cast, Status.SIGNED_OFF, targets=n)
    pep = start(cast)
    record_meeting(pep, cast.sw)
    for i in range(n):
        add_target(pep, cast.dt, outcome=f"I will learn {i + 1} new spellings a day")
        add_attainment(pep, cast.dt, subject=f"Subject {i + 1}")
        add_attendee(pep, cast.sw, name=f"Attendee {i + 1}")
    return pep


@pytest.fixture
def one_and_three(world):
    """world.child's PEP holding one of everything; a third child's (same people) holding three."""
    third = make_child(
        world.authority, world.sw, world.school, first="Cal", born=datetime.date(2014, 6, 1), iro=world.iro
    )
    return _pep_holding(cast_of(world), 1), _pep_holding(Cast(third, world.sw, world.dt, world.vs), 3)


@pytest.mark.parametrize("name", ["plans:detail", "plans:whole"])  # the task list, the whole PEP
@pytest.mark.parametrize("role", ["sw", "tm", "dt", "vs", "vs_admin", "iro"])
def test_pep_pages_run_same_queries_for_one_and_three_of_everything(name, role, world, client, one_and_three):
    one, three = one_and_three
    sign_in(client, getattr(world, role))
    fewer = _queries(client, reverse(name, args=[one.pk]))

    more = _queries(client, reverse(name, args=[three.pk]))

    assert len(more) == len(fewer), "Run once per row:\n" + _extra(more, fewer) + "\nOnly once:\n" + _extra(fewer, more)


def test_peps_for_designated_teacher_is_one_query(world, django_assert_num_queries):
    signed_off = pep_in(cast_of(world), Status.SIGNED_OFF)
    pep_in(cast_of(world, world.other_child), Status.SIGNED_OFF)
    peps = peps_for(world.dt)  # reads the DT's roles once, and keeps them on the user

    with django_assert_num_queries(1):
        assert list(peps) == [signed_off]


def test_previous_pep_is_latest_signed_off_before_this_one(world):
    cast = cast_of(world)
    first = pep_in(cast, Status.SIGNED_OFF)
    second = pep_in(cast, Status.SIGNED_OFF)
    third = start(cast)

    assert (previous_pep(world.child), previous_pep(third, before=third), previous_pep(second, before=second)) == (
        second,
        second,
        first,
    )


# The task list's queries at most, whoever reads it (issue 20 asks for 15: the session, the person, their
# second factor and roles, the PEP and the child's schools, the audit of the read and the header's task
# count take 8 before the page's own).
PEP_PAGE_QUERIES = 15


@pytest.mark.parametrize("role", ["sw", "dt", "vs"])
def test_the_pep_page_keeps_within_its_query_budget(role, world, client, one_and_three):
    one, _ = one_and_three
    sign_in(client, getattr(world, role))
    queries = _queries(client, reverse("plans:detail", args=[one.pk]))
    assert len(queries) <= PEP_PAGE_QUERIES, "\n".join(sql[:120] for sql in queries)
