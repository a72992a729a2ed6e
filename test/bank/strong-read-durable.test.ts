/**
 * A strong register read (or a cas it refuses) shows only what a failover cannot take back.
 * Found by running the correct bank with a 2 s ledger lag and a failover: a write committed on
 * the writer, its client timed out waiting for replication, a read on the writer returned the
 * value, and the promotion lost it: the next read returned the older value (nonlinearizable).
 */
import { describe, expect, it } from 'vitest';
import type { BankRequest } from '../../bank/api.ts';
import { call, OSAKA, send, started, TOKYO, world } from './support/sim-bank.ts';

/** Replication to Osaka lags 2 s; a write, a read 1.1 s later, failover, a read again. */
async function readThenFailover(probe: BankRequest) {
  const w = await started(world());
  w.cluster.setReplicaLagMs(TOKYO, OSAKA, 2_000);
  const write = send(w, TOKYO, { kind: 'write', table: 'strong', key: 's', value: 'x' });
  await w.runForMs(1_100);
  const probed = send(w, TOKYO, probe);
  await w.runForMs(100);
  w.cluster.kill(TOKYO);
  w.cluster.failover(TOKYO, OSAKA);
  w.cluster.setReplicaLagMs(TOKYO, OSAKA, 0);
  await w.runForMs(3_000);
  const after = await call(w, OSAKA, { kind: 'read', table: 'strong', key: 's' });
  return { write: await write, probed: await probed, after };
}

describe('the correct bank: strong register reads are durable', () => {
  it('a read does not return a write that a failover then loses', async () => {
    const { write, probed, after } = await readThenFailover({
      kind: 'read',
      table: 'strong',
      key: 's',
    });
    expect(write.outcome).not.toBe('ok');
    expect(after).toMatchObject({ outcome: 'ok' });
    if (probed.outcome === 'ok') expect(probed).toEqual(after);
    expect(probed.outcome).not.toBe('ok');
  });

  it('a cas refused because of a write a failover then loses is not answered', async () => {
    const { probed, after } = await readThenFailover({
      kind: 'cas',
      table: 'strong',
      key: 's',
      from: null,
      to: 'z',
    });
    expect(after).toEqual({ outcome: 'ok', value: { key: 's', value: null } });
    expect(probed.outcome).not.toBe('rejected');
  });
});
