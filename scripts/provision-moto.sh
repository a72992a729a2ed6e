#!/usr/bin/env bash
# Installs moto's server (the DynamoDB API of the local lab, one process per region) into a
# virtualenv, .paychaos/moto, once. Idempotent: a stamp file written after a complete install
# marks it done; a half-finished install (no stamp) is removed and redone. Exits 69 with one line
# naming what to install when python3 or its venv module is missing.
set -euo pipefail

MOTO_VERSION=5.2.5
# The WSGI server the lab runs moto's application on (targets/local/moto-serve.py): it keeps
# connections alive, which moto_server's werkzeug does not.
WAITRESS_VERSION=3.0.2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.paychaos/moto"
stamp="$venv/paychaos-moto-$MOTO_VERSION.stamp"
waitress_stamp="$venv/paychaos-waitress-$WAITRESS_VERSION.stamp"

# The virtualenv's python, not its pip script: a copied virtualenv's scripts name the original's
# python on their #! line, and would install there.
install_waitress() {
  timeout 900 "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "waitress==$WAITRESS_VERSION"
  "$venv/bin/python" -c 'import waitress' >/dev/null
  touch "$waitress_stamp"
  echo "provision-moto: waitress $WAITRESS_VERSION installed in $venv"
}

if [ -f "$stamp" ]; then
  echo "provision-moto: moto $MOTO_VERSION already in $venv"
  if [ ! -f "$waitress_stamp" ]; then install_waitress; fi
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "provision-moto: python3 is missing; install it (apt-get install -y python3 python3-venv)" >&2
  exit 69
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "provision-moto: python3's venv module is missing; install it (apt-get install -y python3-venv)" >&2
  exit 69
fi

rm -rf "$venv"
mkdir -p "$root/.paychaos"
python3 -m venv "$venv"
# Bounded: a stuck index must not eat the CI budget.
timeout 900 "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
"$venv/bin/python" -c 'import moto.server' >/dev/null
touch "$stamp"
echo "provision-moto: moto $MOTO_VERSION installed in $venv"
install_waitress
