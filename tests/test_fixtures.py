"""The shared test data is shared without leaking: a module's world is there for each of its tests
but what one test writes is gone for the next, and a loaded demo is the demo as built, row for row."""

import pytest
from django.db import connection

from openpep.backups.checksums import table_checksums
from openpep.demo import counts
from openpep.people.models import LocalAuthority, User


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


@pytest.mark.django_db
def test_the_demo_loaded_is_every_row_of_the_demo_built(demo_snapshot, django_capture_on_commit_callbacks):
    """Every table's row count and checksum (each row's every value) as they were right after the build."""
    with django_capture_on_commit_callbacks() as on_commit:
        made = demo_snapshot.load()

    assert table_checksums(connection) == demo_snapshot.tables
    assert made["counts"] == counts() and made["counts"]["children"] > 0
    assert len(on_commit) == len(demo_snapshot.on_commit) > 0


@pytest.mark.django_db
def test_what_a_test_does_to_the_demo_is_gone_for_the_next(demo_snapshot):
    made = demo_snapshot.load()
    User.objects.filter(pk=made["users"]["sw"].pk).update(full_name="Changed")
    made["users"]["sw"].full_name = "Changed in memory too"

    again = demo_snapshot.load()  # on top of itself: every row back as built

    assert User.objects.get(pk=again["users"]["sw"].pk).full_name == again["users"]["sw"].full_name != "Changed"
