"""The sign-in lockout's records (django-axes) are deleted by the worker once they are older than
LOCKOUT_LOG_DAYS, so they do not grow for ever; each prune is audited."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openpep.audit.models import AuditEntry
from openpep.people.services import prune_lockout_log
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.django_db


def _at(model, days_ago, **fields):
    agent = f"browser {model.objects.count()}"  # an attempt is unique per username, address and browser
    row = model.objects.create(username="someone@test.example", ip_address="127.0.0.1", user_agent=agent, **fields)
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=days_ago))
    return row


def test_records_older_than_90_days_are_deleted_and_audited_newer_ones_kept(world):
    old_logs = [_at(AccessLog, 91), _at(AccessLog, 400)]
    recent_log = _at(AccessLog, 89)
    _at(AccessAttempt, 120, failures_since_start=3)
    recent_attempt = _at(AccessAttempt, 1, failures_since_start=1)
    _at(AccessFailureLog, 95)

    assert prune_lockout_log() == 4

    assert list(AccessLog.objects.all()) == [recent_log]
    assert list(AccessAttempt.objects.all()) == [recent_attempt]
    assert not AccessFailureLog.objects.exists()
    entries = {e.target_type: e for e in AuditEntry.objects.filter(verb="deleted", actor=None)}
    assert set(entries) == {"axes.accesslog", "axes.accessattempt", "axes.accessfailurelog"}
    assert entries["axes.accesslog"].summary == "Deleted 2 access logs older than 90 days"
    assert entries["axes.accesslog"].target_id == str(old_logs[0].pk)  # the newest deleted
    assert entries["axes.accessattempt"].after["count"] == 1
    assert prune_lockout_log() == 0  # a second run deletes nothing and audits nothing
    assert AuditEntry.objects.filter(verb="deleted", target_type__startswith="axes.").count() == 3


def test_the_age_comes_from_settings(world, settings):
    settings.LOCKOUT_LOG_DAYS = 7
    _at(AccessLog, 8)
    kept = _at(AccessLog, 6)
    assert prune_lockout_log() == 1
    assert list(AccessLog.objects.all()) == [kept]


def test_the_worker_prunes_it_daily_and_a_sign_in_today_is_kept(world):
    _at(AccessLog, 100)
    Client().post(reverse("login"), {"username": world.sw.email, "password": PASSWORD})  # axes logs it
    assert AccessLog.objects.count() == 2

    call_command("worker", "--once")

    assert list(AccessLog.objects.values_list("username", flat=True)) == [world.sw.email]
