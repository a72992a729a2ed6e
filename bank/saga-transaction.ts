/**
 * One transaction of a checkout saga that may move money. The correct bank posts outbox rows for
 * the projector; the 'lww-balance-update' bank posts none and, once the transaction has
 * committed, read-modify-writes the balances of the legs it posted in its own region, as its
 * payments do. Without this its sagas' outbox rows, which no projector drains under that bug,
 * would pile up and the bank would never settle.
 */
import type { Leg, PostingOptions } from './ledger-posting.ts';
import { readModifyWriteBalances } from './lww-balance-writes.ts';
import type { SqlTx } from './ports.ts';
import type { InstanceContext } from './region-ports.ts';

export async function sagaTransaction<T>(
  ctx: InstanceContext,
  fn: (tx: SqlTx, posting: PostingOptions) => Promise<T>,
): Promise<T> {
  const lwwBalances = ctx.config.bugs.has('lww-balance-update');
  const { result, posted } = await ctx.ports.sql.transaction(
    async (tx) => {
      // Fresh on every run of the function: a serialization conflict runs it again.
      const posting: PostingOptions = { outbox: !lwwBalances, posted: [] };
      const result = await fn(tx, posting);
      return { result, posted: posting.posted ?? ([] as Leg[]) };
    },
    { waitForReplication: ctx.config.waitForReplication },
  );
  if (lwwBalances) await readModifyWriteBalances(ctx, posted);
  return result;
}
