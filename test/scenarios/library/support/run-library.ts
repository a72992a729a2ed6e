/**
 * Test support for the scenario library: one scenario run on the simulator in-process (as
 * `paychaos run` does, without the run directory), its history written into a temp directory and
 * judged by every checker of the registry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../../../../checkers/check-session.ts';
import { CHECKERS } from '../../../../checkers/registry.ts';
import type { Results } from '../../../../checkers/verdict.ts';
import { HistoryWriter } from '../../../../history/writer.ts';
import { driveRun } from '../../../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../../../run/reporter.ts';
import { simTarget } from '../../../../run/targets/sim/sim-target.ts';
import type { BugFlag } from '../../../../scenario-dsl/bug-flags.ts';
import { loadScenario } from '../../../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../../../scenario-dsl/resolved-scenario.ts';

export interface LibraryRun {
  results: Results;
  /** The history's bytes, kept only when asked for (the determinism test). */
  historyText: string | null;
  wallMs: number;
}

export async function loadLibraryScenario(file: string): Promise<ResolvedScenario> {
  return loadScenario(file);
}

/** The same scenario with the given bugs instead of its own (`[]`: the correct bank). */
export function withBugs(scenario: ResolvedScenario, bugs: readonly BugFlag[]): ResolvedScenario {
  return { ...scenario, bank: { ...scenario.bank, bugs: [...bugs] } };
}

export async function runOnSim(
  scenario: ResolvedScenario,
  seed: number,
  keepHistory = false,
): Promise<LibraryRun> {
  const dir = mkdtempSync(join(tmpdir(), `paychaos-library-${scenario.name}-`));
  const file = join(dir, 'history.jsonl');
  const startedMs = performance.now();
  try {
    const history = new HistoryWriter(file);
    try {
      await driveRun({ target: simTarget, scenario, seed, history, reporter: QUIET_REPORTER });
    } finally {
      history.close();
    }
    const results = checkHistoryFile(file, { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT });
    const historyText = keepHistory ? readFileSync(file, 'utf8') : null;
    return { results, historyText, wallMs: performance.now() - startedMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Anomaly types per checker, for a failure message a person can read. */
export function describeResults(results: Results): string {
  const parts: string[] = [];
  for (const [name, result] of Object.entries(results.checkers)) {
    if (result.valid === true) continue;
    const first = result.anomalies[0];
    const why = first === undefined ? (result.error ?? 'no anomaly') : first.message;
    parts.push(`${name} ${String(result.valid)}: ${why}`);
  }
  return parts.length === 0 ? 'valid' : parts.join('; ');
}
