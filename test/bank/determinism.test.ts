/** Same seed, same load, same fault: the same final state, byte for byte. */
import { describe, expect, it } from 'vitest';
import { applyFault, type Planned, schedule } from './support/random-load.ts';
import { finalView, OSAKA, started, TOKYO, world } from './support/sim-bank.ts';

const PLANNED: Planned[] = Array.from({ length: 20 }, (_, i) => ({
  atMs: i * 37,
  region: i % 2 === 0 ? TOKYO : OSAKA,
  request:
    i % 3 === 0
      ? { kind: 'checkout', id: `c${i}`, from: 'alice', to: 'merchant', amount: 40 }
      : {
          kind: 'transfer',
          id: `t${i}`,
          from: i % 2 === 0 ? 'bob' : 'carol',
          to: 'alice',
          amount: 90,
        },
  retry: i % 4 === 0 ? { afterMs: 500, region: OSAKA } : null,
}));

async function run(seed: number): Promise<string> {
  const w = await started(world({ seed }));
  applyFault(w, { kind: 'failover', region: TOKYO, startMs: 300, durationMs: 800 });
  const answers = schedule(w, PLANNED);
  await w.runForMs(6_000);
  await w.settle();
  const view = await finalView(w);
  return JSON.stringify({
    answers: [...(await answers).byId],
    view: [...view.balancesByRegion],
    ledger: view.ledger,
    sagas: view.sagas,
  });
}

describe('determinism', () => {
  it('replays a seed exactly', async () => {
    expect(await run(7)).toBe(await run(7));
  });
});
