/**
 * Planted bug `funds-check-on-replica`: the bank checks funds on its own region's SQL node and
 * the writer then applies the debit blind. Replication to Osaka lags 1 s for 15 s while Osaka's
 * clients withdraw from and transfer out of accounts that hold little: Osaka's replica still
 * shows money the writer has already paid out, and the flagged bank overdraws
 * (`negative-balance`). The correct bank checks on the writer, inside the debit's transaction.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-funds-check-on-replica',
  description:
    'Withdrawals and transfers from accounts holding little, mostly from Osaka, while ledger replication to Osaka lags 1 s from 10 s to 25 s; clients wait up to 3 s.',
  hypothesis: 'No account is ever overdrawn, whichever region the payment went through.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: { accounts: manyAccounts(4, 5_000, 'customer-'), bugs: ['funds-check-on-replica'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 8, [OSAKA]: 20 },
      skew: 0.5,
      mix: { transfer: 0.3, deposit: 0.2, withdraw: 0.4, consistentRead: 0.1 },
      amount: { min: 500, max: 3_000 },
    },
  ],
  clients: { timeout: '3s', retries: 1, retryBackoff: '100ms', failover: true },
  faults: [
    {
      at: '10s',
      duration: '15s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '1s' },
    },
  ],
});
