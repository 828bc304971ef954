#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD...
# Runs CMD against a throwaway PostgreSQL cluster (DATABASE_URL exported), then
# stops the cluster and deletes its files, exiting with CMD's status.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD..." >&2
  exit 2
fi

# initdb and pg_ctl refuse to run as root, so as root run them as the postgres user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi
# Run from inside the cluster's directory: its owner may not be able to enter the caller's one.
pg() { (cd "$tmp" && "${as_owner[@]}" "$@"); }

# Under /tmp (not $TMPDIR) so that the postgres user can always reach it.
tmp=$(mktemp -d /tmp/openpep-pg.XXXXXX)
data=$tmp/data
cleanup() {
  if [ -f "$data/postmaster.pid" ]; then
    pg pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
# Make Ctrl-C and kill go through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$tmp"
fi

pg initdb -D "$data" -U postgres --auth=trust -E UTF8 --locale=C --no-instructions >/dev/null
# Durability is pointless for a cluster deleted in a minute; turning it off makes tests faster:
# no flushing, the least WAL (no replicas), no autovacuum on tables a test run throws away.
# Clients connect through the Unix socket in $tmp (no TCP: cheaper, and no port to collide).
cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
port = 5432  # only names the socket, which is in this cluster's own directory
unix_socket_directories = '$tmp'
fsync = off
full_page_writes = off
synchronous_commit = off
wal_level = minimal
max_wal_senders = 0
autovacuum = off
CONF
if ! pg pg_ctl -D "$data" -l "$tmp/server.log" -w -t 60 start >/dev/null; then
  cat "$tmp/server.log" >&2
  exit 1
fi

# The host is the socket's directory, percent-encoded (dj-database-url and libpq read it so).
export DATABASE_URL="postgres://postgres@${tmp//\//%2F}:5432/postgres"
"$@"  # under set -e a failure exits with CMD's status; the EXIT trap still cleans up
