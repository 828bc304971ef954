"""No lost updates, with real concurrent saves, on PostgreSQL and on the embedded SQLite.

Many trials of two (and of several) people saving the same section at the same
moment, from the same version they opened it on: each person is a thread with
its own database connection, released together by a barrier. In every trial
exactly one save wins; every other gets ``Conflict`` carrying the winner's saved
version (and keeps what it typed); the stored row is the winner's; and the
number of lost updates — a trial where a save reported success but its text is
not what is stored, or where more or fewer than one save won — is zero.

SQLite runs one writer at a time: there the proof is that the writers queue (IMMEDIATE
transactions, a busy timeout) and none is answered "database is locked".
"""

import threading
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from openpep.meetings.models import Meeting
from openpep.plans import services
from openpep.plans.enums import Occasion, Phase, Section
from openpep.plans.models import Arrangements, ChildViews, Pep, SchoolSection, Target
from tests.builders import (
    add_target,
    cast_of,
    complete_section_c,
    complete_section_d,
    fresh,
    record_meeting,
    record_views,
    start,
)
from tests.fixtures import make_child, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TRIALS = 50


@dataclass
class Trial:
    wins: list = field(default_factory=list)  # (thread number, the instance it saved)
    conflicts: list = field(default_factory=list)  # (thread number, what it typed, Conflict)
    errors: list = field(default_factory=list)


def _race(count: int, attempt) -> Trial:
    """Run ``attempt(n)`` in ``count`` threads released at the same moment, each on its own connection."""
    barrier = threading.Barrier(count)
    trial = Trial()

    def run(n):
        try:
            prepared = attempt(n)  # read what the form was opened on, before the barrier
            barrier.wait(timeout=30)
            try:
                trial.wins.append((n, prepared()))
            except services.Conflict as clash:
                trial.conflicts.append((n, clash))
        except Exception as error:  # reported by the test
            trial.errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return trial


# One editable section of each kind: (its model, the section, a text field, who edits it, how it is made).
SECTIONS = {
    "section_b": (ChildViews, Section.B, "going_well", "dt", lambda pep, w: record_views(pep, w.dt)),
    "section_c": (Arrangements, Section.C, "setting", "sw", lambda pep, w: complete_section_c(pep, w.sw)),
    "section_d": (SchoolSection, Section.D, "education_story", "dt", lambda pep, w: complete_section_d(pep, w.dt)),
    "target": (Target, Section.D, "outcome", "dt", lambda pep, w: add_target(pep, w.dt)),
    "meeting_record": (Meeting, Section.MEETING, "notes", "sw", lambda pep, w: record_meeting(pep, w.sw)),
}


@pytest.mark.parametrize("people", [2, 5])
@pytest.mark.parametrize("kind", list(SECTIONS))
def test_people_saving_one_section_at_once_lose_no_update(world, kind, people):
    model, section, text, role, make = SECTIONS[kind]
    pep = start(cast_of(world))
    pk = make(pep, world).pk
    actor = getattr(world, role)
    lost = 0

    for number in range(TRIALS):
        opened_on = model.objects.get(pk=pk).lock_version

        def attempt(n, number=number, opened_on=opened_on):
            mine = model.objects.get(pk=pk)  # the form, opened on the same version by everyone
            setattr(mine, text, f"trial {number}: typed by person {n}")
            the_pep = fresh(pep)
            return lambda: services.save_section(actor, the_pep, mine, section=section, expected_version=opened_on)

        trial = _race(people, attempt)

        assert trial.errors == []
        stored = model.objects.get(pk=pk)
        if len(trial.wins) != 1:
            lost += 1
            continue
        winner, saved = trial.wins[0]
        if getattr(stored, text) != f"trial {number}: typed by person {winner}":
            lost += 1
        assert stored.lock_version == opened_on + 1 == saved.lock_version
        assert len(trial.conflicts) == people - 1
        for _loser, clash in trial.conflicts:  # theirs, to show beside what the loser typed
            assert clash.current.lock_version == opened_on + 1
            assert getattr(clash.current, text) == f"trial {number}: typed by person {winner}"

    assert lost == 0


@pytest.mark.parametrize("people", [2, 5])
def test_people_creating_one_section_at_once_lose_no_update(world, people):
    """Nobody has saved Section C yet and everyone opens an empty form: one creates it, the rest see theirs."""
    lost = 0
    for number in range(TRIALS // 5):
        child = make_child(world.authority, world.sw, world.school, first=f"Child{number}")
        pep = services.start_pep(world.sw, child, Pep(phase=Phase.STATUTORY, occasion=Occasion.INITIAL))

        def attempt(n, number=number, pep=pep):
            mine = Arrangements(pep=pep, setting=f"trial {number}: person {n}", full_time=True, carer_views="Fine")
            the_pep = fresh(pep)
            return lambda: services.save_section(world.sw, the_pep, mine, section=Section.C, expected_version=None)

        trial = _race(people, attempt)

        assert trial.errors == []
        stored = Arrangements.objects.filter(pep=pep)
        if len(trial.wins) != 1 or stored.count() != 1:
            lost += 1
            continue
        winner, _ = trial.wins[0]
        lost += stored.get().setting != f"trial {number}: person {winner}"
        assert [clash.current.setting for _, clash in trial.conflicts] == [stored.get().setting] * (people - 1)

    assert lost == 0


def test_two_people_posting_section_c_at_once_one_sees_the_conflict_page_with_both_versions(world):
    """Two browsers (test clients) post Section C at the same moment, many times: one is saved, the other
    sees the conflict page with the saved version beside what it typed, still in the form."""
    pep = start(cast_of(world))
    complete_section_c(pep, world.sw)
    url = reverse("plans:section_c", args=[pep.pk])
    clients = [Client(), Client()]
    for client in clients:
        sign_in(client, world.sw)  # the same social worker in two tabs, or on two machines
    lost = 0

    for number in range(TRIALS // 2):
        opened_on = [c.get(url).context["form"]["lock_version"].value() for c in clients]
        assert opened_on[0] == opened_on[1]
        responses = {}

        def attempt(n, number=number, opened_on=opened_on, responses=responses):
            data = {
                "setting": f"Trial {number}: typed in tab {n} <b>bold</b>",
                "full_time": "True",
                "carer_views": "Settled",
                "lock_version": str(opened_on[n]),
            }

            def post():
                responses[n] = clients[n].post(url, data)
                if responses[n].status_code != 302:
                    raise services.Conflict(None)
                return responses[n]

            return post

        trial = _race(2, attempt)

        assert trial.errors == []
        stored = Arrangements.objects.get(pep=pep)
        if len(trial.wins) != 1:
            lost += 1
            continue
        winner = trial.wins[0][0]
        loser = 1 - winner
        lost += stored.setting != f"Trial {number}: typed in tab {winner} <b>bold</b>"
        page = responses[loser].content.decode()
        assert responses[loser].status_code == 200
        assert 'class="govuk-error-summary"' in page
        assert "saved this while you were editing" in page
        assert "Their saved version" in page
        assert f"Trial {number}: typed in tab {winner} &lt;b&gt;bold&lt;/b&gt;" in page  # theirs, escaped
        assert f"Trial {number}: typed in tab {loser} &lt;b&gt;bold&lt;/b&gt;</textarea>" in page  # mine, kept
        assert f'name="lock_version" value="{opened_on[0] + 1}"' in page
        assert stored.lock_version == opened_on[0] + 1

    assert lost == 0
