import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openpep.meetings.enums import Response
from openpep.meetings.services import answer
from openpep.plans.enums import Status, ViewsRecordedBy
from openpep.reminders.enums import TaskKind
from openpep.reminders.queries import tasks_for
from tests.builders import Cast, a_weekday_ahead, cast_of, fresh, pep_in, record_views, schedule_meeting, start
from tests.fixtures import make_child
from tests.reminders.helpers import days, set_due


def kinds(tasks):
    return [(t.kind, t.pep.child.first_name, t.due) for t in tasks]


def test_tasks_for_designated_teacher_are_views_and_school_section(world):
    pep = start(cast_of(world))
    set_due(pep, views_due=days(2), school_section_due=days(9))

    assert kinds(tasks_for(world.dt)) == [
        (TaskKind.VIEWS, "Amira", days(2)),
        (TaskKind.SCHOOL_SECTION, "Amira", days(9)),
    ]
    assert tasks_for(world.dt_other) == []


def test_tasks_for_designated_teacher_drop_views_once_recorded(world):
    pep = start(cast_of(world))
    record_views(pep, world.dt)

    assert kinds(tasks_for(world.dt)) == [(TaskKind.SCHOOL_SECTION, "Amira", None)]


def test_tasks_for_social_worker_include_views_they_record_and_submission(world):
    start(cast_of(world), views_recorded_by=ViewsRecordedBy.SOCIAL_WORKER)
    returned = pep_in(cast_of(world, world.other_child), Status.SCHOOL_RETURNED)
    set_due(returned, submit_due=days(-1))

    assert kinds(tasks_for(world.sw)) == [(TaskKind.VIEWS, "Amira", None)]
    assert kinds(tasks_for(world.sw_other)) == [(TaskKind.SUBMIT, "Ben", days(-1))]


def test_tasks_for_virtual_school_are_submitted_peps_of_their_authority(world):
    pep = pep_in(cast_of(world), Status.SUBMITTED)
    set_due(pep, pep_due=days(20))

    assert kinds(tasks_for(world.vs)) == [(TaskKind.QUALITY_ASSURE, "Amira", days(20))]
    assert tasks_for(world.vs_other) == []
    assert tasks_for(world.sw) == []


def test_tasks_are_most_urgent_first(world):
    first = start(cast_of(world))
    second_child = make_child(world.authority, world.sw, world.school, first="Cara", born=datetime.date(2015, 1, 1))
    second = start(Cast(second_child, world.sw, world.dt, world.vs))
    set_due(first, views_due=days(5), school_section_due=days(12))
    set_due(second, views_due=days(-3), school_section_due=days(4))

    assert [(t.pep.child.first_name, t.due) for t in tasks_for(world.dt)] == [
        ("Cara", days(-3)),
        ("Cara", days(4)),
        ("Amira", days(5)),
        ("Amira", days(12)),
    ]


def test_tasks_for_runs_the_same_queries_for_one_and_three_peps(world):
    start(cast_of(world))
    with CaptureQueriesContext(connection) as one:
        tasks_for(world.dt)
    for first in ("Cara", "Dan"):
        child = make_child(world.authority, world.sw, world.school, first=first, born=datetime.date(2015, 1, 1))
        set_due(start(Cast(child, world.sw, world.dt, world.vs)), views_due=days(3))
    world.dt.__dict__.pop("_openpep_roles", None)
    with CaptureQueriesContext(connection) as three:
        assert len(tasks_for(world.dt)) == 6

    assert len(three) == len(one)


def test_tasks_include_meeting_invitations_to_answer_until_answered(world):
    pep = start(cast_of(world))
    meeting = schedule_meeting(pep, world.sw, held_on=a_weekday_ahead(10))
    invitation = meeting.invitations.get(user=world.dt)

    assert (TaskKind.ANSWER_MEETING, "Amira", meeting.held_on) in kinds(tasks_for(world.dt))
    assert TaskKind.ANSWER_MEETING not in [t.kind for t in tasks_for(world.dt_other)]
    answer(world.dt, fresh(pep), invitation, Response.ATTENDING)
    world.dt.__dict__.pop("_openpep_roles", None)
    assert TaskKind.ANSWER_MEETING not in [t.kind for t in tasks_for(world.dt)]


PEOPLE = ["sw", "sw_other", "tm", "dt", "dt_other", "vs", "vs_admin", "vs_other", "iro", "nobody"]


@pytest.mark.parametrize("views_by", list(ViewsRecordedBy))
def test_the_count_in_the_header_is_the_number_of_tasks_at_every_stage(world, views_by):
    """``task_count`` counts in the database what ``tasks_for`` lists: for every person, with
    PEPs at every stage (views recorded or not), and a meeting invitation to answer."""
    from openpep.reminders.queries import task_count

    children = [world.child, world.other_child]
    children += [
        make_child(world.authority, world.sw, world.school, first=f"Kid{i}", born=datetime.date(2014, 1, 1 + i))
        for i in range(len(Status) - 1)
    ]
    for child, status in zip(children, list(Status), strict=False):
        cast = (
            cast_of(world, child)
            if child in (world.child, world.other_child)
            else Cast(child, world.sw, world.dt, world.vs)
        )
        pep = pep_in(cast, status, views_recorded_by=views_by)
        if status == Status.DRAFT:
            schedule_meeting(pep, cast.sw)  # invites the Designated Teacher
    extra = make_child(world.authority, world.sw, world.school, first="Zed", born=datetime.date(2013, 5, 5))
    start(Cast(extra, world.sw, world.dt, world.vs), views_recorded_by=views_by)  # a draft with no views yet

    counted = {name: task_count(getattr(world, name)) for name in PEOPLE}
    listed = {name: len(tasks_for(getattr(world, name))) for name in PEOPLE}
    assert counted == listed
    assert counted["sw"] + counted["dt"] + counted["vs"] > 3  # the stages made tasks to count


def test_the_count_takes_one_query_whatever_the_roles(world, django_assert_num_queries):
    from openpep.people.queries import roles_of
    from openpep.reminders.queries import task_count

    pep_in(cast_of(world), Status.SUBMITTED)
    roles_of(world.vs)  # the person's roles are read once a request, by the middleware's user
    with django_assert_num_queries(1):
        task_count(world.vs)
