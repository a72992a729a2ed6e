/**
 * The rules that judge one saga record from its own steps: stuck-saga, missing-compensation,
 * spurious-compensation and compensation-order. Pure: a record in, anomalies out.
 * O(steps log steps): only compensation-order sorts.
 */
import type { SagaRecord, SagaStep } from '../../history/op.ts';
import type { Anomaly } from '../checker.ts';
import { formatTimeNs } from '../format.ts';
import type { CheckoutRecord } from './checkout-book.ts';
import { findOrderViolation, orderAnomaly } from './compensation-order.ts';
import { describeClient, describeSaga, describeStatus, opsOf } from './saga-describe.ts';
import { spuriousReason } from './spurious-reason.ts';

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

export function judgeOrder(context: SagaInContext): Anomaly | null {
  const { saga, checkout } = context;
  const violation = findOrderViolation(saga.steps);
  if (violation === null) return null;
  return {
    ...orderAnomaly(violation, saga.steps, describeSaga(saga.id, checkout), sagaOps(context)),
    saga: saga.id,
    sagaStatus: saga.status,
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
