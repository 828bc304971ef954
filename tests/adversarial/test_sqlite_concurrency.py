"""The embedded database under several people at once (issue 15, point 10).

The demo and a council's pilot run on SQLite. Several people acting at the same moment were
answered 500 "database is locked": a transaction that had read and then wanted to write found
another writer first, and SQLite refuses that at once, whatever the timeout. Here several people,
each a browser (a test client on its own thread, so its own database connection), open and save
PEP sections, view pages and sign in at the same moment, many times; none gets an error, and
what each saved is stored. The same test runs on PostgreSQL.
"""

import re
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from openpep.plans.models import Arrangements
from tests.builders import Cast, complete_section_c, start
from tests.fixtures import PASSWORD, make_child, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 6
ROUNDS = 8


def _all_at_once(count: int, act) -> list[BaseException]:
    """Run ``act(n)`` in ``count`` threads released together; return what any of them raised."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n):
        try:
            barrier.wait(timeout=30)
            act(n)
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_embedded_database_waits_its_turn_rather_than_failing():
    if connection.vendor != "sqlite":
        pytest.skip("the settings of the embedded SQLite database")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20_000,)
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert not connection.is_in_memory_db()  # threads share the database, not a connection


def test_people_working_at_once_are_never_told_the_database_is_locked(world, tally):
    """Each person saves Section C of their own child's PEP, reads it back and the child's page,
    in rounds, all at the same moment; one more signs in with their password each round."""
    children = [world.child] + [
        make_child(world.authority, world.sw, world.school, first=f"Child{n}", last="Concurrent")
        for n in range(1, PEOPLE)
    ]
    peps = []
    for child in children:
        pep = start(Cast(child, world.sw, world.dt, world.vs))
        complete_section_c(pep, world.sw)
        peps.append(pep)
    clients = [Client() for _ in range(PEOPLE)]
    for client in clients:
        sign_in(client, world.sw)  # one social worker's caseload, worked on by colleagues' browsers
    statuses: list[tuple[str, int]] = []

    def act(n):
        client, pep = clients[n], peps[n]
        url = reverse("plans:section_c", args=[pep.pk])
        for number in range(ROUNDS):
            form = client.get(url)
            data = {
                "setting": f"Round {number} by {n}",
                "full_time": "True",
                "carer_views": "Settled",
                # From the page, as a browser would: a test client's captured context is fed by a
                # signal every thread's rendering sends.
                "lock_version": re.search(r'name="lock_version" value="(\d+)"', form.content.decode())[1],
            }
            statuses.append(("saved", client.post(url, data).status_code))
            statuses.append(("child's page", client.get(reverse("children:detail", args=[pep.child_id])).status_code))
            if n == 0:
                signing_in = Client().post(reverse("login"), {"username": world.dt.email, "password": PASSWORD})
                statuses.append(("signed in", signing_in.status_code))

    errors = _all_at_once(PEOPLE, act)
    tally("people acting at once on one database", PEOPLE * ROUNDS)

    assert errors == []
    assert Counter(statuses) == {
        ("saved", 302): PEOPLE * ROUNDS,
        ("child's page", 200): PEOPLE * ROUNDS,
        ("signed in", 302): ROUNDS,
    }
    for n, pep in enumerate(peps):
        assert Arrangements.objects.get(pep=pep).setting == f"Round {ROUNDS - 1} by {n}"
