"""Unusual access: one person viewing more than UNUSUAL_ACCESS_CHILDREN different children of an
authority in an hour raises one alert an hour to its Virtual School head(s)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from openpep.api import services as api_services
from openpep.api.enums import Scope
from openpep.audit.models import AuditEntry
from openpep.children.services import record_view
from openpep.watch.models import AccessAlert
from openpep.watch.services import raise_unusual_access_alerts
from tests.api.conftest import bearer
from tests.fixtures import make_child, sign_in


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.UNUSUAL_ACCESS_CHILDREN = 3
    return 3


def _children(world, n):
    return [make_child(world.authority, world.sw, world.school, first=f"Child{i}") for i in range(n)]


def test_viewing_more_children_than_the_threshold_in_an_hour_alerts_the_virtual_school_head(world, client):
    for child in _children(world, 4):
        record_view(world.vs, child, page="the child's record")
        record_view(world.vs, child, page="the child's record")  # the same child again counts once

    [alert] = raise_unusual_access_alerts()

    assert (alert.person, alert.local_authority, alert.children) == (world.vs, world.authority, 4)
    entry = AuditEntry.objects.get(target_type="watch.accessalert")
    assert entry.verb == "created" and "viewed 4 different children" in entry.summary
    # Once an hour: the next run of the worker raises nothing new.
    assert raise_unusual_access_alerts() == []
    assert AccessAlert.objects.count() == 1

    sign_in(client, world.vs_admin)
    page = client.get(reverse("reminders:tasks")).content.decode()
    assert "Unusual access" in page and "Val School" in page and "viewed 4 different children" in page
    sign_in(client, world.vs)
    assert "Unusual access" not in client.get(reverse("reminders:tasks")).content.decode()
    sign_in(client, world.vs_other)  # another authority's head
    assert "Unusual access" not in client.get(reverse("reminders:tasks")).content.decode()


def test_the_alert_is_emailed_to_the_head_after_commit(world, django_capture_on_commit_callbacks):
    for child in _children(world, 4):
        record_view(world.sw, child, page="the child's record")

    with django_capture_on_commit_callbacks(execute=True):
        raise_unusual_access_alerts()

    [message] = mail.outbox
    assert message.to == [world.vs_admin.email]
    assert "unusual access" in message.subject
    assert world.sw.full_name in message.body and "4 different" in message.body
    assert "Child0" not in message.body  # no child is named


def test_up_to_the_threshold_raises_nothing(world):
    for child in _children(world, 2) + [world.child]:
        record_view(world.vs, child, page="the child's record")
    assert raise_unusual_access_alerts() == []


def test_views_older_than_an_hour_do_not_count(world):
    for child in _children(world, 4):
        record_view(world.vs, child, page="the child's record")
    later = timezone.now() + datetime.timedelta(minutes=61)
    assert raise_unusual_access_alerts(later) == []


def test_page_views_count_and_the_worker_raises_the_alert(world, client):
    children = _children(world, 4)
    sign_in(client, world.vs)
    for child in children:
        assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200

    call_command("worker", "--once")

    assert AccessAlert.objects.get().person == world.vs


# Refusals (issue 15, point 12): asking for many other children's records raises an alert too.


@pytest.fixture
def refusals(settings):
    settings.UNUSUAL_ACCESS_REFUSALS = 3
    return 3


def test_a_person_refused_many_children_raises_a_refusals_alert(
    world, client, refusals, django_capture_on_commit_callbacks
):
    children = _children(world, 4)
    sign_in(client, world.dt_other)  # another school's teacher: none of these is theirs
    for child in children:
        assert client.get(reverse("children:detail", args=[child.pk])).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        [alert] = raise_unusual_access_alerts()

    assert (alert.person, alert.local_authority, alert.kind, alert.children) == (
        world.dt_other,
        world.authority,
        "refusals",
        4,
    )
    entry = AuditEntry.objects.get(target_type="watch.accessalert")
    assert "was refused 4 different children's records" in entry.summary
    [message] = mail.outbox
    assert message.to == [world.vs_admin.email]
    assert world.dt_other.full_name in message.body and "not theirs to see, and was refused them" in message.body
    assert "Child0" not in message.body
    sign_in(client, world.vs_admin)
    page = client.get(reverse("reminders:tasks")).content.decode()
    assert "Don Elsewhere" in page and "was refused 4 different children" in page


def test_a_token_refused_many_children_raises_a_refusals_alert(world, client, refusals):
    token, secret = api_services.create_token(world.vs_admin, world.other_authority, name="Elsewhere", scope=Scope.READ)
    for child in _children(world, 4):
        assert client.get(reverse("api:child", args=[child.pk]), **bearer(secret)).status_code == 404

    [alert] = raise_unusual_access_alerts()

    assert (alert.person, alert.local_authority, alert.kind, alert.children) == (
        token.principal,
        world.authority,
        "refusals",
        4,
    )


def test_refusals_up_to_their_threshold_raise_nothing(world, client, refusals):
    sign_in(client, world.dt_other)
    for child in _children(world, 2) + [world.child]:
        client.get(reverse("children:detail", args=[child.pk]))
        client.get(reverse("children:detail", args=[child.pk]))  # the same child again counts once
    assert raise_unusual_access_alerts() == []


def test_reads_and_refusals_are_separate_alerts_in_the_same_hour(world, client, refusals):
    for child in _children(world, 4):
        record_view(world.dt_other, child, page="the child's record")  # as if theirs
    sign_in(client, world.dt_other)
    for child in _children(world, 4):
        client.get(reverse("children:detail", args=[child.pk]))

    alerts = raise_unusual_access_alerts()

    assert sorted(a.kind for a in alerts) == ["reads", "refusals"]
    assert raise_unusual_access_alerts() == []


def test_nobody_in_scope_is_alerted_for_normal_use(world, client, refusals):
    """A social worker opening their children's pages again and again, a mistyped id, and a
    Designated Teacher's own pupils: no alert of either kind."""
    caseload = [world.child, *_children(world, 2)]  # as many as the threshold, no more
    sign_in(client, world.sw)
    for n in range(5):
        for child in caseload:
            assert client.get(reverse("children:detail", args=[child.pk])).status_code == 200
        assert client.get(reverse("children:detail", args=[999999 + n])).status_code == 404
    sign_in(client, world.dt)
    assert client.get(reverse("children:detail", args=[world.child.pk])).status_code == 200

    call_command("worker", "--once")

    assert not AccessAlert.objects.exists()
