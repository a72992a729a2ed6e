/**
 * Every anomaly the saga checker emits, on a hand-built history, next to its near-miss twin: the
 * smallest change that makes the history legal.
 */
import { describe, expect, it } from 'vitest';
import type { SagaStep } from '../../../history/op.ts';
import {
  COMPLETED_LEDGER,
  COMPLETED_STEPS,
  compensated,
  done,
  failed,
  move,
  oneCheckout,
  pending,
  saga,
} from './support/one-checkout.ts';
import { anomalyTypes, runSaga } from './support/run-saga.ts';

/** invoke, completion, sagas line of oneCheckout(). */
const CLIENT_AND_SAGA = [1, 2, 3];

function only(text: string, type: string) {
  const result = runSaga(text);
  expect(result?.valid).toBe(false);
  expect(anomalyTypes(result)).toEqual([type]);
  return result!.anomalies[0]!;
}

function valid(text: string): void {
  const result = runSaga(text);
  expect(result?.anomalies).toEqual([]);
  expect(result?.valid).toBe(true);
}

const COMPENSATED_STEPS = [compensated('reserve', 1, 5), failed('capture'), pending('credit')];

describe('stuck-saga', () => {
  it('flags a saga still pending after quiescence, naming the client outcome', () => {
    const anomaly = only(
      oneCheckout({
        client: 'ok',
        sagas: [saga('pending', [done('reserve', 1), pending('capture')])],
      }),
      'stuck-saga',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly.message).toBe(
      "saga c1 (a -> m1, 1200) is still pending after quiescence with step(s) 'reserve' done and the client was told ok at 10.0 s in ap-northeast-1: resume it to completion or compensate it",
    );
  });

  it('twin: the same saga completed', () => {
    valid(
      oneCheckout({
        client: 'ok',
        sagas: [saga('completed', [done('reserve', 1), done('capture', 2)])],
      }),
    );
  });

  it('a failed client with a pending saga is stuck-saga only, not wrong-outcome', () => {
    only(
      oneCheckout({ client: 'fail', sagas: [saga('pending', [pending('reserve')])] }),
      'stuck-saga',
    );
  });

  it('twin: failed counts as terminal', () => {
    valid(oneCheckout({ client: 'fail', sagas: [saga('failed', [failed('reserve')])] }));
  });
});

describe('missing-compensation', () => {
  it.each(['compensated', 'failed'] as const)('flags a %s saga with a done step', (status) => {
    const anomaly = only(
      oneCheckout({
        client: 'fail',
        sagas: [saga(status, [done('reserve', 3.2), failed('capture')])],
      }),
      'missing-compensation',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({ saga: 'c1', step: 'reserve', stepIndex: 0, at: 3.2e9 });
    expect(anomaly.message).toContain("its step 'reserve' (done at 3.200 s) was never compensated");
  });

  it.each(['compensated', 'failed'] as const)(
    'twin: the %s saga compensated the step',
    (status) => {
      valid(oneCheckout({ client: 'fail', sagas: [saga(status, COMPENSATED_STEPS)] }));
    },
  );

  it('one anomaly per uncompensated step', () => {
    const result = runSaga(
      oneCheckout({
        client: 'info',
        sagas: [saga('failed', [done('reserve', 1), done('capture', 2), failed('credit')])],
      }),
    );
    expect(result?.anomalies.map((a) => a.step)).toEqual(['reserve', 'capture']);
  });
});

describe('spurious-compensation', () => {
  it.each([
    [
      'compensated before it completed',
      compensated('reserve', 5, 4),
      'was compensated at 4.000 s, before it completed at 5.000 s',
    ],
    [
      'a failed step with compensatedAt',
      { name: 'reserve', status: 'failed', compensatedAt: 5e9 },
      'failed but carries compensatedAt 5.000 s',
    ],
    [
      'a pending step with compensatedAt',
      { name: 'reserve', status: 'pending', compensatedAt: 5e9 },
      'never ran but carries',
    ],
  ] as const)('flags %s', (_name, step, words) => {
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('compensated', [step])] }),
      'spurious-compensation',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({ saga: 'c1', step: 'reserve' });
    expect(anomaly.message).toContain(words);
  });

  it.each([
    ['the step has its at', compensated('reserve', 4, 5)],
    ['compensated at the very time it completed', compensated('reserve', 5, 5)],
    ['a failed step without compensatedAt', failed('reserve')],
    ['a pending step without compensatedAt', pending('reserve')],
    [
      'a compensated step with no at',
      { name: 'reserve', status: 'compensated', compensatedAt: 5e9 },
    ],
    ['a compensated step with no times at all', { name: 'reserve', status: 'compensated' }],
  ] as const)('twin: %s', (_name, step) => {
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', [step])] }));
  });
});

