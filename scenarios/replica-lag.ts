/**
 * Replication from Tokyo (the ledger writer, and the projector's region) to Osaka falls 2 s
 * behind for 20 s, on every store along the link. The correct bank acknowledges a payment only
 * once Osaka's ledger replica has it, so payments slow down to the lag (the clients here wait up
 * to 4 s) but none is lost; consistent reads come from the writer and stay right; eventual
 * balance reads in Osaka show balances up to 2 s old, which is allowed.
 */
import { defineScenario, manyAccounts } from './define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'replica-lag',
  description:
    'Replication from Tokyo to Osaka (the ledger, the balances and the register tables) lags 2 s from 10 s to 30 s; clients wait up to 4 s per attempt.',
  hypothesis:
    'Replication 2 s behind slows payments down but loses none, and consistent reads and final balances stay exact.',
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
  clients: { timeout: '4s', retries: 1, retryBackoff: '200ms', failover: true },
  faults: [
    {
      at: '10s',
      duration: '20s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '2s' },
    },
  ],
});
