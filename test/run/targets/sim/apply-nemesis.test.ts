import { describe, expect, it } from 'vitest';
import { createSimBankWorld } from '../../../../bank/adapters/sim/sim-bank-world.ts';
import type { NemesisAction } from '../../../../faults/nemesis-action.ts';
import { applyNemesis } from '../../../../run/targets/sim/apply-nemesis.ts';
import { CLIENTS } from '../../../../targets/sim/network.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function world() {
  return createSimBankWorld({
    seed: 1,
    regions: [TOKYO, OSAKA],
    writerRegion: TOKYO,
    accounts: [{ name: 'a', balance: 10, home: TOKYO }],
  });
}

function act(
  f: NemesisAction['f'],
  value: unknown,
  edge: NemesisAction['edge'] = 'start',
): NemesisAction {
  return { atMs: 0, faultIndex: 0, edge, f, value } as NemesisAction;
}

describe('applyNemesis', () => {
  it('isolates and rejoins a region, partitions and heals a link', () => {
    const w = world();
    applyNemesis(w, 'ledger', act('start-isolate', { region: TOKYO }));
    expect(w.network.canReach(CLIENTS, TOKYO)).toBe(false);
    applyNemesis(w, 'ledger', act('stop-isolate', { region: TOKYO }, 'stop'));
    expect(w.network.canReach(CLIENTS, TOKYO)).toBe(true);
    applyNemesis(w, 'ledger', act('start-partition', { regions: [TOKYO, OSAKA] }));
    expect(w.network.canReach(TOKYO, OSAKA)).toBe(false);
    expect(w.network.canReach(CLIENTS, TOKYO)).toBe(true);
    applyNemesis(w, 'ledger', act('stop-partition', { regions: [TOKYO, OSAKA] }, 'stop'));
    expect(w.network.canReach(TOKYO, OSAKA)).toBe(true);
  });

  it('pauses replication on every replicated store and resumes it', () => {
    const w = world();
    applyNemesis(w, 'ledger', act('start-pause-replication', { from: TOKYO, to: OSAKA }));
    expect(() => w.balances.pauseReplication(TOKYO, OSAKA)).toThrow();
    expect(() => w.registers.pauseReplication(TOKYO, OSAKA)).toThrow();
    expect(() => w.cluster.pauseReplication(TOKYO, OSAKA)).toThrow();
    applyNemesis(w, 'ledger', act('stop-pause-replication', { from: TOKYO, to: OSAKA }, 'stop'));
    expect(() => w.cluster.resumeReplication(TOKYO, OSAKA)).toThrow();
  });

  it('kills, restarts and fails over the named cluster, and refuses another name', () => {
    const w = world();
    applyNemesis(w, 'ledger', act('kill-cluster', { cluster: 'ledger', region: TOKYO }));
    applyNemesis(
      w,
      'ledger',
      act('failover', { cluster: 'ledger', from: TOKYO, to: OSAKA }, 'instant'),
    );
    expect(w.cluster.writerRegion).toBe(OSAKA);
    expect(w.cluster.oldWriters()).toEqual([TOKYO]);
    applyNemesis(w, 'ledger', act('restart-cluster', { cluster: 'ledger', region: TOKYO }, 'stop'));
    expect(() =>
      applyNemesis(w, 'ledger', act('kill-cluster', { cluster: 'orders', region: OSAKA })),
    ).toThrow('the simulator runs one SQL cluster, "ledger"; the fault names "orders"');
  });

  it('skews a region clock and puts it back', () => {
    const w = world();
    const before = w.clocks.nowUs(OSAKA);
    applyNemesis(w, 'ledger', act('start-clock-skew', { region: OSAKA, skewMs: 5000 }));
    expect(w.clocks.nowUs(OSAKA) - before).toBe(5_000_000);
    applyNemesis(w, 'ledger', act('stop-clock-skew', { region: OSAKA, skewMs: 5000 }, 'stop'));
    expect(w.clocks.nowUs(OSAKA)).toBe(before);
  });
});
