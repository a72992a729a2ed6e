/**
 * Checks one key alone (P-compositionality: a history is linearizable iff each key's is): first
 * the linear pre-pass for reads of values never written (never-written-reads.ts), then the
 * search; when the search fails, shrinks the failure to a window (failing-window.ts) within a
 * budget proportional to that search.
 */
import { performance } from 'node:perf_hooks';
import { BudgetExceeded, type Deadline } from '../deadline.ts';
import {
  type ShrunkWindow,
  shrinkFailingWindow,
  windowSearchOps,
  windowStartStates,
} from './failing-window.ts';
import type { KeyHistory, KeyOp } from './key-history.ts';
import { findNeverWrittenReads, type NeverWrittenReads } from './never-written-reads.ts';
import { createRegisterModel } from './register-model.ts';
import { dropUnobservedUnknowns } from './unobserved-unknowns.ts';
import {
  type Expiry,
  isLinearizable,
  type SearchBudget,
  type SearchCounters,
  searchLinearization,
} from './wgl-search.ts';

export interface KeyLimits {
  readonly deadline: Deadline;
  /** Memory budgets of one search: memo entries, and nodes of the interned linearized sets. */
  readonly memoEntriesMax: number;
  readonly setNodesMax: number;
  readonly stepsMax: number;
  /**
   * Shrinking may take this many times the steps and the time of the search that found the
   * violation, and at least the floors below: a search that failed in microseconds still earns
   * a few short window searches.
   */
  readonly shrinkFactor: number;
  readonly shrinkStepsMin: number;
  readonly shrinkMsMin: number;
}

export type KeyVerdict =
  | { readonly linearizable: true }
  | {
      readonly linearizable: false;
      readonly ops: readonly KeyOp[];
      readonly neverWritten: NeverWrittenReads;
    }
  | {
      readonly linearizable: false;
      readonly ops: readonly KeyOp[];
      readonly window: ShrunkWindow;
    };

class ShrinkDeadline implements Expiry {
  private readonly expiresAtMs: number;

  constructor(
    private readonly outer: Deadline,
    budgetMs: number,
  ) {
    this.expiresAtMs = performance.now() + budgetMs;
  }

  expired(): boolean {
    return this.outer.expired() || performance.now() >= this.expiresAtMs;
  }
}

function shrinkBudget(limits: KeyLimits, label: string, steps: number, ms: number): SearchBudget {
  const stepsMax = Math.max(limits.shrinkStepsMin, Math.ceil(limits.shrinkFactor * steps));
  const msMax = Math.max(limits.shrinkMsMin, limits.shrinkFactor * ms);
  return {
    deadline: new ShrinkDeadline(limits.deadline, msMax),
    memoEntriesMax: limits.memoEntriesMax,
    setNodesMax: limits.setNodesMax,
    stepsMax,
    label: `${label}: shrinking the failing window`,
  };
}

export interface KeyCounters extends SearchCounters {
  /** Unknown-outcome writes and cas ops whose value nothing observed (unobserved-unknowns.ts). */
  unobservedUnknownsDropped: number;
}

/** Throws BudgetExceeded when the whole-key search runs out of time or memory. */
export function checkKey(
  history: KeyHistory,
  limits: KeyLimits,
  counters: KeyCounters,
): KeyVerdict {
  const allOps = history.opsInInvokeOrder();
  const neverWritten = findNeverWrittenReads(allOps, history.initId);
  if (neverWritten !== null) return { linearizable: false, ops: allOps, neverWritten };
  const ops = dropUnobservedUnknowns(allOps);
  counters.unobservedUnknownsDropped += allOps.length - ops.length;
  const model = createRegisterModel(history.values, history.initId);
  const label = `key ${JSON.stringify(history.key)}`;
  const stepsBefore = counters.steps;
  const startedMs = performance.now();
  const outcome = searchLinearization(model, ops, [model.init()], { ...limits, label }, counters);
  if (outcome.linearizable) return { linearizable: true };
  const budget = shrinkBudget(
    limits,
    label,
    counters.steps - stepsBefore,
    performance.now() - startedMs,
  );
  const shrinkStepsBefore = counters.steps;
  const window = shrinkFailingWindow(outcome.stuckAtOp, (candidate) => {
    const searchOps = windowSearchOps(ops, candidate);
    const starts = windowStartStates(ops, candidate, searchOps, history.initId);
    const stepsLeft = budget.stepsMax - (counters.steps - shrinkStepsBefore);
    if (stepsLeft <= 0)
      throw new BudgetExceeded(`${budget.label}: used its ${budget.stepsMax} steps`);
    const windowBudget = { ...budget, stepsMax: stepsLeft };
    return !isLinearizable(model, searchOps, starts, windowBudget, counters);
  });
  return { linearizable: false, ops, window };
}
