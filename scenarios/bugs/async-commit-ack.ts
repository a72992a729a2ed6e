/**
 * Planted bug `async-commit-ack`: the bank acknowledges a commit before it has replicated.
 * Ledger replication to Osaka lags 1 s from 10 s; at 20 s Tokyo's writer dies and Osaka is
 * promoted at once, losing the last second of commits. The flagged bank had acknowledged them
 * (`lost-transfer`: RPO > 0); the correct bank acknowledges only what Osaka has, so what the
 * promotion loses was never acknowledged (those clients saw a timeout).
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-async-commit-ack',
  description:
    "Ledger replication to Osaka lags 1 s from 10 s to 25 s; Tokyo's writer dies at 20 s and Osaka is promoted at once; clients wait up to 2 s.",
  hypothesis: 'Losing the writer and promoting a lagging secondary loses no acknowledged payment.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 100_000, 'customer-'), ...manyAccounts(2, 0, 'merchant-')],
    bugs: ['async-commit-ack'],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 20, [OSAKA]: 20 },
      skew: 0.99,
      mix: { transfer: 0.7, deposit: 0.1, withdraw: 0.1, consistentRead: 0.1 },
      amount: { min: 100, max: 5_000 },
    },
  ],
  clients: { timeout: '2s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    {
      at: '10s',
      duration: '15s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '1s' },
    },
    {
      at: '20s',
      duration: '5s',
      fault: { kind: 'kill-cluster', cluster: 'ledger', region: TOKYO },
    },
    { at: '20s', fault: { kind: 'failover', cluster: 'ledger', from: TOKYO, to: OSAKA } },
  ],
});
