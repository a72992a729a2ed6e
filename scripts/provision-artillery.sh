#!/usr/bin/env bash
# Installs Artillery (npm `artillery`, MPL-2.0), pinned, into .paychaos/artillery, once. It is not
# a dependency in package.json: with its AWS, Azure, OpenTelemetry and Playwright dependencies it
# is several hundred MB, which every `npm ci` would pay for although only `--load artillery` and
# its tests use it (docs/artillery.md). Idempotent: a stamp file written after a complete install
# marks it done; a half-finished install (no stamp) is removed and redone. Install scripts are not
# run: the only one that matters downloads a Playwright browser, which paychaos does not use
# (its processor drives HTTP), and which could not be fetched here anyway.
set -euo pipefail

ARTILLERY_VERSION=2.0.34
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.paychaos/artillery"
stamp="$dir/paychaos-artillery-$ARTILLERY_VERSION.stamp"

if [ -f "$stamp" ]; then
  echo "provision-artillery: artillery $ARTILLERY_VERSION already in $dir"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "provision-artillery: npm is missing; run: source scripts/use-node24.sh" >&2
  exit 69
fi

rm -rf "$dir"
mkdir -p "$dir"
printf '{"name":"paychaos-artillery","private":true}\n' >"$dir/package.json"
# Bounded: a stuck registry must not eat the CI budget.
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 900 npm install --prefix "$dir" --no-audit --no-fund \
  --ignore-scripts --omit=dev --loglevel=error "artillery@$ARTILLERY_VERSION"
"$dir/node_modules/.bin/artillery" version >/dev/null
touch "$stamp"
echo "provision-artillery: artillery $ARTILLERY_VERSION installed in $dir"
