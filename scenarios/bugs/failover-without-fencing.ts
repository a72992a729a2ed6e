/**
 * Planted bug `failover-without-fencing`: the operator promotes Osaka's secondary while Tokyo's
 * old writer is still up (a failover drill, or a false alarm), and nothing fences the old
 * writer. Banks still connected to it keep committing there and acknowledging; those commits
 * never reach the new writer, and when Tokyo is rebuilt from Osaka they are gone
 * (`lost-transfer`). With fencing the old writer refuses, and the bank finds the new one.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-failover-without-fencing',
  description:
    'Osaka is promoted to ledger writer at 15 s while Tokyo, the old writer, stays up and reachable.',
  hypothesis:
    'Promoting the secondary while the old writer still runs loses no acknowledged payment.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: {
    accounts: [...manyAccounts(6, 100_000, 'customer-'), ...manyAccounts(2, 0, 'merchant-')],
    bugs: ['failover-without-fencing'],
  },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 20, [OSAKA]: 20 },
      skew: 0.99,
      mix: { transfer: 0.7, deposit: 0.1, withdraw: 0.1, consistentRead: 0.1 },
      amount: { min: 100, max: 5_000 },
    },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [{ at: '15s', fault: { kind: 'failover', cluster: 'ledger', from: TOKYO, to: OSAKA } }],
});
