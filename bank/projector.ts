/**
 * The balance projector: it drains the outbox in commit order and writes each account's absolute
 * balance into the key-value table, conditional on the replica holding an older version. It runs
 * in the instance whose region holds the SQL writer, so one projector writes at a time and its
 * puts, stamped by one region's store in order, replicate to every region in that order. A crash
 * or a failover loses nothing: outbox rows are deleted only once projected, and re-projecting a
 * row is a no-op (its version is not newer).
 *
 * A projector that takes over (at start, after a restart or a failover) first waits out the
 * puts its predecessor may still have in flight, then re-projects every balance from the
 * authoritative rows: a predecessor's late put of an older version, stamped later than what the
 * new projector wrote, would otherwise win under last-writer-wins. Re-projecting an equal version
 * stamps it again, after any such put.
 */
import { ACCOUNTS_MAX } from './bank-config.ts';
import { StoreError } from './ports.ts';
import type { BalanceItem, InstanceContext } from './region-ports.ts';
import { parseAccountRow, parseOutboxRow, TABLE } from './sql-schema.ts';

export async function runProjector(ctx: InstanceContext): Promise<void> {
  const { timing } = ctx.config;
  let active = false;
  while (ctx.running()) {
    await ctx.ports.clock.sleep(timing.projectIntervalMs);
    try {
      if (!(await ctx.ports.sql.localIsWriter())) {
        active = false;
        continue;
      }
      if (!active) {
        await ctx.ports.clock.sleep(timing.handoverDelayMs);
        await reproject(ctx);
        active = true;
      }
      await drainOutbox(ctx);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      // The store failed us mid-way: start over as a newcomer once it answers again.
      active = false;
    }
  }
}

async function projectBalance(
  ctx: InstanceContext,
  account: string,
  item: BalanceItem,
  replaceEqual: boolean,
): Promise<void> {
  await ctx.ports.balances.put(account, item, {
    condition: (current) =>
      current === undefined ||
      current.version < item.version ||
      (replaceEqual && current.version === item.version),
  });
}

async function drainOutbox(ctx: InstanceContext): Promise<void> {
  const rows = await ctx.ports.sql.readLocal((tx) =>
    tx.scan(TABLE.outbox, { limit: ctx.config.timing.projectBatchMax }),
  );
  if (rows.length === 0) return;
  for (const [key, row] of rows) {
    const { account, balance, version } = parseOutboxRow(row, key);
    await projectBalance(ctx, account, { balance, version }, false);
  }
  await ctx.ports.sql.transaction(
    async (tx) => {
      for (const [key] of rows) await tx.delete(TABLE.outbox, key);
    },
    { waitForReplication: ctx.config.waitForReplication },
  );
}

async function reproject(ctx: InstanceContext): Promise<void> {
  const rows = await ctx.ports.sql.transaction(
    (tx) => tx.scan(TABLE.accounts, { limit: ACCOUNTS_MAX }),
    { waitForReplication: ctx.config.waitForReplication },
  );
  for (const [account, row] of rows) {
    await projectBalance(ctx, account, parseAccountRow(row, account), true);
  }
}
