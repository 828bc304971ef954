"""The shared test data is shared without leaking: a module's world is there for each of its tests
but what one test writes is gone for the next, and a loaded demo is the demo as built, row for row;
and a test never sleeps for a code from an authenticator app."""

import time

import pytest
from django.apps import apps
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from openpep.backups.checksums import table_checksums
from openpep.demo import counts
from openpep.people.models import LocalAuthority, User
from tests.fixtures import totp_code


@pytest.fixture
def world(module_world, db):
    return module_world


def test_a_test_writes_into_the_module_world(world):
    User.objects.filter(pk=world.sw.pk).update(full_name="Changed by the first test")
    LocalAuthority.objects.create(code="997", name="Left behind?")

    assert User.objects.get(pk=world.sw.pk).full_name == "Changed by the first test"


def test_the_next_test_sees_the_module_world_as_built(world):
    """Runs after the test above (the order of the file): its writes were rolled back, the world was not."""
    assert User.objects.get(pk=world.sw.pk).full_name == "Sam Worker"
    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"999", "998"}


def _link_tables() -> set[str]:
    """The tables Django makes for a many-to-many field: a link row is made again on loading, so its
    own id is a new one on PostgreSQL (whose sequences do not roll back); what it links is the same."""
    return {
        field.remote_field.through._meta.db_table
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    }


@pytest.mark.django_db
def test_the_demo_loaded_is_every_row_of_the_demo_built(demo_snapshot, django_capture_on_commit_callbacks):
    """Every table the demo writes: its row count and checksum (each row's every value) as they were
    right after the build."""
    with django_capture_on_commit_callbacks() as on_commit:
        made = demo_snapshot.load()

    loaded, built, links = table_checksums(connection), demo_snapshot.tables, _link_tables()
    assert {"children_child", "plans_pep", "people_user"} <= set(built)
    assert {table: loaded[table] for table in built if table not in links} == {
        table: sums for table, sums in built.items() if table not in links
    }
    assert {table: loaded[table]["rows"] for table in links & set(built)} == {
        table: sums["rows"] for table, sums in built.items() if table in links
    }
    assert made["counts"] == counts() and made["counts"]["children"] > 0
    assert len(on_commit) == len(demo_snapshot.on_commit) > 0


@pytest.mark.django_db
def test_what_a_test_does_to_what_the_demo_returned_is_its_own(demo_snapshot):
    made = demo_snapshot.load()
    made["users"]["sw"].full_name = "Changed in memory"

    assert demo_snapshot.made["users"]["sw"].full_name == User.objects.get(pk=made["users"]["sw"].pk).full_name


def test_a_code_comes_at_once_when_every_step_accepted_now_is_used(world):
    """No sleeping for a fresh TOTP step: the device's clock is moved on instead, and the code is one
    django-otp's own check (what the second step of signing in calls) accepts."""
    device = TOTPDevice.objects.create(user=world.sw, name="Authenticator app", confirmed=True)
    device.last_t = (int(time.time()) - device.t0) // device.step + device.tolerance  # now and the next used
    device.save()
    started = time.monotonic()

    code = totp_code(device)

    assert time.monotonic() - started < 1
    assert TOTPDevice.objects.get(pk=device.pk).verify_token(code)
