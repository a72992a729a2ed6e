/**
 * The planted bug 'lww-balance-update': the key-value balances are updated by reading and
 * rewriting them in the region that did the work, instead of being projected from the ledger.
 * Two regions updating one account concurrently both read the old balance, and last-writer-wins
 * keeps only one of the updates. Payments and the checkout saga's money steps both do it, after
 * their ledger commit, so that every ledger leg reaches the balances the same (wrong) way.
 */
import type { Leg } from './ledger-posting.ts';
import { StoreError } from './ports.ts';
import type { InstanceContext } from './region-ports.ts';

export async function readModifyWriteBalances(
  ctx: InstanceContext,
  legs: readonly Leg[],
): Promise<void> {
  try {
    for (const leg of legs) {
      const item = await ctx.ports.balances.get(leg.account);
      const before = item?.value ?? { balance: 0, version: 0 };
      await ctx.ports.balances.put(leg.account, {
        balance: before.balance + leg.amount,
        version: before.version + 1,
      });
    }
  } catch (error) {
    // The ledger has committed: the payment happened, whatever became of the balance writes.
    if (!(error instanceof StoreError)) throw error;
  }
}
