/**
 * The checkout saga's transactions. Each moves money (ledger entries with tx = the saga id) and
 * records the step in the saga log in one SQL transaction, and each applies only from the state
 * it expects (a compare-and-set on the saga row): when the request handler and the recovery
 * drive the same saga, one of them wins each step and the other sees what it did.
 *
 * Steps: reserve (from -> hold, with the funds check), capture (at the payment processor: no
 * money moves in the ledger), credit-merchant (hold -> to). Compensations in reverse order: void
 * the capture at the processor (before the transaction), then release the hold (hold -> from).
 */
import { HOLD_ACCOUNT } from './bank-config.ts';
import {
  firstShortLeg,
  type Leg,
  type PostingOptions,
  postLegs,
  reversed,
} from './ledger-posting.ts';
import type { SqlTx } from './ports.ts';
import {
  newSagaRow,
  nextStampNs,
  parseSagaRow,
  type SagaRow,
  STEP,
  sagaRowJson,
  step,
} from './saga-log.ts';
import { TABLE } from './sql-schema.ts';

export interface CheckoutRequest {
  id: string;
  from: string;
  to: string;
  amount: number;
}

function reserveLegs(saga: CheckoutRequest): Leg[] {
  return [
    { account: saga.from, amount: -saga.amount },
    { account: HOLD_ACCOUNT, amount: saga.amount },
  ];
}

function creditLegs(saga: CheckoutRequest): Leg[] {
  return [
    { account: HOLD_ACCOUNT, amount: -saga.amount },
    { account: saga.to, amount: saga.amount },
  ];
}

export async function readSaga(tx: Pick<SqlTx, 'get'>, id: string): Promise<SagaRow | undefined> {
  const row = await tx.get(TABLE.sagas, id);
  return row === undefined ? undefined : parseSagaRow(row, id);
}

async function save(tx: SqlTx, saga: SagaRow, nowUs: number): Promise<SagaRow> {
  saga.updatedAtUs = nowUs;
  await tx.put(TABLE.sagas, saga.id, sagaRowJson(saga));
  if (saga.status === 'pending') await tx.put(TABLE.sagasPending, saga.id, {});
  else await tx.delete(TABLE.sagasPending, saga.id);
  return saga;
}

/** `existing`: a saga with this id was already begun (a retry): nothing was done. */
export async function beginSaga(
  tx: SqlTx,
  request: CheckoutRequest,
  nowUs: number,
  posting: PostingOptions,
): Promise<{ saga: SagaRow; existing: boolean }> {
  const prior = await readSaga(tx, request.id);
  if (prior !== undefined) return { saga: prior, existing: true };
  const saga = newSagaRow(request, nowUs);
  const reserve = step(saga, STEP.reserve);
  if ((await firstShortLeg(tx, reserveLegs(saga))) !== undefined) {
    reserve.status = 'failed';
    saga.status = 'failed';
  } else {
    await postLegs(tx, saga.id, reserveLegs(saga), posting);
    reserve.status = 'done';
    reserve.at = nextStampNs(saga, nowUs);
  }
  return { saga: await save(tx, saga, nowUs), existing: false };
}

/** Loads a saga that must exist; returns it unchanged unless `expect` holds of it. */
async function casSaga(
  tx: SqlTx,
  id: string,
  expect: (saga: SagaRow) => boolean,
): Promise<{ saga: SagaRow; applies: boolean }> {
  const saga = await readSaga(tx, id);
  if (saga === undefined) throw new Error(`saga ${id} has no record in the saga log`);
  return { saga, applies: saga.status === 'pending' && expect(saga) };
}

const capturePending = (saga: SagaRow) => step(saga, STEP.capture).status === 'pending';

export async function markCaptured(tx: SqlTx, id: string, nowUs: number): Promise<SagaRow> {
  const { saga, applies } = await casSaga(tx, id, capturePending);
  if (!applies) return saga;
  const capture = step(saga, STEP.capture);
  capture.status = 'done';
  capture.at = nextStampNs(saga, nowUs);
  return save(tx, saga, nowUs);
}

export async function creditMerchant(
  tx: SqlTx,
  id: string,
  nowUs: number,
  posting: PostingOptions,
): Promise<SagaRow> {
  const { saga, applies } = await casSaga(
    tx,
    id,
    (s) => step(s, STEP.capture).status === 'done' && step(s, STEP.credit).status === 'pending',
  );
  if (!applies) return saga;
  await postLegs(tx, saga.id, creditLegs(saga), posting);
  const credit = step(saga, STEP.credit);
  credit.status = 'done';
  credit.at = nextStampNs(saga, nowUs);
  saga.status = 'completed';
  return save(tx, saga, nowUs);
}

/**
 * The capture failed or was voided (the processor holds nothing for this saga): record it failed
 * and release the hold, all in one transaction.
 */
export async function compensate(
  tx: SqlTx,
  id: string,
  nowUs: number,
  posting: PostingOptions,
): Promise<SagaRow> {
  const { saga, applies } = await casSaga(tx, id, capturePending);
  if (!applies) return saga;
  step(saga, STEP.capture).status = 'failed';
  await postLegs(tx, saga.id, reversed(reserveLegs(saga)), posting);
  const reserve = step(saga, STEP.reserve);
  reserve.status = 'compensated';
  reserve.compensatedAt = nextStampNs(saga, nowUs);
  saga.status = 'compensated';
  return save(tx, saga, nowUs);
}

/**
 * The planted bug 'skip-compensation-on-timeout': the capture timed out, and the saga is closed
 * as compensated without undoing anything: the reservation stays in the hold.
 */
export async function abandonAfterTimeout(tx: SqlTx, id: string, nowUs: number): Promise<SagaRow> {
  const { saga, applies } = await casSaga(tx, id, capturePending);
  if (!applies) return saga;
  step(saga, STEP.capture).status = 'failed';
  saga.status = 'compensated';
  return save(tx, saga, nowUs);
}
