/**
 * Planted bug `skewed-clock-lww`: the bank stamps eventually consistent register writes with its
 * own region's clock instead of letting the store stamp them. Osaka's clock runs 3 s slow from 10
 * s to the end of the load while both regions write the same few keys: a write Osaka makes after
 * Tokyo's carries an older timestamp and loses under last-writer-wins (`lost-write`: the skew
 * lasts to the end, so the final values are Tokyo's though Osaka wrote later), and the recorded
 * timestamps contradict the order the clients saw (`clock-anomaly`).
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-skewed-clock-lww',
  description:
    "Osaka's clock runs 3 s behind from 10 s to the end of the run (30 s) while both regions write, read and compare-and-set four eventually consistent registers.",
  hypothesis:
    'A register write acknowledged after another one to the same key wins under last-writer-wins, whatever the region clocks say.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: { accounts: manyAccounts(2, 10_000, 'customer-'), bugs: ['skewed-clock-lww'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'registers',
      rate: { [TOKYO]: 15, [OSAKA]: 15 },
      skew: 0.5,
      keys: { eventual: 4, strong: 0 },
      mix: { write: 0.6, read: 0.3, cas: 0.1 },
    },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    { at: '10s', duration: '20s', fault: { kind: 'clock-skew', region: OSAKA, skew: '-3s' } },
  ],
});
