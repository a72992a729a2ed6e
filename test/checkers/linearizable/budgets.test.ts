import { describe, expect, it } from 'vitest';
import { BudgetExceeded, Deadline } from '../../../checkers/deadline.ts';
import { nonlinearizableAnomaly } from '../../../checkers/linearizable/describe-window.ts';
import { checkKey } from '../../../checkers/linearizable/key-check.ts';
import { KeyHistory } from '../../../checkers/linearizable/key-history.ts';
import type { ClientOp, Op } from '../../../history/op.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

/**
 * Many overlapping ok writes, then a read of the first value and a later read of the second:
 * every value read was written (the pre-pass has nothing to say), and the search must try every
 * order of the writes that ends with write 1 before it gives up.
 */
function hardHistory(writesCount = 16): HistoryBuilder {
  const h = new HistoryBuilder(1000);
  h.init({ registers: { x: 0 }, strong: ['x'] });
  for (let p = 0; p < writesCount; p += 1) h.invoke(p, 'write', { key: 'x', value: p + 1 });
  for (let p = 0; p < writesCount; p += 1) h.ok(p, 'write');
  h.invoke(98, 'read', { key: 'x' });
  h.ok(98, 'read', { key: 'x', value: 1 });
  h.invoke(99, 'read', { key: 'x' });
  h.ok(99, 'read', { key: 'x', value: 2 });
  return h;
}

const SHRINK_LIMITS = { shrinkFactor: 1, shrinkStepsMin: 1000, shrinkMsMin: 5 };

function keyHistoryOf(h: HistoryBuilder): KeyHistory {
  const history = new KeyHistory('x', 0);
  const invokes = new Map<number, Op>();
  for (const op of h.ops) {
    if (typeof op.process !== 'number') continue;
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      continue;
    }
    const invoke = invokes.get(op.process) as Op;
    const clientOp: ClientOp = {
      invoke,
      completion: op,
      type: op.type as ClientOp['type'],
      startNs: invoke.time,
      endNs: op.type === 'info' ? Number.POSITIVE_INFINITY : op.time,
    };
    history.add(clientOp);
  }
  return history;
}

describe('linearizable: budgets', () => {
  it('a search that outlives its time budget ends "unknown", saying why', () => {
    const result = checkLinearizable(hardHistory().text(), { timeoutS: 0.001 });
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toMatch(
      /^could not decide 1 of 1 keys: key "x": search gave up after \d+ steps$/,
    );
    expect(result?.anomalies).toEqual([]);
  });

  it('with time enough, the same history is nonlinearizable', () => {
    const result = checkLinearizable(hardHistory(8).text(), { timeoutS: 30 });
    expect(result?.valid).toBe(false);
    expect(result?.anomalies[0]?.ops).toEqual([17, 18, 19, 20]);
  });

  it('a memo table that reaches its memory budget throws BudgetExceeded', () => {
    const limits = {
      deadline: new Deadline(60_000),
      memoEntriesMax: 100,
      setNodesMax: 1e6,
      stepsMax: 1e9,
      ...SHRINK_LIMITS,
    };
    const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0, unobservedUnknownsDropped: 0 };
    expect(() => checkKey(keyHistoryOf(hardHistory()), limits, counters)).toThrow(BudgetExceeded);
    expect(() => checkKey(keyHistoryOf(hardHistory()), limits, counters)).toThrow(
      'key "x": the memo table reached its memory budget of 100 entries',
    );
    expect(counters.memoEntriesMax).toBe(100);
  });

  it('interned linearized sets that reach their memory budget throw BudgetExceeded', () => {
    const limits = {
      deadline: new Deadline(60_000),
      memoEntriesMax: 1e6,
      setNodesMax: 50,
      stepsMax: 1e9,
      ...SHRINK_LIMITS,
    };
    const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0, unobservedUnknownsDropped: 0 };
    expect(() => checkKey(keyHistoryOf(hardHistory()), limits, counters)).toThrow(
      'key "x": the linearized-set nodes reached their memory budget of 50',
    );
    expect(counters.setNodesMax).toBe(50);
  });
});

describe('linearizable: the failing window is shrunk within a budget', () => {
  function checkWithShrink(shrinkStepsMin: number) {
    const limits = {
      deadline: new Deadline(60_000),
      memoEntriesMax: 1e6,
      setNodesMax: 1e6,
      stepsMax: 1e9,
      shrinkFactor: 0,
      shrinkStepsMin,
      shrinkMsMin: 60_000,
    };
    const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0, unobservedUnknownsDropped: 0 };
    const history = keyHistoryOf(hardHistory(8));
    const verdict = checkKey(history, limits, counters);
    if (verdict.linearizable || !('window' in verdict)) throw new Error('expected a window');
    return { history, verdict };
  }

  it('with steps enough, the window is the two reads', () => {
    const { verdict } = checkWithShrink(1e6);
    expect(verdict.window).toEqual({ first: 8, last: 9, shrunk: true, stoppedBy: null });
  });

  it('out of steps, it reports the best window so far and says why shrinking stopped', () => {
    const { history, verdict } = checkWithShrink(1);
    // Where the whole search got stuck: every op up to the second read, proven without a search.
    expect(verdict.window).toEqual({
      first: 0,
      last: 9,
      shrunk: false,
      stoppedBy: 'key "x": shrinking the failing window: used its 1 steps',
    });
    const anomaly = nonlinearizableAnomaly(history, verdict.ops, verdict.window);
    expect(anomaly).toMatchObject({
      windowShrunk: false,
      windowShrinkStoppedBy: 'key "x": shrinking the failing window: used its 1 steps',
      fromInitialValue: true,
    });
    expect(anomaly.ops).toHaveLength(20);
  });
});
