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
  const { sql, clock } = ctx.ports;
  const options = { waitForReplication: ctx.config.waitForReplication };
  const run = <T>(fn: (tx: SqlTx) => Promise<T>) => sql.transaction(fn, options);
  return answering(async () => {
    const begun = await run((tx) => beginSaga(tx, request, clock.nowUs()));
    let saga = begun.saga;
    if (begun.existing) return sagaResponse(saga, `checkout ${saga.id} was rejected`);
    if (saga.status !== 'pending') return sagaResponse(saga, 'insufficient funds');
    const captured = await capture(ctx, saga);
    if (captured === 'captured') {
      saga = await run((tx) => markCaptured(tx, request.id, clock.nowUs()));
      if (saga.status === 'pending') {
        saga = await run((tx) => creditMerchant(tx, request.id, clock.nowUs()));
      }
      return sagaResponse(saga, `checkout ${saga.id} was compensated`);
    }
    if (captured === 'timeout' && ctx.config.bugs.has('skip-compensation-on-timeout')) {
      saga = await run((tx) => abandonAfterTimeout(tx, request.id, clock.nowUs()));
      return sagaResponse(saga, 'the capture timed out');
    }
    // A timed-out capture may have happened: void it (idempotent, sticky) before releasing.
    if (captured === 'timeout') await ctx.ports.processor.void(saga.id);
    saga = await run((tx) => compensate(tx, request.id, clock.nowUs()));
    return sagaResponse(saga, captured === 'timeout' ? 'the capture timed out' : 'declined');
  });
}
