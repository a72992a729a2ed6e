#!/usr/bin/env bash
# Source this file: it puts a Node.js >= 22.12 first on PATH. When the machine's node is older
# (this CI machine ships Node 20), node@24 is installed from the npm registry into a local
# prefix, .paychaos/node, once, and reused after that.
paychaos_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
paychaos_node_prefix="$paychaos_root/.paychaos/node"

paychaos_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if [ -x "$paychaos_node_prefix/node_modules/.bin/node" ]; then
  PATH="$paychaos_node_prefix/node_modules/.bin:$PATH"
fi
if ! paychaos_node_ok; then
  echo "use-node24: node $(node --version 2>/dev/null || echo none) is older than 22.12; installing node@24 into $paychaos_node_prefix" >&2
  mkdir -p "$paychaos_node_prefix"
  npm install --prefix "$paychaos_node_prefix" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  PATH="$paychaos_node_prefix/node_modules/.bin:$PATH"
  paychaos_node_ok || { echo "use-node24: could not put Node >= 22.12 on PATH" >&2; return 1 2>/dev/null || exit 1; }
fi
export PATH
