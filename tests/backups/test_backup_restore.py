"""Back up, restore into an empty database, and find everything as it was: every table's rows
and checksum, every stored document, and an account that signs in through the sign-in form.
Runs on whichever database the suite runs on (SQLite, and PostgreSQL under with-postgres.sh)."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from openpep.backups.archive import documents_root
from openpep.backups.checksums import table_checksums
from openpep.documents.services import store_signed_off_copies
from openpep.people.models import User
from openpep.plans.enums import Status
from tests.builders import cast_of, pep_in, start
from tests.fixtures import PASSWORD, sign_in


@pytest.fixture(autouse=True)
def documents_folder(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {**settings.STORAGES["documents"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }


def demo_ish_data(world):
    """Every role, two children, a signed-off PEP with its stored PDFs and a draft in progress."""
    cast = cast_of(world)
    signed_off = pep_in(cast, Status.SIGNED_OFF)
    copies = store_signed_off_copies(signed_off.pk)
    start(cast_of(world, world.other_child))
    assert len(copies) == 2


def empty_the_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
        assert connection.introspection.table_names(cursor) == []


def backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", output_dir=str(tmp_path / "backups"), stdout=out, stderr=io.StringIO())
    return Path(out.getvalue().strip())


def test_backup_then_restore_into_an_empty_database(transactional_db, world, client, tmp_path):
    demo_ish_data(world)
    tables = table_checksums(connection)
    documents = {path: path.read_bytes() for path in documents_root().rglob("*") if path.is_file()}

    archive = backup(tmp_path)

    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {name for name in tar.getnames() if name.startswith("documents/")} == {
            f"documents/{path.relative_to(documents_root()).as_posix()}" for path in documents
        }
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == tables
    assert manifest["tables"]["people_user"]["rows"] == 10
    assert manifest["tables"]["documents_storedcopy"]["rows"] == 2
    assert len(manifest["documents"]) == len(documents) == 2

    empty_the_database()
    for path in documents:
        path.unlink()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert "all matching the manifest" in out.getvalue()
    assert table_checksums(connection) == tables
    assert {path: path.read_bytes() for path in documents} == documents
    # A restored account's password works on the sign-in form (a wrong one shows the form again)...
    wrong = client.post(reverse("login"), {"username": world.sw.email, "password": "not-the-password"})
    assert wrong.status_code == 200
    response = client.post(reverse("login"), {"username": world.sw.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] != reverse("login")
    # ...and, signed in, the social worker sees their child.
    client.logout()
    sign_in(client, User.objects.get(email=world.sw.email))
    assert "Amira Test" in client.get(reverse("children:list")).content.decode()
    # Restoring over a database that is not empty is refused.
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_an_archive_that_does_not_match_its_manifest(transactional_db, world, tmp_path):
    archive = backup(tmp_path)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["tables"]["people_user"]["rows"] += 1
                data = json.dumps(manifest).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    empty_the_database()

    with pytest.raises(CommandError, match=r"does not match the manifest:\npeople_user: expected"):
        call_command("restore", str(tampered))
