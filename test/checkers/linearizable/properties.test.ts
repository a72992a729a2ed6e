import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyHistories } from '../../../bench/bare-search.ts';
import { recordHistoryText } from '../../../bench/recorded-history.ts';
import type { Anomaly } from '../../../checkers/checker.ts';
import { Deadline } from '../../../checkers/deadline.ts';
import { windowSearchOps } from '../../../checkers/linearizable/failing-window.ts';
import { findNeverWrittenReads } from '../../../checkers/linearizable/never-written-reads.ts';
import { createRegisterModel } from '../../../checkers/linearizable/register-model.ts';
import { isLinearizable, searchLinearization } from '../../../checkers/linearizable/wgl-search.ts';
import {
  finalsMaskArb,
  renderHistory,
  type SimFinal,
  type SimOp,
  simulateHistory,
  threadsArb,
} from './support/register-sim.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

const NUM_RUNS = Number(process.env.LIN_NUM_RUNS ?? 150);
const NEVER_WRITTEN = 999_999;

function okReads(ops: readonly SimOp[]): SimOp[] {
  return ops.filter((op) => op.f === 'read' && op.outcome === 'ok');
}

/** Ops that took effect for certain and wrote a value: ok writes and ok cas. */
function okUpdates(ops: readonly SimOp[], key: string): SimOp[] {
  return ops.filter((op) => op.key === key && op.outcome === 'ok' && op.f !== 'read');
}

function producedValue(op: SimOp): number {
  return (op.f === 'write' ? op.value : op.to) as number;
}

/** What a stale-value test needs of a read: a final read is a read at its line's instant. */
type ReadLike = Pick<SimOp, 'key' | 'startNs' | 'result'>;

/**
 * Values `read` could not return: v came from an ok update A (or init, 0) that completed before
 * an ok update B began, and B completed before the read began. Values are unique per key, so v
 * can never come back.
 */
function staleValues(ops: readonly SimOp[], read: ReadLike): number[] {
  const updates = okUpdates(ops, read.key);
  const overwrittenBefore = (afterNs: number): boolean =>
    updates.some((b) => b.startNs > afterNs && (b.endNs as number) < read.startNs);
  const stale = overwrittenBefore(-1) ? [0] : [];
  for (const a of updates) if (overwrittenBefore(a.endNs as number)) stale.push(producedValue(a));
  return stale.filter((value) => value !== read.result);
}

/** Writes (any outcome but fail) invoked after `read` completed: their value is from the future. */
function futureValues(ops: readonly SimOp[], read: SimOp): number[] {
  return ops
    .filter((op) => op.key === read.key && op.f === 'write' && op.outcome !== 'fail')
    .filter((op) => op.startNs > (read.endNs as number))
    .map((op) => op.value as number);
}

function expectNames(text: string, key: string, indices: readonly (number | null)[]): void {
  const result = checkLinearizable(text);
  expect(result?.valid).toBe(false);
  expect(result?.anomalies).toHaveLength(1);
  const anomaly = result?.anomalies[0] as Anomaly;
  expect(anomaly.type).toBe('nonlinearizable');
  expect(anomaly.key).toBe(key);
  for (const index of indices) expect(anomaly.ops).toContain(index);
}

function expectNamesRead(text: string, read: SimOp): void {
  expectNames(text, read.key, [read.invokeIndex, read.completionIndex]);
}

/** Every (final read, key it holds) pair: each is one read of that key. */
function finalReadsOf(finals: readonly SimFinal[]): [SimFinal, string][] {
  return finals.flatMap((final) =>
    Object.keys(final.registers).map((key): [SimFinal, string] => [final, key]),
  );
}

