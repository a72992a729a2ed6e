/**
 * Replication from Tokyo (the ledger writer, and the projector's region) to Osaka falls 2 s
 * behind for 20 s, on every store along the link. The correct bank acknowledges a commit only
 * once Osaka's ledger replica has it, and gives up waiting after its 1 s store timeout: payments,
 * checkout steps and strong register ops committed during the lag are answered unknown (their
 * retries too), and every one of them still lands exactly once. Consistent reads come from the
 * writer and stay exact; eventual balance and register reads in Osaka are up to 2 s old, which
 * is allowed; after the lag everything converges. Availability is what the lag costs, never money.
 */
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'replica-lag',
  description:
    'Replication from Tokyo to Osaka (the ledger, the balances and the register tables) lags 2 s from 10 s to 30 s.',
  hypothesis:
    'Replication 2 s behind makes commits wait but loses no payment and applies none twice, and consistent reads and final balances stay exact.',
  regions: [TOKYO, OSAKA],
  duration: '40s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 100_000, 'customer-'), ...manyAccounts(3, 0, 'merchant-')],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 20, [OSAKA]: 20 },
      skew: 1.1,
      mix: { transfer: 0.5, deposit: 0.1, withdraw: 0.1, consistentRead: 0.15, eventualRead: 0.15 },
      amount: { min: 100, max: 5_000 },
    },
    { kind: 'registers', rate: 10, keys: { eventual: 4, strong: 2 } },
    { kind: 'checkout', rate: 4 },
  ],
  clients: { timeout: '2s', retries: 2, retryBackoff: '200ms', failover: true },
  faults: [
    {
      at: '10s',
      duration: '20s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '2s' },
    },
  ],
});
