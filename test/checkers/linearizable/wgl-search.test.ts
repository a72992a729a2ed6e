import { describe, expect, it } from 'vitest';
import { Deadline } from '../../../checkers/deadline.ts';
import type { Model } from '../../../checkers/linearizable/model.ts';
import { isLinearizable, type SearchOp } from '../../../checkers/linearizable/wgl-search.ts';

/** A counter — not a register — to show the search knows nothing of the domain. */
type CounterInput = { f: 'add'; amount: number } | { f: 'get' };
const counterModel: Model<number, CounterInput, number | null> = {
  name: 'counter',
  init: () => 0,
  step: (state, input, output) => {
    if (input.f === 'add') return state + input.amount;
    return output === null || output === state ? state : null;
  },
  hash: (state) => state >>> 0,
  equal: (a, b) => a === b,
  describeOp: (input, output) => (input.f === 'add' ? `add ${input.amount}` : `get ${output}`),
  describeState: (state) => String(state),
};

function op(
  input: CounterInput,
  output: number | null,
  startNs: number,
  endNs: number,
): SearchOp<CounterInput, number | null> {
  return { input, output, startNs, endNs };
}

function check(ops: SearchOp<CounterInput, number | null>[]): boolean {
  const budget = {
    deadline: new Deadline(10_000),
    memoEntriesMax: 1e6,
    setNodesMax: 1e6,
    stepsMax: 1e9,
    label: 'c',
  };
  const counters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0 };
  return isLinearizable(counterModel, ops, [0], budget, counters);
}

describe('WGL search over a generic model', () => {
  it('finds an order of concurrent adds that explains a read', () => {
    const adds = [
      op({ f: 'add', amount: 1 }, null, 0, 10),
      op({ f: 'add', amount: 2 }, null, 0, 10),
    ];
    expect(check([...adds, op({ f: 'get' }, 2, 1, 5)])).toBe(true);
    expect(check([...adds, op({ f: 'get' }, 3, 1, 5), op({ f: 'get' }, 1, 6, 7)])).toBe(false);
  });

  it('lets an optional op linearize late, or never', () => {
    const optionalAdd = op({ f: 'add', amount: 5 }, null, 0, Infinity);
    expect(check([optionalAdd, op({ f: 'get' }, 0, 1, 2), op({ f: 'get' }, 5, 3, 4)])).toBe(true);
    expect(check([optionalAdd, op({ f: 'get' }, 0, 1, 2)])).toBe(true);
    expect(check([optionalAdd, op({ f: 'get' }, 5, 1, 2), op({ f: 'get' }, 0, 3, 4)])).toBe(false);
  });

  it('succeeds at once when no op must linearize', () => {
    expect(check([])).toBe(true);
    expect(check([op({ f: 'add', amount: 1 }, null, 0, Infinity)])).toBe(true);
  });
});
