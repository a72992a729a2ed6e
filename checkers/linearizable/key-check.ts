/**
 * Checks one key alone (P-compositionality: a history is linearizable iff each key's is), and
 * when it fails, shrinks the failure to a window (failing-window.ts).
 */
import type { Deadline } from '../deadline.ts';
import { type ShrunkWindow, shrinkFailingWindow, windowSearchOps } from './failing-window.ts';
import type { KeyHistory, KeyOp } from './key-history.ts';
import { createRegisterModel } from './register-model.ts';
import { isLinearizable, type SearchCounters } from './wgl-search.ts';

export interface KeyLimits {
  readonly deadline: Deadline;
  /** Memory budgets of one search: memo entries, and nodes of the interned linearized sets. */
  readonly memoEntriesMax: number;
  readonly setNodesMax: number;
  readonly stepsMax: number;
}

export type KeyVerdict =
  | { readonly linearizable: true }
  | { readonly linearizable: false; readonly window: ShrunkWindow; readonly ops: readonly KeyOp[] };

/** Throws BudgetExceeded when the whole-key search runs out of time or memory. */
export function checkKey(
  history: KeyHistory,
  limits: KeyLimits,
  counters: SearchCounters,
): KeyVerdict {
  const ops = history.opsInInvokeOrder();
  const model = createRegisterModel(history.values, history.initId);
  const budget = { ...limits, label: `key ${JSON.stringify(history.key)}` };
  const init = [model.init()];
  if (isLinearizable(model, ops, init, budget, counters)) return { linearizable: true };
  const anyState = model.reachableStates(ops.map((op) => op.input));
  const window = shrinkFailingWindow(ops.length, (candidate) => {
    const searchOps = windowSearchOps(ops, candidate);
    const starts = candidate.first === 0 ? init : anyState;
    return !isLinearizable(model, searchOps, starts, budget, counters);
  });
  return { linearizable: false, window, ops };
}
