/**
 * Osaka's clock runs 3 s slow from 10 s to the end of the load while both regions write the same eventually consistent
 * registers. Last-writer-wins is only as good as its timestamps: the correct bank lets the store
 * stamp every write (DynamoDB does, with its own synchronised clock), so a write acknowledged
 * after another still wins, whatever the bank's region clock says. The bank's own clock still
 * stamps its saga steps, which the saga checker orders.
 */
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'clock-skew',
  description:
    "Osaka's clock runs 3 s behind from 10 s to the end of the run (40 s) while both regions write, read and compare-and-set the same registers.",
  hypothesis:
    'A region clock 3 s slow loses no register write under last-writer-wins and reorders nothing a client saw.',
  regions: [TOKYO, OSAKA],
  duration: '40s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(4, 100_000, 'customer-'), ...manyAccounts(2, 0, 'merchant-')],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'registers',
      rate: { [TOKYO]: 20, [OSAKA]: 20 },
      skew: 0.5,
      keys: { eventual: 4, strong: 1 },
      mix: { write: 0.5, read: 0.4, cas: 0.1 },
    },
    { kind: 'bank', rate: 10 },
    { kind: 'checkout', rate: 3 },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    { at: '10s', duration: '30s', fault: { kind: 'clock-skew', region: OSAKA, skew: '-3s' } },
  ],
});
