import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PairStats } from '../../../checkers/lww/visibility.ts';
import { checkLww } from './support/check-lww.ts';
import { type ModelHistory, modelSpecArb } from './support/lww-model.ts';
import { historyText, simulateHistory } from './support/lww-simulate.ts';
import {
  finalOverwritten,
  finalsDiverge,
  type Mutation,
  readFailedWrite,
  readFromFuture,
  readNeverWritten,
  strongFinalsDiverge,
  swapTs,
} from './support/mutations.ts';

const NUM_RUNS = 150;

type LagStats = Record<string, PairStats>;

/** Every ok write acked in R1 is either seen in R2 (once) or unseen; percentiles are ordered. */
function expectLagAccountsForEveryWrite(history: ModelHistory, lags: LagStats): void {
  for (const [pair, stats] of Object.entries(lags)) {
    const from = pair.split('->')[0];
    const acked = history.infos.filter(
      (info) => info.kind !== 'read' && info.outcome === 'ok' && info.region === from,
    );
    expect(stats.count + stats.unseen, pair).toBe(acked.length);
    if (stats.count > 0) {
      expect(stats.p50).toBeGreaterThanOrEqual(0);
      expect(stats.p99).toBeGreaterThanOrEqual(stats.p50 ?? 0);
      expect(stats.max).toBeGreaterThanOrEqual(stats.p99 ?? 0);
    }
  }
}

describe('lww checker on histories of a correct LWW store', () => {
  it('finds nothing wrong', () => {
    fc.assert(
      fc.property(modelSpecArb, (spec) => {
        const history = simulateHistory(spec);
        const result = checkLww(historyText(history.ops));
        expect(result.anomalies).toEqual([]);
        expect(result.valid).toBe(true);
        expect(result.stats).toMatchObject({ readsUnjudged: 0, ambiguousKeysCount: 0 });
        expectLagAccountsForEveryWrite(history, result.stats.visibilityLagMs as LagStats);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each<[string, Mutation]>([
    ['a read of a value never written', readNeverWritten],
    ["a read of a failed write's value", readFailedWrite],
    ['a read of a value written only later', readFromFuture],
    ["final values of an older overwritten write's", finalOverwritten],
    ['two writes with swapped ts', swapTs],
    ['final reads that diverge', finalsDiverge],
    ['final reads that diverge on a strong key', strongFinalsDiverge],
  ])('names %s', (_name, mutation) => {
    fc.assert(
      fc.property(modelSpecArb, fc.nat({ max: 1000 }), (spec, pick) => {
        const injected = mutation(simulateHistory(spec), pick);
        fc.pre(injected !== null);
        if (injected === null) return;
        const result = checkLww(historyText(injected.ops));
        expect(result.valid).toBe(false);
        expect(new Set(result.anomalies.map((a) => a.type))).toEqual(new Set([injected.type]));
        const named = result.anomalies.some((anomaly) =>
          injected.expectedOps.every((index) => anomaly.ops.includes(index)),
        );
        expect(
          named,
          JSON.stringify({ expected: injected.expectedOps, got: result.anomalies }),
        ).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