describe('compensation-order', () => {
  it('flags an earlier step compensated strictly before a later one', () => {
    const steps = [compensated('reserve', 1, 5), compensated('capture', 2, 6), failed('credit')];
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }),
      'compensation-order',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({
      steps: ['reserve', 'capture'],
      stepIndices: [0, 1],
      orderedBy: 'at',
      at: [1e9, 2e9],
      compensatedAt: [5e9, 6e9],
    });
    expect(anomaly.message).toBe(
      "saga c1 (a -> m1, 1200) step 'reserve' ran at 1.000 s, before 'capture' at 2.000 s, but was compensated first (at 5.000 s, 'capture' at 6.000 s): compensations must undo steps in reverse order",
    );
  });

  it('orders steps by at, not by the list, when both have one', () => {
    const steps = [compensated('capture', 2, 6), compensated('reserve', 1, 5), failed('credit')];
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }),
      'compensation-order',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({ steps: ['reserve', 'capture'], stepIndices: [1, 0] });
    expect(anomaly.message).toContain(
      "step 'reserve' ran at 1.000 s, before 'capture' at 2.000 s, but was compensated first",
    );
  });

  it('twin: listed [capture, reserve] but reserve ran first, and capture was undone first', () => {
    const steps = [compensated('capture', 2, 5), compensated('reserve', 1, 6), failed('credit')];
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }));
  });

  it('falls back to the listed order when a step has no at', () => {
    const reserve: SagaStep = { name: 'reserve', status: 'compensated', compensatedAt: 5e9 };
    const steps = [reserve, compensated('capture', 2, 6), failed('credit')];
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }),
      'compensation-order',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({
      steps: ['reserve', 'capture'],
      stepIndices: [0, 1],
      orderedBy: 'listed',
      at: [null, 2e9],
    });
    expect(anomaly.message).toBe(
      "saga c1 (a -> m1, 1200) step 'reserve' is listed before 'capture' ('reserve' has no \"at\" to order them by), but was compensated first (at 5.000 s, 'capture' at 6.000 s): compensations must undo steps in reverse order",
    );
  });

  it('twin: the untimed first-listed step compensated last', () => {
    const reserve: SagaStep = { name: 'reserve', status: 'compensated', compensatedAt: 6e9 };
    const steps = [reserve, compensated('capture', 2, 5), failed('credit')];
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }));
  });

  it('twin: two steps that completed at the same time are unordered', () => {
    const steps = [compensated('reserve', 1, 5), compensated('capture', 1, 6), failed('credit')];
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }));
  });

  it.each([
    ['reverse order', 6, 5],
    ['equal times', 5, 5],
  ])('twin: %s', (_name, reserveS, captureS) => {
    const steps = [
      compensated('reserve', 1, reserveS),
      compensated('capture', 2, captureS),
      failed('credit'),
    ];
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', steps)] }));
  });
});

describe('wrong-outcome', () => {
  it('flags an ok checkout whose saga was compensated', () => {
    const anomaly = only(
      oneCheckout({ client: 'ok', sagas: [saga('compensated', COMPENSATED_STEPS)] }),
      'wrong-outcome',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly).toMatchObject({ clientOutcome: 'acknowledged', sagaStatus: 'compensated' });
  });

  it('flags a failed checkout whose saga completed', () => {
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('completed', COMPLETED_STEPS)] }),
      'wrong-outcome',
    );
    expect(anomaly.ops).toEqual(CLIENT_AND_SAGA);
    expect(anomaly.message).toBe(
      'saga c1 (a -> m1, 1200) completed although the client was told it failed at 10.0 s in ap-northeast-1: the customer was told the payment failed but it went through',
    );
  });

  it('flags an ok checkout with no saga record', () => {
    const anomaly = only(oneCheckout({ client: 'ok', sagas: [] }), 'wrong-outcome');
    expect(anomaly.ops).toEqual([1, 2]);
    expect(anomaly.message).toContain('has no saga record although the client was told ok');
  });

  it('twins: the outcomes agree, or the client outcome is unknown', () => {
    valid(oneCheckout({ client: 'ok', sagas: [saga('completed', COMPLETED_STEPS)] }));
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', COMPENSATED_STEPS)] }));
    valid(oneCheckout({ client: 'fail', sagas: [] }));
    for (const client of ['info', 'pending'] as const) {
      valid(oneCheckout({ client, sagas: [saga('completed', COMPLETED_STEPS)] }));
      valid(oneCheckout({ client, sagas: [saga('failed', COMPENSATED_STEPS)] }));
    }
  });
});

