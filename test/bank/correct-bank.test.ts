/** The correct bank in hand-built situations: recovery after a crash, registers, final state. */
import { describe, expect, it } from 'vitest';
import {
  call,
  entriesOf,
  finalView,
  OSAKA,
  send,
  started,
  TOKYO,
  world,
} from './support/sim-bank.ts';

describe('the correct bank', () => {
  it('compensates a saga whose instance crashed after the reservation', async () => {
    const w = await started(world({ processor: { latencyMs: 200, declineProbability: 0 } }));
    const pending = send(w, TOKYO, {
      kind: 'checkout',
      id: 'c1',
      from: 'alice',
      to: 'merchant',
      amount: 300,
    });
    await w.runForMs(100);
    w.bank.crash(TOKYO);
    await w.runForMs(3_000);
    expect(await pending).toEqual({ outcome: 'timeout' });
    w.bank.restart(TOKYO);
    await w.settle();
    const view = await finalView(w);
    expect(view.sagas).toMatchObject([{ id: 'c1', status: 'compensated' }]);
    expect(entriesOf(view.ledger, 'c1').reduce((sum, e) => sum + e.amount, 0)).toBe(0);
    expect(w.processor.fate('c1')).toBe('voided');
  });

  it('answers a retried checkout with the first outcome and runs it once', async () => {
    const w = await started(world({ processor: { declineProbability: 0, timeoutProbability: 0 } }));
    const checkout = {
      kind: 'checkout',
      id: 'c1',
      from: 'alice',
      to: 'merchant',
      amount: 300,
    } as const;
    expect(await call(w, TOKYO, checkout)).toEqual({ outcome: 'ok' });
    expect(await call(w, OSAKA, checkout)).toEqual({ outcome: 'ok' });
    await w.settle();
    expect(entriesOf((await finalView(w)).ledger, 'c1')).toHaveLength(4);
  });

  it('keeps eventual and strong registers, and reads them into the final state', async () => {
    const w = await started(world());
    const write = await call(w, TOKYO, { kind: 'write', table: 'eventual', key: 'x', value: 'a' });
    expect(write).toMatchObject({ outcome: 'ok', value: { ts: expect.any(Number) } });
    expect(
      await call(w, OSAKA, { kind: 'cas', table: 'eventual', key: 'x', from: 'a', to: 'b' }),
    ).toMatchObject({ outcome: 'ok' });
    expect(
      await call(w, OSAKA, { kind: 'cas', table: 'strong', key: 's', from: 'a', to: 'b' }),
    ).toMatchObject({ outcome: 'rejected' });
    expect(await call(w, OSAKA, { kind: 'write', table: 'strong', key: 's', value: 1 })).toEqual({
      outcome: 'ok',
    });
    expect(await call(w, TOKYO, { kind: 'read', table: 'strong', key: 's' })).toEqual({
      outcome: 'ok',
      value: { key: 's', value: 1 },
    });
    await w.settle();
    const reading = w.bank.readFinalState({ eventual: ['x', 'y'], strong: ['s'] });
    await w.runForMs(1_000);
    const { reads } = await reading;
    for (const read of reads) {
      expect(read.value.registers).toEqual({ x: 'b', y: null, s: 1 });
      expect(Object.keys(read.value.ts ?? {})).toEqual(['x']);
    }
    expect(w.bank.accounts().map((a) => a.name)).toContain('hold');
  });
});
