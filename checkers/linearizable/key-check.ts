/**
 * Checks one key alone (P-compositionality: a history is linearizable iff each key's is), and
 * when it fails, shrinks the failure to a window (failing-window.ts).
 */
import type { Deadline } from '../deadline.ts';
import { type ShrunkWindow, shrinkFailingWindow, windowSearchOps } from './failing-window.ts';
import type { KeyHistory, KeyOp } from './key-history.ts';
import { createRegisterModel } from './register-model.ts';
import { isLinearizable, type SearchBudget, type SearchCounters } from './wgl-search.ts';

export interface KeyLimits {
  readonly deadline: Deadline;
  /** Memo budget in entries; the bitset bytes per entry grow with the key's op count. */
  readonly memoEntriesMax: number;
  readonly memoBytesMax: number;
  readonly stepsMax: number;
}

export type KeyVerdict =
  | { readonly linearizable: true }
  | { readonly linearizable: false; readonly window: ShrunkWindow; readonly ops: readonly KeyOp[] };

/** Bytes a memo entry costs beyond its bitset: a state slot, a map slot, chain overhead. */
const MEMO_ENTRY_OVERHEAD_BYTES = 48;

function searchBudget(key: string, opsCount: number, limits: KeyLimits): SearchBudget {
  const entryBytes = 4 * Math.max(1, Math.ceil(opsCount / 32)) + MEMO_ENTRY_OVERHEAD_BYTES;
  return {
    deadline: limits.deadline,
    memoEntriesMax: Math.max(
      1,
      Math.min(limits.memoEntriesMax, Math.floor(limits.memoBytesMax / entryBytes)),
    ),
    stepsMax: limits.stepsMax,
    label: `key ${JSON.stringify(key)}`,
  };
}

/** Throws BudgetExceeded when the whole-key search runs out of time or memory. */
export function checkKey(
  history: KeyHistory,
  limits: KeyLimits,
  counters: SearchCounters,
): KeyVerdict {
  const ops = history.opsInInvokeOrder();
  const model = createRegisterModel(history.values, history.initId);
  const budget = searchBudget(history.key, ops.length, limits);
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
