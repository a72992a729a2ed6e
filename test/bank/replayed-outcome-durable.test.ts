/**
 * A retry answered from the idempotency row must be as durable as a first
 * answer: the correct bank acknowledges a commit only once every secondary has it, and a retry
 * that reads the first attempt's outcome must not acknowledge it sooner. Found by the scenario
 * library (async-commit-ack's scenario with a 2 s lag run on the correct bank): the first attempt
 * waited for replication past the bank's 1 s store timeout and answered unknown, the client
 * retried, the retry read "ok" from the idempotency row and answered at once, and the failover
 * that followed lost the payment the retry had acknowledged.
 */
import { describe, expect, it } from 'vitest';
import type { BankRequest } from '../../bank/api.ts';
import { entriesOf, finalView, OSAKA, send, started, TOKYO, world } from './support/sim-bank.ts';

/** Replication to Osaka lags 2 s; a request, its retry 1.1 s later, then failover 100 ms on. */
async function retryThenFailover(request: Extract<BankRequest, { kind: 'transfer' }>) {
  const w = await started(
    world({ processor: { timeoutProbability: 0, declineProbability: 0, latencyMs: 20 } }),
  );
  w.cluster.setReplicaLagMs(TOKYO, OSAKA, 2_000);
  const first = send(w, TOKYO, request);
  await w.runForMs(1_100);
  const retry = send(w, TOKYO, request);
  await w.runForMs(100);
  w.cluster.kill(TOKYO);
  w.cluster.failover(TOKYO, OSAKA);
  await w.runForMs(3_000);
  w.cluster.restart(TOKYO);
  w.cluster.rejoin(TOKYO);
  w.cluster.setReplicaLagMs(TOKYO, OSAKA, 0);
  await w.settle();
  const outcomes = [await first, await retry];
  return { outcomes, entries: entriesOf((await finalView(w)).ledger, request.id) };
}

describe('the correct bank: a replayed outcome is acknowledged only once it is replicated', () => {
  it('a retried transfer is not acknowledged before its first attempt has replicated', async () => {
    const { outcomes, entries } = await retryThenFailover({
      kind: 'transfer',
      id: 't1',
      from: 'alice',
      to: 'bob',
      amount: 100,
    });
    expect(outcomes[0]?.outcome).not.toBe('ok');
    if (outcomes.some((o) => o.outcome === 'ok')) expect(entries).toHaveLength(2);
    expect(outcomes[1]?.outcome).not.toBe('ok');
  });
});
