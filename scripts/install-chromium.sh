#!/usr/bin/env bash
# Installs Debian's chromium for the report's browser tests (playwright-core drives it at
# /usr/bin/chromium; no browser is ever downloaded by Playwright itself). Idempotent: does nothing
# when chromium is already there. Exits non-zero when it cannot install; callers (.ci/run) carry
# on, and the browser tests then skip with a message naming this script.
set -uo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-chromium: not root and no passwordless sudo; install it with: apt-get install -y chromium" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get on this machine; install chromium at $CHROMIUM by hand" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Bounded: a stuck mirror must not eat the CI budget.
if ! timeout 600 "${as_root[@]}" apt-get update -qq; then
  echo "install-chromium: apt-get update failed" >&2
  exit 1
fi
if ! timeout 900 "${as_root[@]}" apt-get install -y -qq chromium >/dev/null; then
  echo "install-chromium: apt-get install chromium failed" >&2
  exit 1
fi
echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) installed"
