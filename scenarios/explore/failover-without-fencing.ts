/**
 * The ledger's old writer is not fenced when a secondary is promoted: a bank instance still
 * connected to it keeps committing there, and those commits vanish when it rejoins. Only the
 * workload and the fault kinds are given; `paychaos explore` searches when to fail over and
 * whether to cut a region off around it.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'explore-failover-without-fencing',
  description:
    'Transfers and deposits in both regions while the search fails the ledger over and cuts regions off.',
  hypothesis: 'No schedule of failovers and isolations loses an acknowledged payment.',
  regions: [TOKYO, OSAKA],
  duration: '12s',
  seed: 1,
  bank: { accounts: manyAccounts(6, 100_000, 'acct-'), bugs: ['failover-without-fencing'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 10, [OSAKA]: 10 },
      skew: 0.5,
      mix: { transfer: 0.6, deposit: 0.2, withdraw: 0.1, consistentRead: 0.05, eventualRead: 0.05 },
      amount: { min: 100, max: 2_000 },
    },
  ],
  clients: { timeout: '1s', retries: 2, retryBackoff: '100ms', failover: true },
  explore: {
    faults: { kinds: ['failover', 'isolate', 'partition'], count: { min: 0, max: 3 } },
    workloads: { rateScale: { min: 0.5, max: 2 } },
  },
});
