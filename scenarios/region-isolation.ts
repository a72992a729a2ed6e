import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

export default defineScenario({
  name: 'region-isolation',
  description:
    'Tokyo is cut off from Osaka and from its clients for 20 s; clients fail over to Osaka, and the ledger writer is promoted there.',
  hypothesis:
    'Cutting Tokyo off loses no acknowledged payment, leaves no saga stuck, and the regions converge once it rejoins.',
  regions: ['ap-northeast-1', 'ap-northeast-3'],
  duration: '60s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 100_000, 'customer-'), ...manyAccounts(3, 0, 'merchant-')],
  },
  clusters: [{ name: 'ledger', writer: 'ap-northeast-1' }],
  workloads: [
    {
      kind: 'bank',
      rate: { 'ap-northeast-1': 30, 'ap-northeast-3': 20 },
      skew: 1.1,
      mix: { transfer: 0.6, deposit: 0.1, withdraw: 0.1, consistentRead: 0.1, eventualRead: 0.1 },
      amount: { min: 100, max: 5_000 },
    },
    { kind: 'registers', rate: 10, keys: { eventual: 8, strong: 2 } },
    { kind: 'checkout', rate: 5 },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    { at: '20s', duration: '20s', fault: { kind: 'isolate', region: 'ap-northeast-1' } },
    {
      at: '25s',
      fault: { kind: 'failover', cluster: 'ledger', from: 'ap-northeast-1', to: 'ap-northeast-3' },
    },
  ],
});
