/**
 * compensation-order: compensations must undo steps in reverse order of when the steps ran.
 *
 * design.md does not say that a saga's steps are listed in execution order, but it does give
 * each step an optional `at` (when it completed). So step i ran before step j when both have
 * `at` and at(i) < at(j); only when one of them lacks `at` does the listed order stand in for
 * it. Two steps with equal `at` are unordered (a store with coarse timestamps may stamp both
 * alike), as are two equal compensation times. A violation is i ran before j, both really
 * compensated, and i compensated strictly before j.
 *
 * Cost: O(k log k) for the k really compensated steps of one saga (one sort by `at`), and two
 * small arrays of k entries, built only when a saga has at least two compensations.
 */
import type { SagaStep } from '../../history/op.ts';
import type { Anomaly } from '../checker.ts';
import { formatTimeNs } from '../format.ts';
import { spuriousReason } from './spurious-reason.ts';

/** How a violation's two steps were ordered: by their `at` times, or by the list. */
export type OrderBasis = 'at' | 'listed';

export interface Compensation {
  position: number;
  /** When the step completed, if the record says. */
  atNs: number | undefined;
  compensatedAtNs: number;
}

export interface OrderViolation {
  /** The step that ran first and was (wrongly) compensated first. */
  first: Compensation;
  second: Compensation;
  basis: OrderBasis;
}

/** The steps that were really compensated (not spurious) and say when, in listed order. */
function compensationsOf(steps: readonly SagaStep[]): Compensation[] {
  const found: Compensation[] = [];
  for (const [position, step] of steps.entries()) {
    if (step.status !== 'compensated' || step.compensatedAt === undefined) continue;
    if (spuriousReason(step) !== null) continue;
    found.push({ position, atNs: step.at, compensatedAtNs: step.compensatedAt });
  }
  return found;
}

/**
 * Pairs where both steps have `at`: walks them by `at`, keeping the earliest-compensated step
 * among those that ran strictly earlier; the first later step compensated after it is a
 * violation.
 */
function violationByAt(compensations: readonly Compensation[]): OrderViolation | null {
  const timed = compensations.filter((c) => c.atNs !== undefined);
  timed.sort((a, b) => (a.atNs as number) - (b.atNs as number) || a.position - b.position);
  let earliest: Compensation | null = null;
  let groupStart = 0;
  while (groupStart < timed.length) {
    let groupEnd = groupStart;
    while (groupEnd < timed.length && timed[groupEnd]!.atNs === timed[groupStart]!.atNs) {
      const later = timed[groupEnd]!;
      if (earliest !== null && earliest.compensatedAtNs < later.compensatedAtNs) {
        return { first: earliest, second: later, basis: 'at' };
      }
      groupEnd += 1;
    }
    for (let k = groupStart; k < groupEnd; k += 1) {
      const candidate = timed[k]!;
      if (earliest === null || candidate.compensatedAtNs < earliest.compensatedAtNs) {
        earliest = candidate;
      }
    }
    groupStart = groupEnd;
  }
  return null;
}

/**
 * Pairs where at least one step lacks `at`, ordered by the list: a step without `at` is
 * compared with every step listed before it, a step with `at` only with the untimed ones.
 */
function violationByList(compensations: readonly Compensation[]): OrderViolation | null {
  let earliestAny: Compensation | null = null;
  let earliestUntimed: Compensation | null = null;
  for (const later of compensations) {
    const earlier = later.atNs === undefined ? earliestAny : earliestUntimed;
    if (earlier !== null && earlier.compensatedAtNs < later.compensatedAtNs) {
      return { first: earlier, second: later, basis: 'listed' };
    }
    if (earliestAny === null || later.compensatedAtNs < earliestAny.compensatedAtNs) {
      earliestAny = later;
    }
    const untimed = later.atNs === undefined;
    if (
      untimed &&
      (earliestUntimed === null || later.compensatedAtNs < earliestUntimed.compensatedAtNs)
    ) {
      earliestUntimed = later;
    }
  }
  return null;
}

/** One violation of the saga, preferring one proved by `at` times over one by the list. */
export function findOrderViolation(steps: readonly SagaStep[]): OrderViolation | null {
  const compensations = compensationsOf(steps);
  if (compensations.length < 2) return null;
  return violationByAt(compensations) ?? violationByList(compensations);
}

/** "'reserve' ran at 1.000 s, before 'capture' at 2.000 s" or "'x' is listed before 'y' (...)". */
function describeRunOrder(violation: OrderViolation, early: string, late: string): string {
  const { first, second } = violation;
  if (violation.basis === 'at') {
    return `'${early}' ran at ${formatTimeNs(first.atNs as number)}, before '${late}' at ${formatTimeNs(second.atNs as number)},`;
  }
  const untimed = first.atNs === undefined ? early : late;
  return `'${early}' is listed before '${late}' ('${untimed}' has no "at" to order them by),`;
}

/** The anomaly for a violation; `sagaText` names the saga, `ops` are its lines. */
export function orderAnomaly(
  violation: OrderViolation,
  steps: readonly SagaStep[],
  sagaText: string,
  ops: number[],
): Anomaly {
  const { first, second } = violation;
  const early = steps[first.position]!.name;
  const late = steps[second.position]!.name;
  return {
    type: 'compensation-order',
    message: `${sagaText} step ${describeRunOrder(violation, early, late)} but was compensated first (at ${formatTimeNs(first.compensatedAtNs)}, '${late}' at ${formatTimeNs(second.compensatedAtNs)}): compensations must undo steps in reverse order`,
    ops,
    steps: [early, late],
    stepIndices: [first.position, second.position],
    orderedBy: violation.basis,
    at: [first.atNs ?? null, second.atNs ?? null],
    compensatedAt: [first.compensatedAtNs, second.compensatedAtNs],
  };
}
