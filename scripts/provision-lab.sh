#!/usr/bin/env bash
# Provisions every engine of the local lab (moto, Toxiproxy, PostgreSQL 15), each cached under
# .paychaos/. The three run in parallel; exits non-zero when any failed, after all have finished,
# each failure having printed its one line.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/provision-moto.sh" & moto=$!
bash "$here/provision-toxiproxy.sh" & toxiproxy=$!
bash "$here/provision-postgres.sh" & postgres=$!
status=0
wait "$moto" || status=1
wait "$toxiproxy" || status=1
wait "$postgres" || status=1
exit "$status"
