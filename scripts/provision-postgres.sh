#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL 15 server binaries are installed (the local lab's Aurora
# stand-in) and makes a template cluster, .paychaos/pg-template, once with initdb; the lab copies
# it for each cluster (~0.2 s instead of 3-5 s for initdb). The server refuses to run as root, so
# the template belongs to the `postgres` user and the lab runs it with runuser. Idempotent: the
# template is only moved into place once complete. Exits 69 with one line naming what to install
# when PostgreSQL 15 is missing and cannot be installed.
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$root/.paychaos/pg-template"

if [ ! -x "$PG_BIN/postgres" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "provision-postgres: PostgreSQL 15 is missing; install it (apt-get install -y postgresql-15)" >&2
    exit 69
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Bounded: a stuck mirror must not eat the CI budget. Debian's package would start a cluster
  # of its own; policy-rc.d forbids that (the lab runs its own clusters only).
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  timeout 600 apt-get update -qq || true
  if ! timeout 900 apt-get install -y -qq postgresql-15 >/dev/null; then
    [ "$made_policy" -eq 1 ] && rm -f "$policy"
    echo "provision-postgres: apt-get install postgresql-15 failed; install PostgreSQL 15 by hand" >&2
    exit 69
  fi
  [ "$made_policy" -eq 1 ] && rm -f "$policy"
fi
if ! id postgres >/dev/null 2>&1; then
  echo "provision-postgres: no user postgres; install postgresql-15 (its package creates the user)" >&2
  exit 69
fi

if [ -f "$template/PG_VERSION" ]; then
  echo "provision-postgres: template cluster already at $template"
  exit 0
fi
mkdir -p "$root/.paychaos"
build="$root/.paychaos/pg-template.building"
rm -rf "$build"
mkdir -p "$build"
chown postgres:postgres "$build"
chmod 700 "$build"
runuser -u postgres -- "$PG_BIN/initdb" -D "$build" -U postgres -A trust -E UTF8 --locale=C \
  --no-sync >"$root/.paychaos/pg-template-initdb.log" 2>&1 || {
  echo "provision-postgres: initdb failed; see $root/.paychaos/pg-template-initdb.log" >&2
  exit 1
}
# Lab settings: loopback only, no unix socket (no /var/run/postgresql needed), a replica may
# stream from any cluster copied from this template. fsync is off: the lab's kills are process
# kills, never machine crashes, and fsync costs the 2-core machine most of its write throughput.
cat >>"$build/postgresql.conf" <<'CONF'
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
full_page_writes = off
wal_level = replica
max_wal_senders = 10
hot_standby = on
wal_keep_size = '256MB'
shared_buffers = '64MB'
log_line_prefix = '%m [%p] '
CONF
rm -rf "$template"
mv "$build" "$template"
echo "provision-postgres: template cluster made at $template"
