/**
 * Planted bug `lww-balance-update`: the bank keeps the replicated balances by reading and
 * rewriting them in whichever region the client hit. Both regions move money between the same
 * four accounts at once, and for a few seconds replication between them lags 500 ms: two regions
 * read the same old balance, each writes its own update, and last-writer-wins keeps one. The
 * ledger is right; the balances every region reads end up summing to a total no execution
 * produces (`wrong-total`). Transfers only, so the total is fixed and any lost update shows.
 */
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

export default defineScenario({
  name: 'bug-lww-balance-update',
  description:
    'Transfers among four accounts from both regions at once; replication lags 500 ms both ways from 10 s to 20 s.',
  hypothesis:
    'Concurrent transfers on the same accounts from two regions leave every region with balances that match the ledger.',
  regions: [TOKYO, OSAKA],
  duration: '30s',
  seed: 1,
  bank: { accounts: manyAccounts(4, 100_000, 'customer-'), bugs: ['lww-balance-update'] },
  clusters: [{ name: 'ledger', writer: TOKYO }],
  workloads: [
    {
      kind: 'bank',
      rate: { [TOKYO]: 25, [OSAKA]: 25 },
      skew: 0.5,
      mix: { transfer: 0.8, consistentRead: 0.1, eventualRead: 0.1 },
      amount: { min: 100, max: 2_000 },
    },
  ],
  clients: { timeout: '2s', retries: 2, retryBackoff: '100ms', failover: true },
  faults: [
    {
      at: '10s',
      duration: '10s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: '500ms' },
    },
    {
      at: '10s',
      duration: '10s',
      fault: { kind: 'replica-lag', from: OSAKA, to: TOKYO, lag: '500ms' },
    },
  ],
});
