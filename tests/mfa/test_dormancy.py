"""Accounts nobody has used for DORMANT_AFTER_DAYS are disabled by the worker once a day (and by
`manage.py disable_dormant`), each audited."""

import datetime

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from openpep.audit.models import AuditEntry
from openpep.people.models import User
from openpep.people.services import disable_dormant_accounts
from tests.fixtures import password_accepted, sign_in


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_accounts_unused_for_90_days_are_disabled_and_audited(world):
    User.objects.filter(pk=world.sw.pk).update(last_login=_days_ago(91))
    User.objects.filter(pk=world.dt.pk).update(last_login=_days_ago(89))
    # Never signed in: counted from when the account was made.
    User.objects.filter(pk=world.tm.pk).update(last_login=None, date_joined=_days_ago(100))
    User.objects.filter(pk=world.iro.pk).update(last_login=None, date_joined=_days_ago(10))

    assert disable_dormant_accounts() == 2

    active = dict(User.objects.values_list("email", "is_active"))
    assert (active[world.sw.email], active[world.tm.email]) == (False, False)
    assert (active[world.dt.email], active[world.iro.email], active[world.vs.email]) == (True, True, True)
    entries = AuditEntry.objects.filter(target_type="people.user", verb="deactivated", actor=None)
    assert sorted(entries.values_list("summary", flat=True)) == [
        "Disabled Sam Worker: not used for 90 days",
        "Disabled Tia Manager: not used for 90 days",
    ]
    assert disable_dormant_accounts() == 0  # a second run changes nothing
    assert not password_accepted(world.sw)


def test_a_disabled_dormant_account_loses_its_sessions(world):
    client = Client()
    sign_in(client, world.sw)
    User.objects.filter(pk=world.sw.pk).update(last_login=_days_ago(120))
    disable_dormant_accounts()
    assert client.get("/children/").status_code == 302


def test_the_limit_comes_from_settings(world, settings):
    settings.DORMANT_AFTER_DAYS = 30
    User.objects.filter(pk=world.dt.pk).update(last_login=_days_ago(31))
    assert disable_dormant_accounts() == 1
    assert not User.objects.get(pk=world.dt.pk).is_active


def test_the_command_and_the_worker_run_it(world, capsys):
    User.objects.filter(pk=world.sw.pk).update(last_login=_days_ago(91))
    call_command("disable_dormant")
    assert "Disabled 1 accounts unused for 90 days" in capsys.readouterr().out
    User.objects.filter(pk=world.dt.pk).update(last_login=_days_ago(95))
    call_command("worker", "--once")
    assert not User.objects.get(pk=world.dt.pk).is_active
