/**
 * The saga recovery: in the instance whose region holds the SQL writer, it looks at every saga
 * still pending and, once it has been left alone for `sagaStaleMs` (its driver crashed, or lost
 * its stores), drives it to an end: forward when the capture is recorded done, otherwise void the
 * capture and compensate. After quiescence no saga stays pending.
 */
import { StoreError } from './ports.ts';
import type { InstanceContext } from './region-ports.ts';
import { STEP, step } from './saga-log.ts';
import { compensate, creditMerchant, readSaga } from './saga-steps.ts';
import { sagaTransaction } from './saga-transaction.ts';
import { TABLE } from './sql-schema.ts';

export async function runSagaRecovery(ctx: InstanceContext): Promise<void> {
  while (ctx.running()) {
    await ctx.ports.clock.sleep(ctx.config.timing.recoveryIntervalMs);
    try {
      if (await ctx.ports.sql.localIsWriter()) await recoverPending(ctx);
    } catch (error) {
      // The next pass starts over from the saga log.
      if (!(error instanceof StoreError)) throw error;
    }
  }
}

async function recoverPending(ctx: InstanceContext): Promise<void> {
  const { sql, clock, processor } = ctx.ports;
  const pending = await sql.readLocal((tx) =>
    tx.scan(TABLE.sagasPending, { limit: ctx.config.timing.recoveryBatchMax }),
  );
  const staleUs = ctx.config.timing.sagaStaleMs * 1000;
  for (const [id] of pending) {
    if (!ctx.running()) return;
    const saga = await sql.readLocal((tx) => readSaga(tx, id));
    if (saga === undefined || saga.status !== 'pending') continue;
    if (clock.nowUs() - saga.updatedAtUs < staleUs) continue;
    if (step(saga, STEP.capture).status === 'done') {
      await sagaTransaction(ctx, (tx, posting) => creditMerchant(tx, id, clock.nowUs(), posting));
    } else {
      await processor.void(id);
      await sagaTransaction(ctx, (tx, posting) => compensate(tx, id, clock.nowUs(), posting));
    }
  }
}
