/**
 * The rules that judge one saga record from its own steps: stuck-saga, missing-compensation,
 * spurious-compensation and compensation-order. Pure: a record in, anomalies out. O(steps).
 */
import type { SagaRecord, SagaStep } from '../../history/op.ts';
import type { Anomaly } from '../checker.ts';
import { formatTimeNs } from '../format.ts';
import type { CheckoutRecord } from './checkout-book.ts';
import { describeClient, describeSaga, describeStatus, opsOf } from './saga-describe.ts';

/** A saga record as it sits in the history, with the checkout that started it (if any). */
export interface SagaInContext {
  saga: SagaRecord;
  lineIndex: number;
  checkout: CheckoutRecord | undefined;
}

function sagaOps(context: SagaInContext): number[] {
  return opsOf(context.checkout?.opIndices ?? [], [context.lineIndex]);
}

function stepDetails(step: SagaStep, position: number): Record<string, unknown> {
  return {
    step: step.name,
    stepIndex: position,
    stepStatus: step.status,
    at: step.at,
    compensatedAt: step.compensatedAt,
  };
}

/**
 * Why a step's compensation is spurious, or null. Only a step that completed (status
 * "compensated" with an `at`) can have been compensated. A "done" step's stray compensatedAt is
 * ignored: its status says the compensation did not happen, and missing-compensation judges that.
 */
export function spuriousReason(step: SagaStep): string | null {
  if (step.status === 'failed' || step.status === 'pending') {
    if (step.compensatedAt === undefined) return null;
    const what = step.status === 'failed' ? 'failed' : 'never ran';
    return `${what} but carries compensatedAt ${formatTimeNs(step.compensatedAt)}`;
  }
  if (step.status !== 'compensated') return null;
  if (step.at === undefined) return 'is marked compensated but never completed (it has no "at")';
  if (step.compensatedAt !== undefined && step.compensatedAt < step.at) {
    return `was compensated at ${formatTimeNs(step.compensatedAt)}, before it completed at ${formatTimeNs(step.at)}`;
  }
  return null;
}

export function judgeStuck(context: SagaInContext): Anomaly | null {
  const { saga, checkout } = context;
  if (saga.status !== 'pending') return null;
  const done = saga.steps.filter((step) => step.status === 'done').map((step) => `'${step.name}'`);
  const doneText = done.length === 0 ? 'no step done' : `step(s) ${done.join(', ')} done`;
  return {
    type: 'stuck-saga',
    message: `${describeSaga(saga.id, checkout)} is still pending after quiescence with ${doneText} and ${describeClient(checkout)}: resume it to completion or compensate it`,
    ops: sagaOps(context),
    saga: saga.id,
    sagaStatus: saga.status,
    doneSteps: done.length,
  };
}

export function judgeMissing(context: SagaInContext): Anomaly[] {
  const { saga, checkout } = context;
  if (saga.status !== 'compensated' && saga.status !== 'failed') return [];
  const anomalies: Anomaly[] = [];
  for (const [position, step] of saga.steps.entries()) {
    if (step.status !== 'done') continue;
    const doneAt = step.at === undefined ? '' : ` (done at ${formatTimeNs(step.at)})`;
    anomalies.push({
      type: 'missing-compensation',
      message: `${describeSaga(saga.id, checkout)} ${describeStatus(saga.status)} but its step '${step.name}'${doneAt} was never compensated: compensate it, or what it moved${checkout === undefined ? '' : ` (${checkout.amount})`} stays held`,
      ops: sagaOps(context),
      saga: saga.id,
      sagaStatus: saga.status,
      ...stepDetails(step, position),
    });
  }
  return anomalies;
}

export function judgeSpurious(context: SagaInContext): Anomaly[] {
  const { saga, checkout } = context;
  const anomalies: Anomaly[] = [];
  for (const [position, step] of saga.steps.entries()) {
    const reason = spuriousReason(step);
    if (reason === null) continue;
    anomalies.push({
      type: 'spurious-compensation',
      message: `${describeSaga(saga.id, checkout)} step '${step.name}' ${reason}: a compensation of a step that never took effect moves money that was never moved`,
      ops: sagaOps(context),
      saga: saga.id,
      sagaStatus: saga.status,
      ...stepDetails(step, position),
    });
  }
  return anomalies;
}

/** The compensation time of a step that was really compensated, or null. */
function compensatedAtOf(step: SagaStep): number | null {
  if (step.status !== 'compensated' || step.compensatedAt === undefined) return null;
  return spuriousReason(step) === null ? step.compensatedAt : null;
}

interface Compensation {
  position: number;
  timeNs: number;
}

export interface OrderViolation {
  first: Compensation;
  second: Compensation;
}

/**
 * Finds steps i < j (execution order), both really compensated, with i compensated strictly
 * before j. Equal times are no violation: a store with coarse timestamps may stamp two
 * compensations alike. Returns the earliest such i, paired with the latest-compensated later j.
 * O(steps): one backward pass keeps the latest-compensated step after each position.
 */
export function findOrderViolation(steps: readonly SagaStep[]): OrderViolation | null {
  const latestAfter: (Compensation | null)[] = new Array(steps.length).fill(null);
  let latest: Compensation | null = null;
  for (let position = steps.length - 1; position >= 0; position -= 1) {
    latestAfter[position] = latest;
    const timeNs = compensatedAtOf(steps[position]!);
    if (timeNs !== null && (latest === null || timeNs > latest.timeNs)) {
      latest = { position, timeNs };
    }
  }
  for (const [position, step] of steps.entries()) {
    const timeNs = compensatedAtOf(step);
    const later = latestAfter[position] ?? null;
    if (timeNs !== null && later !== null && timeNs < later.timeNs) {
      return { first: { position, timeNs }, second: later };
    }
  }
  return null;
}

export function judgeOrder(context: SagaInContext): Anomaly | null {
  const { saga, checkout } = context;
  const violation = findOrderViolation(saga.steps);
  if (violation === null) return null;
  const { first, second } = violation;
  const early = saga.steps[first.position]!.name;
  const late = saga.steps[second.position]!.name;
  return {
    type: 'compensation-order',
    message: `${describeSaga(saga.id, checkout)} compensated step '${early}' at ${formatTimeNs(first.timeNs)} before step '${late}' at ${formatTimeNs(second.timeNs)}, although '${early}' ran first: compensations must undo steps in reverse order`,
    ops: sagaOps(context),
    saga: saga.id,
    sagaStatus: saga.status,
    steps: [early, late],
    stepIndices: [first.position, second.position],
    compensatedAt: [first.timeNs, second.timeNs],
  };
}

/** Every rule of this file, in a fixed order. */
export function judgeSteps(context: SagaInContext): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const stuck = judgeStuck(context);
  if (stuck !== null) anomalies.push(stuck);
  anomalies.push(...judgeMissing(context), ...judgeSpurious(context));
  const order = judgeOrder(context);
  if (order !== null) anomalies.push(order);
  return anomalies;
}
