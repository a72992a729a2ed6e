/**
 * The bank read-modify-writes balances in whichever region the client hit, and the key-value
 * table replicates them last-writer-wins: two regions updating one account close together lose
 * one update. Only the workload and the fault kinds are given; `paychaos explore` searches the
 * replication lag, pauses and partitions that widen that window.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'explore-lww-balance-update',
  description:
    'Transfers in both regions over a few accounts with balances kept by read-modify-write in the region hit; the search places replication lag, pauses and partitions.',
  hypothesis: 'No schedule of replication faults makes the regions lose a balance update.',
  regions: [TOKYO, OSAKA],
  duration: '12s',
  seed: 1,
  bank: { accounts: manyAccounts(8, 100_000, 'acct-'), bugs: ['lww-balance-update'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 1.5, [OSAKA]: 1.5 },
      skew: 0.5,
      mix: { transfer: 0.7, deposit: 0.1, withdraw: 0.1, consistentRead: 0.05, eventualRead: 0.05 },
      amount: { min: 100, max: 2_000 },
    },
  ],
  clients: { timeout: '2s', retries: 1, retryBackoff: '100ms', failover: true },
  explore: {
    faults: {
      kinds: ['replica-lag', 'pause-replication', 'partition'],
      count: { min: 0, max: 3 },
      lag: { min: '200ms', max: '3s' },
    },
    workloads: { rateScale: { min: 0.5, max: 2 } },
  },
});
