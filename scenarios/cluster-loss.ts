/**
 * The Aurora global database's writer in Tokyo is lost. For five seconds nothing can commit (the
 * secondary in Osaka is read-only); then the operator detaches and promotes Osaka, and the bank
 * finds the new writer. Tokyo's instance comes back at 35 s as an old writer: fenced, then
 * rebuilt from Osaka as a secondary. The correct bank acknowledges a commit only once Osaka has
 * it, so the promotion loses nothing that was acknowledged.
 */
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'cluster-loss',
  description:
    "The ledger cluster's writer in Tokyo dies at 15 s; Osaka's secondary is promoted at 20 s; Tokyo's node restarts at 35 s and rejoins as a secondary.",
  hypothesis:
    'Losing the writer cluster and promoting the secondary loses no acknowledged payment, leaves no saga stuck, and keeps strong registers linearizable.',
  regions: [TOKYO, OSAKA],
  duration: '45s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 100_000, 'customer-'), ...manyAccounts(3, 0, 'merchant-')],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 25, [OSAKA]: 25 },
      skew: 1.1,
      mix: { transfer: 0.6, deposit: 0.1, withdraw: 0.1, consistentRead: 0.1, eventualRead: 0.1 },
      amount: { min: 100, max: 5_000 },
    },
    { kind: 'registers', rate: 10, keys: { eventual: 4, strong: 2 } },
    { kind: 'checkout', rate: 5 },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    {
      at: '15s',
      duration: '20s',
      fault: { kind: 'kill-cluster', cluster: 'ledger', region: TOKYO },
    },
    { at: '20s', fault: { kind: 'failover', cluster: 'ledger', from: TOKYO, to: OSAKA } },
  ],
});
