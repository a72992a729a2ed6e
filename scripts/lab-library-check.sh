#!/usr/bin/env bash
# Issue 11's "Done when" on the local lab: the correct bank under region-isolation, cluster-loss
# and replica-lag (seeds 1..3 unless SEEDS says otherwise) must be VALID, and the bug scenarios
# failover-without-fencing, async-commit-ack and funds-check-on-replica must be caught with the
# anomaly design.md names for each. Runs one after another (one lab at a time, .paychaos/lab/),
# prints one line per run — verdict, anomaly types, ops ok/info/fail, wall time — and exits 1 if
# any run is not what it should be. Run directories go to OUT (default runs/lab-library).
#   bash scripts/lab-library-check.sh            # all of it, ~25 min on a 2-core machine
#   SEEDS="1" bash scripts/lab-library-check.sh  # one seed
#   LIBRARY= BUGS= bash scripts/lab-library-check.sh  # only the short fixtures
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=use-node24.sh
source scripts/use-node24.sh
OUT="${OUT:-runs/lab-library}"
SEEDS="${SEEDS-1 2 3}"
LIBRARY="${LIBRARY-region-isolation cluster-loss replica-lag}"
# scenario:anomaly it must show
BUGS="${BUGS-failover-without-fencing:lost-transfer async-commit-ack:lost-transfer funds-check-on-replica:negative-balance}"
# The same bugs, and the other faults, at rates the lab's ledger keeps up with on a loaded 2-core
# machine (the tests' fixtures; docs/local-lab.md says why): fixture:VALID or fixture:anomaly.
FIXTURES="${FIXTURES-lab-failover:VALID lab-partition-skew-crash:VALID lab-failover-without-fencing:lost-transfer lab-async-commit-ack:lost-transfer lab-funds-check-on-replica:negative-balance}"
failures=0

# run SCENARIO_FILE SEED EXPECTED ("VALID" or an anomaly type)
run() {
  local file=$1 seed=$2 expected=$3 started ended
  started=$(date +%s)
  touch "$OUT/.before-run"
  node bin/paychaos.js run "$file" --target local --seed "$seed" --out "$OUT" >/dev/null \
    2>"$OUT/stderr-$(basename "$file" .ts)-seed$seed.txt"
  local code=$?
  ended=$(date +%s)
  # A harness that died mid-run leaves its lab up (a bug to report); the next run needs it down.
  [ "$code" -le 2 ] || node bin/paychaos.js lab down >/dev/null 2>&1
  # The run's directory: the one made after the marker (`latest` moves only when a run ends well).
  local dir
  dir=$(find "$OUT" -mindepth 2 -maxdepth 2 -type d -newer "$OUT/.before-run" | head -1)
  node -e '
    const [dir, file, seed, expected, code, wallS] = process.argv.slice(1);
    const fs = require("node:fs");
    let verdict = `no run (exit ${code})`, types = [], ops = {}, undecided = [];
    try {
      const results = JSON.parse(fs.readFileSync(`${dir}/results.json`, "utf8"));
      const run = JSON.parse(fs.readFileSync(`${dir}/run.json`, "utf8"));
      verdict = results.valid === true ? "VALID" : results.valid === false ? "INVALID" : "UNKNOWN";
      types = results.anomalyTypes; ops = run.ops;
      undecided = Object.entries(results.checkers)
        .filter(([, result]) => result.valid === "unknown").map(([name]) => name);
    } catch {}
    const good = expected === "VALID" ? verdict === "VALID" : types.includes(expected);
    console.log([good ? "ok  " : "FAIL", file, `seed ${seed}`, verdict, types.join(",") || "-",
      `unknown: ${undecided.join(",") || "-"}`,
      `ok ${ops.ok ?? "?"} info ${ops.info ?? "?"} fail ${ops.fail ?? "?"}`, `${wallS} s`,
      good ? "" : `(expected ${expected}; ${dir})`].join(" | "));
    process.exit(good ? 0 : 1);
  ' "$dir" "$file" "$seed" "$expected" "$code" "$((ended - started))" || {
    failures=$((failures + 1))
    tail -3 "$OUT/stderr-$(basename "$file" .ts)-seed$seed.txt"
  }
}

mkdir -p "$OUT"
for bug in $BUGS; do run "scenarios/bugs/${bug%%:*}.ts" 1 "${bug#*:}"; done
for seed in $SEEDS; do
  for name in $LIBRARY; do run "scenarios/$name.ts" "$seed" VALID; done
done
for fixture in $FIXTURES; do
  run "test/run/targets/local/fixtures/${fixture%%:*}.ts" 1 "${fixture#*:}"
done
echo "lab-library-check: $failures run(s) not as expected"
[ "$failures" -eq 0 ]
