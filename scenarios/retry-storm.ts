/**
 * Issue 3: timeouts and retries under a 3-5x traffic spike, as on Venmo's Super Bowl days.
 *
 * Traffic quadruples from 20 s to 35 s. Two seconds in, the ledger's replication to Osaka falls
 * 1.5 s behind — the database losing ground under the load — and since a payment is
 * acknowledged only once its commit has replicated, every payment committed then takes longer
 * than the clients' 1 s timeout. The clients give up and retry, up to three times each, on top of
 * the spiked arrivals: the retry storm. The payments themselves committed; only the clients do
 * not know it. With idempotency keys the bank answers each retry with the first outcome and
 * applies nothing twice; the flag `retry-without-idempotency` applies every retry again
 * (`duplicate-transfer`).
 */
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
/** The Super Bowl evening: four times the traffic for 15 s. */
const SPIKE = { at: '20s', duration: '15s', factor: 4 };

export default defineScenario({
  name: 'retry-storm',
  description:
    'A 4x traffic spike from 20 s to 35 s; from 22 s to 32 s ledger replication to Osaka lags 1.5 s, so commits that wait for it outlast the 1 s client timeout and clients retry every payment up to three times.',
  hypothesis:
    'Clients retrying timed-out payments during a 4x spike apply no payment twice, lose none, and leave no saga stuck.',
  regions: [TOKYO, OSAKA],
  duration: '60s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(8, 1_000_000, 'customer-'), ...manyAccounts(3, 0, 'merchant-')],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 30, [OSAKA]: 20 },
      skew: 1.1,
      mix: { transfer: 0.7, deposit: 0.1, withdraw: 0.05, consistentRead: 0.1, eventualRead: 0.05 },
      amount: { min: 100, max: 5_000 },
      spikes: [SPIKE],
    },
    { kind: 'checkout', rate: 5, spikes: [SPIKE] },
  ],
  clients: {
    timeout: '1s',
    retries: 3,
    retryBackoff: '200ms',
    idempotencyKeys: true,
    failover: true,
  },
  faults: [
    {
      at: '22s',
      duration: '10s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '1500ms' },
    },
  ],
});
