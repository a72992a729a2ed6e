#!/usr/bin/env bash
# Builds Toxiproxy's server (the local lab's network faults) with `go install` into
# .paychaos/bin/toxiproxy-server-v2.12.0, once. Idempotent: the binary is only moved into place
# after a complete build. Exits 69 with one line naming what to install when go is missing.
set -euo pipefail

TOXIPROXY_VERSION=v2.12.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.paychaos/bin/toxiproxy-server-$TOXIPROXY_VERSION"

if [ -x "$bin" ]; then
  echo "provision-toxiproxy: toxiproxy $TOXIPROXY_VERSION already at $bin"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "provision-toxiproxy: go is missing; install Go >= 1.22 (apt-get install -y golang-go)" >&2
  exit 69
fi

mkdir -p "$root/.paychaos/bin"
build="$(mktemp -d "$root/.paychaos/toxiproxy-build.XXXXXX")"
trap 'rm -rf "$build"' EXIT
# Bounded: a stuck module proxy must not eat the CI budget.
GOBIN="$build" timeout 900 go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
mv "$build/server" "$bin"
echo "provision-toxiproxy: toxiproxy $TOXIPROXY_VERSION built at $bin"
