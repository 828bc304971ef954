"""A loaded demo is the demo as built, row for row (tests/fixtures.py's ``demo_snapshot``). In a
module of its own: a module's world (``module_world``) would be in the demo's tables as well."""

import pytest
from django.apps import apps
from django.db import connection

from openpep.backups.checksums import table_checksums
from openpep.demo import counts
from openpep.people.models import User


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
