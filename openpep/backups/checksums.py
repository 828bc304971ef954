"""Every table's row count and a checksum of its rows, computed by the database itself so that the
same rows give the same checksum whichever connection reads them (Django's, or a plain one on a
backup's copy). Rows are hashed one by one and the hashes sorted, so row order does not matter."""

import hashlib


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(cursor) -> list[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in cursor.fetchall()]


def postgresql_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def sqlite_checksums(cursor) -> dict[str, dict]:
    """`cursor`: a DB-API cursor on an SQLite database (sqlite3's own or Django's)."""
    found = {}
    for table in sqlite_tables(cursor):
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        columns = [row[1] for row in cursor.fetchall()]
        row_text = " || '|' || ".join(f"quote({_quote(column)})" for column in columns)
        cursor.execute(f"SELECT {row_text} FROM {_quote(table)}")
        hashes = sorted(hashlib.sha256(text.encode()).hexdigest() for (text,) in cursor.fetchall())
        found[table] = {"rows": len(hashes), "checksum": hashlib.sha256("".join(hashes).encode()).hexdigest()}
    return found


def postgresql_checksums(cursor) -> dict[str, dict]:
    found = {}
    for table in postgresql_tables(cursor):
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) "
            f"FROM {_quote(table)} AS t"
        )
        rows, checksum = cursor.fetchone()
        found[table] = {"rows": rows, "checksum": checksum}
    return found


def table_checksums(connection) -> dict[str, dict]:
    """{table: {"rows": n, "checksum": hex}} for every table of a Django connection's database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return postgresql_checksums(cursor)
        if connection.vendor == "sqlite":
            return sqlite_checksums(cursor)
    raise NotImplementedError(f"No checksums for {connection.vendor}")
