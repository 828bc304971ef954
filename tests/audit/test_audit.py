"""The audit trail: every view of a child's record is logged, and on PostgreSQL the database
itself refuses to change or delete an entry."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from openpep.audit.models import AuditEntry
from openpep.audit.queries import history_of_pep
from tests.builders import cast_of, start
from tests.fixtures import sign_in


def _views():
    return list(AuditEntry.objects.filter(verb="viewed").order_by("id"))


@pytest.fixture
def pep(world):
    return start(cast_of(world))


@pytest.mark.parametrize(
    ("name", "takes"),
    [
        ("children:detail", "child"),
        ("children:timeline", "child"),
        ("plans:detail", "pep"),
        ("plans:whole", "pep"),
        ("plans:history", "pep"),
        ("plans:section_c", "pep"),
    ],
)
def test_each_page_view_of_a_childs_record_is_logged_once(world, client, pep, name, takes):
    sign_in(client, world.sw)
    url = reverse(name, args=[world.child.pk if takes == "child" else pep.pk])

    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200

    views = _views()
    assert len(views) == 2  # one per page view
    for entry in views:
        assert (entry.actor, entry.child_id) == (world.sw, world.child.pk)
        assert entry.pep_id == (pep.pk if takes == "pep" else None)
        assert entry.summary.startswith("Viewed ")


def test_the_exports_page_of_a_child_is_logged(world, client):
    sign_in(client, world.vs)
    assert client.get(reverse("documents:exports", args=[world.child.pk])).status_code == 200
    [entry] = _views()
    assert (entry.actor, entry.child_id) == (world.vs, world.child.pk)


def test_a_refused_page_logs_no_view(world, client, pep):
    sign_in(client, world.sw_other)
    assert client.get(reverse("plans:detail", args=[pep.pk])).status_code == 404
    assert _views() == []


def test_a_peps_history_shows_changes_not_views(world, client, pep):
    sign_in(client, world.sw)
    client.get(reverse("plans:detail", args=[pep.pk]))

    assert AuditEntry.objects.filter(pep_id=pep.pk, verb="viewed").exists()
    assert [e.verb for e in history_of_pep(pep.pk)] == ["created"]


def test_a_person_with_audit_entries_cannot_be_deleted(world, pep):
    with pytest.raises(ProtectedError):
        world.sw.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET summary = 'nothing happened' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_to_change_or_delete_an_audit_entry(world, pep, sql):
    entry = AuditEntry.objects.filter(pep_id=pep.pk).first()

    with pytest.raises(DatabaseError, match="audit entries cannot be changed or deleted"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).summary == entry.summary


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_postgresql_refuses_a_bulk_delete_behind_the_models_back(world, pep):
    count = AuditEntry.objects.count()
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == count
