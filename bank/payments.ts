/**
 * Transfers, deposits and withdrawals: one serializable transaction on the SQL writer ("write
 * global") that checks the idempotency key, checks funds on the authoritative balance, posts the
 * double entry and the outbox rows, and records the outcome under the op id. It commits with
 * waitForReplication, so an acknowledged payment survives a failover.
 */
import type { BankRequest, BankResponse } from './api.ts';
import { isSystemAccount } from './bank-config.ts';
import { firstShortLeg, type Leg, postLegs } from './ledger-posting.ts';
import { readModifyWriteBalances } from './lww-balance-writes.ts';
import type { SqlRowRef, SqlTx } from './ports.ts';
import type { InstanceContext } from './region-ports.ts';
import { answering, ok, rejected } from './responses.ts';
import { type IdempotencyRow, parseIdempotencyRow, SEQ_KEY, TABLE } from './sql-schema.ts';

type PaymentRequest = Extract<BankRequest, { kind: 'transfer' | 'deposit' | 'withdraw' }>;

export interface PaymentPlan {
  id: string;
  legs: Leg[];
}

export const INSUFFICIENT_FUNDS = 'insufficient funds';

/** The legs of a payment, or why it is rejected before any store is asked. */
export function planPayment(
  request: PaymentRequest,
  accounts: ReadonlyMap<string, unknown>,
): PaymentPlan | string {
  const { id, amount } = request;
  if (!Number.isSafeInteger(amount) || amount <= 0) return `amount must be a positive integer`;
  const legs: Leg[] =
    request.kind === 'transfer'
      ? [
          { account: request.from, amount: -amount },
          { account: request.to, amount },
        ]
      : [{ account: request.account, amount: request.kind === 'deposit' ? amount : -amount }];
  for (const leg of legs) {
    if (!accounts.has(leg.account)) return `unknown account ${leg.account}`;
    if (isSystemAccount(leg.account)) return `${leg.account} is a system account`;
  }
  return { id, legs };
}

interface ApplyMode {
  checkIdempotency: boolean;
  /** Set under 'funds-check-on-replica': the replica's verdict replaces the writer's check. */
  replicaShort: boolean | undefined;
  outbox: boolean;
}

/** The outcome, and whether it was a replay of an earlier attempt with the same id. */
type Applied = { row: IdempotencyRow; replay: boolean };

async function applyPayment(tx: SqlTx, plan: PaymentPlan, mode: ApplyMode): Promise<Applied> {
  if (mode.checkIdempotency) {
    const prior = await tx.get(TABLE.idempotency, plan.id);
    if (prior !== undefined) {
      // Rewritten, not just read: the first attempt may have committed on the writer and not
      // yet replicated (its client timed out waiting). This commit waits for replication too,
      // and follows it in the log, so the replay is acknowledged only once both are everywhere.
      await tx.put(TABLE.idempotency, plan.id, prior);
      return { row: parseIdempotencyRow(prior, plan.id), replay: true };
    }
  }
  const short = mode.replicaShort ?? (await firstShortLeg(tx, plan.legs)) !== undefined;
  const row: IdempotencyRow = short
    ? { outcome: 'rejected', error: INSUFFICIENT_FUNDS }
    : { outcome: 'ok' };
  if (!short) await postLegs(tx, plan.id, plan.legs, { outbox: mode.outbox });
  await tx.put(TABLE.idempotency, plan.id, row);
  return { row, replay: false };
}

/** The rows applyPayment reads, named so that an adapter may read them with the start. */
function paymentReads(plan: PaymentPlan, mode: ApplyMode): SqlRowRef[] {
  const reads: SqlRowRef[] = plan.legs.map((leg) => ({ table: TABLE.accounts, key: leg.account }));
  reads.push({ table: TABLE.meta, key: SEQ_KEY });
  if (mode.checkIdempotency) reads.push({ table: TABLE.idempotency, key: plan.id });
  return reads;
}

export function handlePayment(
  ctx: InstanceContext,
  request: PaymentRequest,
): Promise<BankResponse> {
  const plan = planPayment(request, ctx.config.accounts);
  if (typeof plan === 'string') return Promise.resolve(rejected(plan));
  const { bugs, waitForReplication } = ctx.config;
  return answering(async () => {
    const replicaShort = bugs.has('funds-check-on-replica')
      ? await ctx.ports.sql.readLocal(
          async (tx) => (await firstShortLeg(tx, plan.legs)) !== undefined,
        )
      : undefined;
    const lwwBalances = bugs.has('lww-balance-update');
    const mode: ApplyMode = {
      checkIdempotency: !bugs.has('retry-without-idempotency'),
      replicaShort,
      outbox: !lwwBalances,
    };
    const applied = await ctx.ports.sql.transaction((tx) => applyPayment(tx, plan, mode), {
      waitForReplication,
      reads: paymentReads(plan, mode),
    });
    if (applied.row.outcome === 'rejected') return rejected(applied.row.error);
    if (lwwBalances && !applied.replay) await readModifyWriteBalances(ctx, plan.legs);
    return ok();
  });
}
