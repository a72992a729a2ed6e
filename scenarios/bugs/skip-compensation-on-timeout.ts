/**
 * Planted bug `skip-compensation-on-timeout`: when a checkout's capture at the payment processor
 * times out, the bank closes the saga as compensated without voiding the capture or releasing
 * the reservation. The simulated processor lets 5% of captures outlast its 300 ms timeout, so 9
 * to 19 of the run's ~480 checkouts are caught by it (seeds 1..5): the flagged bank leaves a done
 * reservation uncompensated (`missing-compensation`) and its money in the hold (`saga-leak`);
 * the correct bank voids the capture and releases the hold. Osaka is also cut off for 10 s,
 * which leaves the sagas it was driving pending mid-way: the recovery in Tokyo must finish those
 * (forward or compensated), with the bug or without.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-skip-compensation-on-timeout',
  description:
    'Checkouts from both regions while the processor times out on some captures; Osaka is isolated from 10 s to 20 s.',
  hypothesis:
    'Every checkout whose capture timed out is either completed or fully compensated, its reservation released.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 1_000_000, 'customer-'), ...manyAccounts(3, 0, 'merchant-')],
    bugs: ['skip-compensation-on-timeout'],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    { kind: 'checkout', rate: { [TOKYO]: 8, [OSAKA]: 8 }, amount: { min: 100, max: 5_000 } },
    {
      kind: 'bank',
      rate: 5,
      mix: { transfer: 0.6, deposit: 0.2, consistentRead: 0.2 },
    },
  ],
  clients: { timeout: '2s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [{ at: '10s', duration: '10s', fault: { kind: 'isolate', region: OSAKA } }],
});
