/**
 * The bank checks funds on its region's SQL node, which in Osaka is a secondary that may lag the
 * writer in Tokyo, and the writer then debits blind. Only the workload and the fault kinds are
 * given; `paychaos explore` searches when, how long and how far replication falls behind.
 * Small balances and large amounts so that a stale check lets an overdraft through.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'explore-funds-check-on-replica',
  description:
    'Withdrawals and transfers in both regions against small balances, with the funds check on the local SQL node; the search places replication lag and pauses.',
  hypothesis: 'No schedule of replication lag or pause lets a debit overdraw an account.',
  regions: [TOKYO, OSAKA],
  duration: '12s',
  seed: 1,
  bank: { accounts: manyAccounts(6, 2_000, 'acct-'), bugs: ['funds-check-on-replica'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 4, [OSAKA]: 8 },
      skew: 0.5,
      mix: { transfer: 0.4, deposit: 0.2, withdraw: 0.3, consistentRead: 0.05, eventualRead: 0.05 },
      amount: { min: 300, max: 1_500 },
    },
  ],
  clients: { timeout: '3s', retries: 1, retryBackoff: '100ms', failover: true },
  explore: {
    faults: {
      kinds: ['replica-lag', 'pause-replication'],
      count: { min: 0, max: 3 },
      lag: { min: '200ms', max: '3s' },
    },
    workloads: { rateScale: { min: 0.5, max: 2 } },
  },
});
