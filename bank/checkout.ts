/**
 * The checkout request: begin the saga and reserve (one transaction), capture at the processor,
 * then credit the merchant, or compensate. A failure of the bank's own stores mid-way leaves the
 * saga pending in the log and the client an unknown outcome: the recovery finishes it.
 */
import type { BankRequest, BankResponse } from './api.ts';
import { isSystemAccount } from './bank-config.ts';
import { type CaptureResult, type SqlTx, StoreError } from './ports.ts';
import type { InstanceContext } from './region-ports.ts';
import { answering, ok, rejected, unknown } from './responses.ts';
import type { SagaRow } from './saga-log.ts';
import {
  abandonAfterTimeout,
  beginSaga,
  compensate,
  creditMerchant,
  markCaptured,
} from './saga-steps.ts';
import { sagaTransaction } from './saga-transaction.ts';

type CheckoutRequest = Extract<BankRequest, { kind: 'checkout' }>;

/** What the client is told of a saga in the state the log holds. */
export function sagaResponse(saga: SagaRow, why: string): BankResponse {
  if (saga.status === 'completed') return ok();
  if (saga.status === 'pending') return unknown(`saga ${saga.id} is still in progress`);
  return rejected(why);
}

function invalid(ctx: InstanceContext, request: CheckoutRequest): string | undefined {
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) {
    return 'amount must be a positive integer';
  }
  for (const account of [request.from, request.to]) {
    if (!ctx.config.accounts.has(account)) return `unknown account ${account}`;
    if (isSystemAccount(account)) return `${account} is a system account`;
  }
  return undefined;
}

/** A timeout is its own outcome: the capture may or may not have happened. */
async function capture(ctx: InstanceContext, saga: SagaRow): Promise<CaptureResult | 'timeout'> {
  try {
    return await ctx.ports.processor.capture(saga.id, saga.amount);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return error.definite ? 'declined' : 'timeout';
  }
}

export function handleCheckout(
  ctx: InstanceContext,
  request: CheckoutRequest,
): Promise<BankResponse> {
  const why = invalid(ctx, request);
  if (why !== undefined) return Promise.resolve(rejected(why));
  const { clock } = ctx.ports;
  return answering(async () => {
    const begun = await sagaTransaction(ctx, (tx, posting) =>
      beginSaga(tx, request, clock.nowUs(), posting),
    );
    const saga = begun.saga;
    if (begun.existing) return sagaResponse(saga, `checkout ${saga.id} was rejected`);
    if (saga.status !== 'pending') return sagaResponse(saga, 'insufficient funds');
    try {
      return await driveSaga(ctx, saga);
    } catch (error) {
      // Once reserved, the saga is the recovery's to finish: the client cannot be told more.
      if (!(error instanceof StoreError)) throw error;
      return unknown(`saga ${saga.id} is left pending for recovery: ${error.message}`);
    }
  });
}

function inTransaction<T>(ctx: InstanceContext, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  return ctx.ports.sql.transaction(fn, { waitForReplication: ctx.config.waitForReplication });
}

async function driveSaga(ctx: InstanceContext, reserved: SagaRow): Promise<BankResponse> {
  const { clock, processor } = ctx.ports;
  const id = reserved.id;
  const captured = await capture(ctx, reserved);
  let saga: SagaRow;
  if (captured === 'captured') {
    saga = await inTransaction(ctx, (tx) => markCaptured(tx, id, clock.nowUs()));
    if (saga.status === 'pending') {
      saga = await sagaTransaction(ctx, (tx, posting) =>
        creditMerchant(tx, id, clock.nowUs(), posting),
      );
    }
    return sagaResponse(saga, `checkout ${id} was compensated`);
  }
  if (captured === 'timeout' && ctx.config.bugs.has('skip-compensation-on-timeout')) {
    saga = await inTransaction(ctx, (tx) => abandonAfterTimeout(tx, id, clock.nowUs()));
    return sagaResponse(saga, 'the capture timed out');
  }
  // A timed-out capture may have happened: void it (idempotent, sticky) before releasing.
  if (captured === 'timeout') await processor.void(id);
  saga = await sagaTransaction(ctx, (tx, posting) => compensate(tx, id, clock.nowUs(), posting));
  return sagaResponse(saga, captured === 'timeout' ? 'the capture timed out' : 'declined');
}
