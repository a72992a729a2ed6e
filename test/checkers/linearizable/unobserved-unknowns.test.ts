import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyHistories } from '../../../bench/bare-search.ts';
import { recordHistoryText } from '../../../bench/recorded-history.ts';
import { Deadline } from '../../../checkers/deadline.ts';
import type { KeyOp } from '../../../checkers/linearizable/key-history.ts';
import { createRegisterModel } from '../../../checkers/linearizable/register-model.ts';
import { dropUnobservedUnknowns } from '../../../checkers/linearizable/unobserved-unknowns.ts';
import { isLinearizable } from '../../../checkers/linearizable/wgl-search.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import {
  finalsMaskArb,
  renderHistory,
  simulateHistory,
  threadsArb,
} from './support/register-sim.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

const NUM_RUNS = Number(process.env.LIN_NUM_RUNS ?? 150);

const BUDGET = {
  deadline: new Deadline(60_000),
  memoEntriesMax: 1e6,
  setNodesMax: 1e6,
  stepsMax: 1e9,
  label: 'x',
};

function writtenByUnknown(op: KeyOp): number | null {
  if (op.output.known) return null;
  if (op.input.f === 'write') return op.input.value;
  if (op.input.f === 'cas') return op.input.to;
  return null;
}

describe('linearizable: unknown-outcome ops nothing observed', () => {
  it('dropping them never changes whether a key is linearizable (correct and corrupted histories)', () => {
    fc.assert(
      fc.property(
        threadsArb,
        finalsMaskArb,
        fc.option(fc.tuple(fc.nat(), fc.nat({ max: 30 }))),
        (threads, finalsMask, corruption) => {
          const { ops, finals } = simulateHistory(threads, finalsMask);
          if (corruption !== null) {
            const reads = ops.filter((op) => op.f === 'read' && op.outcome === 'ok');
            fc.pre(reads.length > 0);
            const [pickRead, value] = corruption;
            const read = reads[pickRead % reads.length];
            if (read !== undefined) read.result = value;
          }
          const text = renderHistory(ops, finals);
          for (const history of keyHistories(recordHistoryText(text)).values()) {
            const all = history.opsInInvokeOrder();
            const kept = dropUnobservedUnknowns(all);
            const model = createRegisterModel(history.values, history.initId);
            const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0 };
            const init = [model.init()];
            expect(isLinearizable(model, kept, init, BUDGET, counters)).toBe(
              isLinearizable(model, all, init, BUDGET, counters),
            );
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('keeps every known op and every unknown op whose value a kept op observes', () => {
    fc.assert(
      fc.property(threadsArb, finalsMaskArb, (threads, finalsMask) => {
        const { text } = simulateHistory(threads, finalsMask);
        for (const history of keyHistories(recordHistoryText(text)).values()) {
          const all = history.opsInInvokeOrder();
          const kept = dropUnobservedUnknowns(all);
          expect(kept.filter((op) => op.output.known)).toEqual(all.filter((op) => op.output.known));
          const observed = new Set<number>();
          for (const { input, output } of kept) {
            if (input.f === 'read') observed.add(output.value);
            if (input.f === 'cas') observed.add(input.from);
          }
          for (const op of all) {
            const value = writtenByUnknown(op);
            if (value === null) continue;
            expect(kept.includes(op)).toBe(observed.has(value));
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  /**
   * A failover's shape: 40 writes time out (info) and stay open to the end, concurrent with all
   * that follows; none of their values is ever read. Every order of them is a different memo
   * entry, so the search alone cannot decide this key in any budget.
   */
  function timedOutWrites(staleRead: boolean): { h: HistoryBuilder; readLines: number[] } {
    const h = new HistoryBuilder(1000);
    h.init({ registers: { x: 0 }, strong: ['x'] });
    for (let p = 0; p < 40; p += 1) h.invoke(p, 'write', { key: 'x', value: 100 + p });
    for (let p = 0; p < 40; p += 1) h.info(p, 'write');
    h.invoke(50, 'write', { key: 'x', value: 1 });
    h.ok(50, 'write');
    h.invoke(51, 'write', { key: 'x', value: 2 });
    h.ok(51, 'write');
    const readLines = [
      h.invoke(52, 'read', { key: 'x' }),
      h.ok(52, 'read', { key: 'x', value: staleRead ? 1 : 2 }),
    ];
    return { h, readLines };
  }

  it('decides a key with 40 timed-out writes nobody read, in a tight budget', () => {
    const result = checkLinearizable(timedOutWrites(false).h.text(), { timeoutS: 1 });
    expect(result?.valid).toBe(true);
    expect(result?.stats?.unobservedUnknownsDropped).toBe(40);
  });

  it('still finds the stale read among them, naming its ops', () => {
    const { h, readLines } = timedOutWrites(true);
    const result = checkLinearizable(h.text(), { timeoutS: 1 });
    expect(result?.valid).toBe(false);
    expect(result?.anomalies[0]?.type).toBe('nonlinearizable');
    for (const index of readLines) expect(result?.anomalies[0]?.ops).toContain(index);
  });
});