describe('linearizable: properties over a simulated atomic register', () => {
  it('every history of a correct register is linearizable', () => {
    fc.assert(
      fc.property(threadsArb, finalsMaskArb, (threads, mask) => {
        const { text } = simulateHistory(threads, mask);
        const result = checkLinearizable(text, { explicit: false });
        if (result !== null) expect(result.valid).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a read changed to a value no op wrote is nonlinearizable, and the window holds it', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), (threads, pick) => {
        const { ops, finals } = simulateHistory(threads);
        const reads = okReads(ops);
        fc.pre(reads.length > 0);
        const read = reads[pick % reads.length] as SimOp;
        read.result = NEVER_WRITTEN;
        expectNamesRead(renderHistory(ops, finals), read);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a read changed to a value overwritten before it began is nonlinearizable', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), fc.nat(), (threads, pickRead, pickValue) => {
        const { ops, finals } = simulateHistory(threads);
        const candidates = okReads(ops).filter((read) => staleValues(ops, read).length > 0);
        fc.pre(candidates.length > 0);
        const read = candidates[pickRead % candidates.length] as SimOp;
        const stale = staleValues(ops, read);
        read.result = stale[pickValue % stale.length] as number;
        expectNamesRead(renderHistory(ops, finals), read);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a read that sees a write invoked after the read completed is nonlinearizable', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), fc.nat(), (threads, pickRead, pickValue) => {
        const { ops, finals } = simulateHistory(threads);
        const candidates = okReads(ops).filter((read) => futureValues(ops, read).length > 0);
        fc.pre(candidates.length > 0);
        const read = candidates[pickRead % candidates.length] as SimOp;
        const future = futureValues(ops, read);
        read.result = future[pickValue % future.length] as number;
        expectNamesRead(renderHistory(ops, finals), read);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a final read changed to a value no op wrote is nonlinearizable, naming the final-read line', () => {
    fc.assert(
      fc.property(threadsArb, finalsMaskArb, fc.nat(), (threads, mask, pick) => {
        const { ops, finals } = simulateHistory(threads, mask);
        const reads = finalReadsOf(finals);
        fc.pre(reads.length > 0);
        const [final, key] = reads[pick % reads.length] as [SimFinal, string];
        final.registers[key] = NEVER_WRITTEN;
        expectNames(renderHistory(ops, finals), key, [final.index]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a final read changed to an overwritten value (an acknowledged write lost) is named', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), fc.nat(), (threads, pickRead, pickValue) => {
        const { ops, finals } = simulateHistory(threads);
        const staleOf = ([final, key]: [SimFinal, string]) =>
          staleValues(ops, { key, startNs: final.timeNs, result: final.registers[key] });
        const candidates = finalReadsOf(finals).filter((read) => staleOf(read).length > 0);
        fc.pre(candidates.length > 0);
        const read = candidates[pickRead % candidates.length] as [SimFinal, string];
        const stale = staleOf(read);
        const [final, key] = read;
        final.registers[key] = stale[pickValue % stale.length] as number;
        expectNames(renderHistory(ops, finals), key, [final.index]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('no read of a correct register trips the pre-pass for values never written', () => {
    fc.assert(
      fc.property(threadsArb, finalsMaskArb, (threads, mask) => {
        const { text } = simulateHistory(threads, mask);
        for (const history of keyHistories(recordHistoryText(text)).values()) {
          expect(findNeverWrittenReads(history.opsInInvokeOrder(), history.initId)).toBeNull();
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('an injected read of a value never written is reported by the pre-pass, naming that read', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), (threads, pick) => {
        const { ops, finals } = simulateHistory(threads);
        const reads = okReads(ops);
        fc.pre(reads.length > 0);
        const read = reads[pick % reads.length] as SimOp;
        read.result = NEVER_WRITTEN;
        const result = checkLinearizable(renderHistory(ops, finals));
        const anomaly = result?.anomalies.find((a) => a.key === read.key) as Anomaly;
        expect(anomaly).toMatchObject({
          type: 'nonlinearizable',
          valueNeverWritten: true,
          neverWrittenReadsCount: 1,
          ops: [read.invokeIndex, read.completionIndex],
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('where the whole search got stuck, the ops up to there fail on their own (the window end)', () => {
    const budget = {
      deadline: new Deadline(60_000),
      memoEntriesMax: 1e6,
      setNodesMax: 1e6,
      stepsMax: 1e9,
      label: 'x',
    };
    fc.assert(
      fc.property(threadsArb, fc.nat(), fc.nat(), (threads, pickRead, pickValue) => {
        const { ops, finals } = simulateHistory(threads);
        const candidates = okReads(ops).filter((read) => staleValues(ops, read).length > 0);
        fc.pre(candidates.length > 0);
        const read = candidates[pickRead % candidates.length] as SimOp;
        const stale = staleValues(ops, read);
        read.result = stale[pickValue % stale.length] as number;
        const text = renderHistory(ops, finals);
        const history = keyHistories(recordHistoryText(text)).get(read.key);
        if (history === undefined) throw new Error(`no key ${read.key}`);
        const keyOps = history.opsInInvokeOrder();
        const model = createRegisterModel(history.values, history.initId);
        const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0 };
        const init = [model.init()];
        const outcome = searchLinearization(model, keyOps, init, budget, counters);
        if (outcome.linearizable) throw new Error('a stale read must fail the search');
        const prefix = windowSearchOps(keyOps, { first: 0, last: outcome.stuckAtOp });
        expect(isLinearizable(model, prefix, init, budget, counters)).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
