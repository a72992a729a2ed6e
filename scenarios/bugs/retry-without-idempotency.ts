/**
 * Planted bug `retry-without-idempotency`: the bank ignores the idempotency key, so a client's
 * retry of a payment that did apply applies it again. Ledger replication to Osaka lags 1.5 s for
 * 10 s; the correct bank acknowledges a payment only once Osaka has it, so every payment
 * committed then outlasts the clients' 1 s timeout, and the clients retry it with the same id.
 * The flagged bank commits each attempt (`duplicate-transfer`); the correct bank answers a retry
 * with the first outcome.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-retry-without-idempotency',
  description:
    'Ledger replication to Osaka lags 1.5 s from 10 s to 20 s, longer than the 1 s client timeout; clients retry each payment up to twice with its idempotency key.',
  hypothesis: 'A client retrying a payment that timed out but did apply never applies it twice.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 1_000_000, 'customer-'), ...manyAccounts(2, 0, 'merchant-')],
    bugs: ['retry-without-idempotency'],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 15, [OSAKA]: 15 },
      skew: 0.99,
      mix: { transfer: 0.7, deposit: 0.1, withdraw: 0.1, consistentRead: 0.1 },
      amount: { min: 100, max: 5_000 },
    },
  ],
  clients: {
    timeout: '1s',
    retries: 2,
    retryBackoff: '100ms',
    idempotencyKeys: true,
    failover: true,
  },
  faults: [
    {
      at: '10s',
      duration: '10s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '1500ms' },
    },
  ],
});
