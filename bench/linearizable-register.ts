/**
 * The linearizable checker on a generated register history (generate-register-history.ts) of
 * `opsCount` ops, once valid and once with one stale read half-way, each against a bare search
 * over the same parsed ops (linearizable-search.ts).
 *
 * No op of unknown outcome: an info write never ends, so a search that fails must try the rest of
 * the history with and without each one invoked before the violation — 2^k times the work, for
 * any WGL checker — and a benchmark of the explanation step should not be a benchmark of that.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateRegisterHistory,
  type RegisterHistoryOptions,
  registerHistoryText,
} from './generate-register-history.ts';
import { type SideBySide, sideBySide } from './linearizable-search.ts';
import { recordHistory } from './recorded-history.ts';

export interface RegisterBench {
  opsCount: number;
  valid: SideBySide;
  stale: SideBySide;
  /** The stale read's invoke line, and whether the anomaly names it. */
  staleReadIndex: number;
  staleReadNamed: boolean;
}

function options(opsCount: number): RegisterHistoryOptions {
  return {
    opsCount,
    processesCount: 8,
    valuesCount: 0,
    readFraction: 0.5,
    casFraction: 0.2,
    infoCount: 0,
    seed: 1,
  };
}

export function benchRegister(opsCount: number, repeats: number): RegisterBench {
  const workDir = mkdtempSync(join(tmpdir(), 'paychaos-register-'));
  try {
    const run = (name: string, spec: RegisterHistoryOptions) => {
      const history = generateRegisterHistory(spec);
      const file = join(workDir, `${name}.jsonl`);
      writeFileSync(file, registerHistoryText(history));
      return { history, result: sideBySide(name, recordHistory(file), repeats) };
    };
    const valid = run('valid', options(opsCount));
    const stale = run('stale', {
      ...options(opsCount),
      inject: { kind: 'stale', afterOps: Math.floor(opsCount / 2) },
    });
    const injected = stale.history.injected;
    if (injected === null) throw new Error('the generator found no read to make stale');
    const named = stale.result.checker.anomalies.some((anomaly) =>
      anomaly.ops.includes(injected.invokeIndex),
    );
    return {
      opsCount,
      valid: valid.result,
      stale: stale.result,
      staleReadIndex: injected.invokeIndex,
      staleReadNamed: named,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
