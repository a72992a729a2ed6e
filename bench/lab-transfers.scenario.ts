/**
 * The lab section's load (bench/lab-throughput.ts): transfers only, both regions, no fault. The
 * bench replaces the rate per step; the accounts are rich enough that no transfer runs short, so
 * every arrival is a transfer the bank must post.
 */
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

export default defineScenario({
  name: 'lab-transfers',
  description: 'Transfers at a stepped rate across two regions, for the lab bench.',
  hypothesis: 'The lab posts every transfer offered, at p99 under 100 ms.',
  regions: ['ap-northeast-1', 'ap-northeast-3'],
  duration: '20s',
  seed: 1,
  bank: { accounts: manyAccounts(100, 100_000_000, 'customer-') },
  clusters: [{ name: 'ledger', writer: 'ap-northeast-1' }],
  workloads: [
    {
      kind: 'bank',
      rate: 25,
      skew: 0,
      mix: { transfer: 1 },
      amount: { min: 1, max: 100 },
    },
  ],
  clients: { timeout: '2s', retries: 0, failover: false },
});
