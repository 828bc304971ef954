"""Backups: one .tar.gz holding the database, the stored documents and a manifest.

- SQLite: a consistent copy through SQLite's online backup API (the service may keep running).
- PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported from a REPEATABLE READ
  transaction, in which the manifest's checksums are computed too, so both describe the same
  moment. Restored with ``pg_restore`` in a single transaction.
- Documents (``STORAGES["documents"]``): copied after the database snapshot. Stored files are
  never changed or deleted, so every file the snapshot refers to is in the archive.

The manifest (``manifest.json``) holds every table's row count and checksum
(openpep.backups.checksums) and every document's SHA-256; a restore goes only into an empty
database and an empty documents folder, and fails unless everything matches it afterwards.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.core.files.storage import storages
from django.db import connection, transaction

from .checksums import postgresql_checksums, sqlite_checksums, table_checksums

FORMAT = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    pass


def documents_root() -> Path:
    return Path(storages["documents"].location)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _document_files(root: Path) -> dict[str, str]:
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): _sha256(path) for path in sorted(root.rglob("*")) if path.is_file()}


def _pg_env() -> dict[str, str]:
    """libpq's environment for the connection Django uses (whatever form DATABASE_URL took)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, value in (
        ("PGDATABASE", settings["NAME"]),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", str(settings.get("PORT") or "")),
        ("PGSSLMODE", settings.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[variable] = value
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _dump_sqlite(target: Path) -> dict:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        return sqlite_checksums(copy.cursor())
    finally:
        copy.close()


def _dump_postgresql(target: Path) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        return postgresql_checksums(cursor)


def create_backup(directory: Path) -> tuple[Path, dict]:
    """Write an archive into `directory` (made if missing, private to its owner); return its path and manifest."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups of {vendor} databases are not supported")
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be taken inside a transaction")
    created = datetime.datetime.now(datetime.UTC)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory() as work:
        database_file = Path(work) / DATABASE_FILES[vendor]
        tables = _dump_sqlite(database_file) if vendor == "sqlite" else _dump_postgresql(database_file)
        root = documents_root()
        documents = _document_files(root)
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "engine": vendor,
            "database_file": database_file.name,
            "tables": tables,
            "documents": documents,
        }
        manifest_file = Path(work) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        archive = directory / f"openpep-{vendor}-{created:%Y%m%dT%H%M%S%fZ}.tar.gz"
        # Children's records: readable by the owner only, from the moment the file exists.
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file, tarfile.open(fileobj=file, mode="w:gz") as tar:
            tar.add(manifest_file, arcname=MANIFEST)
            tar.add(database_file, arcname=database_file.name)
            for relative in documents:
                tar.add(root / relative, arcname=f"{DOCUMENTS}/{relative}")
    return archive, manifest


def _differences(expected: dict, found: dict) -> list[str]:
    return sorted(
        f"{table}: expected {expected.get(table)}, found {found.get(table)}"
        for table in expected.keys() | found.keys()
        if expected.get(table) != found.get(table)
    )


#: What a manifest made by `backup` holds, and of which type.
MANIFEST_KEYS = {"engine": str, "database_file": str, "created_at": str, "tables": dict, "documents": dict}


def _unpack(archive: Path, work: Path) -> dict:
    """Extract ``archive`` into ``work`` and return its manifest, checked; raises ``BackupError``
    (one line) for anything that is not an archive made by `backup` — another kind of file, a
    manifest missing or malformed, a database file of another name, a document outside the folder."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths, "..", links out of `work`
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{archive.name} is not a backup made by `backup`: it has no {MANIFEST}") from None
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:  # ValueError: JSON, UTF-8
        reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise BackupError(f"{archive.name} is not a backup made by `backup`: {reason}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else type(manifest).__name__
        raise BackupError(f"Unknown backup format {str(found)[:100]!r}")
    for key, kind in MANIFEST_KEYS.items():
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"The manifest's {key!r} is missing or not a {kind.__name__}")
    if manifest["database_file"] not in DATABASE_FILES.values():
        raise BackupError(f"The manifest names a database file {manifest['database_file'][:100]!r}, not a backup's")
    for relative, checksum in manifest["documents"].items():
        path = PurePosixPath(relative)
        if (
            not relative
            or path.is_absolute()
            or ".." in path.parts
            or "\x00" in relative
            or not isinstance(checksum, str)
        ):
            raise BackupError(f"The manifest names a document outside the documents folder: {relative[:100]!r}")
    return manifest


def restore_backup(archive: Path) -> dict:
    """Restore `archive` into the (empty) database and documents folder; return its manifest.
    Raises BackupError when the target is not empty or anything differs from the manifest."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing:
        raise BackupError(f"The database is not empty ({len(existing)} tables): restore into an empty one")
    root = documents_root()
    if _document_files(root):
        raise BackupError(f"The documents folder {root} is not empty: restore into an empty one")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = _unpack(archive, work)
        if manifest["engine"] != vendor:
            raise BackupError(f"This is a {manifest['engine']} backup; the database is {vendor}")
        # Every document is checked before the database is touched: a refusal writes nothing.
        for relative, checksum in manifest["documents"].items():
            source = work / DOCUMENTS / relative
            if not source.is_file() or _sha256(source) != checksum:
                raise BackupError(f"Document {relative} does not match the manifest")
        database_file = work / manifest["database_file"]
        if vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database_file)
            try:
                source.backup(connection.connection)
            except sqlite3.DatabaseError as error:
                raise BackupError(f"The archive's database file cannot be restored: {error}") from None
            finally:
                source.close()
        else:
            _run(
                ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner"]
                + ["--dbname", _pg_env()["PGDATABASE"], str(database_file)]
            )
        for relative in manifest["documents"]:
            source = work / DOCUMENTS / relative
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / relative)
    if differences := _differences(manifest["tables"], table_checksums(connection)):
        raise BackupError("The restored database does not match the manifest:\n" + "\n".join(differences))
    if differences := _differences(manifest["documents"], _document_files(root)):
        raise BackupError("The restored documents do not match the manifest:\n" + "\n".join(differences))
    return manifest
