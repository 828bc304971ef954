"""The header's count ("My tasks (N)") counts what the task list shows: PEP tasks, the early warnings
waiting and the follow-ups of advice, for every person, in the same one query however many."""

import datetime
import re

import pytest
from django.urls import reverse

from openpep.children.queries import children_for
from openpep.cohorts.models import CaseworkEntry, CaseworkTopic
from openpep.cohorts.queries import follow_ups_for
from openpep.people.queries import roles_of
from openpep.plans.enums import Status
from openpep.reminders.queries import task_count
from openpep.warnings.enums import SCHOOL_SIDE, Kind
from openpep.warnings.models import EarlyWarning
from openpep.warnings.queries import warnings_for
from openpep.warnings.services import acknowledge, raise_warnings
from tests.builders import cast_of, pep_in
from tests.fixtures import sign_in

from .conftest import TODAY

PEOPLE = ["sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody"]
HEADER = re.compile(r'openpep-count[^>]*>\s*(\d+)<span class="govuk-visually-hidden"> waiting')


def _follow_up(world, on=TODAY):
    topic = CaseworkTopic.objects.filter(local_authority=world.authority).first()
    return CaseworkEntry.objects.create(
        child=world.child, given_on=on, given_to="school", given_by=world.vs, how="phone", topic=topic, follow_up_on=on
    )


def _listed(response) -> int:
    context = response.context
    return len(context["tasks"]) + len(context["warnings"]) + len(context["follow_ups"])


def test_the_count_is_what_each_persons_task_list_shows(council, client):
    world = council.world
    raise_warnings(TODAY)
    pep_in(cast_of(world, world.other_child), Status.SUBMITTED)  # a PEP task for the Virtual School
    _follow_up(world)
    acknowledge(world.sw, EarlyWarning.objects.get(child=world.child, kind=Kind.PEP_OVERDUE), "Seen")

    counted, listed, shown = {}, {}, {}
    for name in PEOPLE:
        person = getattr(world, name)
        counted[name] = task_count(person)
        sign_in(client, person)
        listed[name] = _listed(client.get(reverse("reminders:tasks")))
        header = HEADER.search(client.get(reverse("home"), follow=True).content.decode())
        shown[name] = int(header.group(1)) if header else None
        client.logout()

    assert counted == listed
    for name in PEOPLE:  # each warning and follow-up counted is of a child the person sees
        person = getattr(world, name)
        seen = children_for(person).values("pk")
        assert not warnings_for(person).exclude(child__in=seen).exists(), name
        assert not follow_ups_for(person).exclude(child__in=seen).exists(), name
    assert shown == counted  # the number beside "My tasks" on any page
    # Everyone sent something has it counted: the warnings of the social worker's children, the school-side
    # ones of the DT's school, the Virtual School's (and the officer's own follow-up); the one acknowledged not.
    assert counted["sw"] > 0 and counted["dt"] > 0 and counted["vs"] == counted["vs_admin"] + 1
    assert counted["tm"] == counted["iro"] == counted["nobody"] == 0
    assert counted["dt_other"] == 1  # the suspension at Elm Academy
    assert counted["sw"] == EarlyWarning.objects.filter(child__social_worker=world.sw, acknowledged_at=None).count()


def test_nothing_is_waiting_only_when_there_is_nothing_at_all(council, client):
    world = council.world
    raise_warnings(TODAY)
    sign_in(client, world.sw)  # warnings, and no PEP task
    page = client.get(reverse("reminders:tasks")).content.decode()
    assert "Early warnings" in page and "Nothing is waiting for you" not in page
    client.logout()

    EarlyWarning.objects.filter(kind__in=SCHOOL_SIDE).delete()
    sign_in(client, world.dt)  # no warning of theirs left, no task
    assert "Nothing is waiting for you" in client.get(reverse("reminders:tasks")).content.decode()
    client.logout()

    EarlyWarning.objects.all().delete()
    _follow_up(world)
    sign_in(client, world.vs)  # a follow-up alone
    page = client.get(reverse("reminders:tasks")).content.decode()
    assert "follow-up of advice you gave" in page and "Nothing is waiting for you" not in page


@pytest.mark.parametrize("who", ["vs", "sw", "dt"])
def test_the_count_runs_the_same_one_query_for_1_3_or_50_warnings(world, who, django_assert_num_queries):
    person = getattr(world, who)
    roles_of(person)  # the person's roles are read once a request, by the middleware's user
    pep_in(cast_of(world), Status.DRAFT)
    made = 0
    for wanted in (1, 3, 50):
        EarlyWarning.objects.bulk_create(
            EarlyWarning(child=world.child, kind=Kind.EXCLUSION, occurrence=f"2026-27 no. {n}", detail="Suspended")
            for n in range(made + 1, wanted + 1)
        )
        for n in range(made + 1, wanted + 1):
            _follow_up(world, TODAY + datetime.timedelta(days=n))
        made = wanted
        with django_assert_num_queries(1):
            counted = task_count(person)
        assert counted >= wanted