describe('saga-leak', () => {
  it('flags a compensated saga whose entries do not net to zero', () => {
    const ledger = [...move('a', 'hold')];
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [saga('compensated', COMPENSATED_STEPS)], ledger }),
      'saga-leak',
    );
    expect(anomaly.ops).toEqual([1, 2, 3, 4]);
    expect(anomaly).toMatchObject({ expected: { a: 0, hold: 0 }, got: { a: -1200, hold: 1200 } });
    expect(anomaly.message).toBe(
      'saga c1 (a -> m1, 1200) was compensated but its ledger entries leave a nets -1200 (expected 0), hold nets +1200 (expected 0): post the entries that bring each account to its expected net',
    );
  });

  it('twin: the reserve was reversed', () => {
    const ledger = [...move('a', 'hold'), ...move('hold', 'a')];
    valid(oneCheckout({ client: 'fail', sagas: [saga('compensated', COMPENSATED_STEPS)], ledger }));
  });

  it('flags a completed saga that left its amount in escrow', () => {
    const ledger = [...move('a', 'hold'), ...move('hold', 'escrow')];
    const anomaly = only(
      oneCheckout({ client: 'ok', sagas: [saga('completed', COMPLETED_STEPS)], ledger }),
      'saga-leak',
    );
    expect(anomaly).toMatchObject({
      expected: { escrow: 0, m1: 1200 },
      got: { escrow: 1200, m1: 0 },
    });
  });

  it('twin: the completed saga moved exactly its amount', () => {
    valid(
      oneCheckout({
        client: 'ok',
        sagas: [saga('completed', COMPLETED_STEPS)],
        ledger: COMPLETED_LEDGER,
      }),
    );
  });

  it('flags a completed saga that moved the wrong amount', () => {
    const ledger = [...move('a', 'hold', 1300), ...move('hold', 'm1', 1300)];
    only(
      oneCheckout({ client: 'ok', sagas: [saga('completed', COMPLETED_STEPS)], ledger }),
      'saga-leak',
    );
  });

  it('flags a rejected checkout with no saga record whose money moved; twin: it did not', () => {
    const anomaly = only(
      oneCheckout({ client: 'fail', sagas: [], ledger: move('a', 'hold') }),
      'saga-leak',
    );
    expect(anomaly.ops).toEqual([1, 2, 4]);
    expect(anomaly.message).toContain('checkout c1 (a -> m1, 1200) has no saga record but');
    valid(
      oneCheckout({
        client: 'fail',
        sagas: [],
        ledger: [...move('a', 'hold'), ...move('hold', 'a')],
      }),
    );
  });

  it('is not judged without a ledger line, nor for a pending saga', () => {
    valid(
      oneCheckout({
        client: 'fail',
        sagas: [saga('compensated', COMPENSATED_STEPS)],
        ledger: null,
      }),
    );
    only(
      oneCheckout({
        client: 'info',
        sagas: [saga('pending', [done('reserve', 1)])],
        ledger: move('a', 'hold'),
      }),
      'stuck-saga',
    );
  });

  it('ignores ledger entries of other transactions', () => {
    const ledger = [...COMPLETED_LEDGER, ...move('a', 'm1', 7, 't9')];
    valid(oneCheckout({ client: 'ok', sagas: [saga('completed', COMPLETED_STEPS)], ledger }));
  });

  it('checks the ledger of a completed saga that had no checkout op', () => {
    const orphan = saga('completed', [done('reserve', 1)], 'c2');
    const created = [{ tx: 'c2', account: 'm1', amount: 50 }];
    const anomaly = only(
      oneCheckout({
        client: 'ok',
        sagas: [saga('completed', COMPLETED_STEPS), orphan],
        ledger: [...COMPLETED_LEDGER, ...created],
      }),
      'saga-leak',
    );
    expect(anomaly).toMatchObject({ saga: 'c2', got: { '(all accounts)': 50 } });
    const moved = move('a', 'm1', 50, 'c2');
    valid(
      oneCheckout({
        client: 'ok',
        sagas: [saga('completed', COMPLETED_STEPS), orphan],
        ledger: [...COMPLETED_LEDGER, ...moved],
      }),
    );
  });
});
