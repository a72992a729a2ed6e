/**
 * Shrinks a key's failure to a small window of its ops, so that a person reads a handful of ops
 * rather than the whole key.
 *
 * A window [first..last] is a contiguous run of the key's ops in invoke order. It FAILS when it
 * admits no linearization on its own: starting from the key's initial value when first = 0, and
 * from every state the key could be in otherwise, with every op outside the window that overlaps
 * it in time added as optional (it may linearize anywhere after its invoke, or never). A failing
 * window is a proof on its own that the key is not linearizable: in any linearization of the
 * whole key, an outside op placed between two window ops must overlap one of them (it was invoked
 * before the window's first invoke or after its last), so it is among the optional ops.
 *
 * "Smallest" window: every failing window ends at or after the op `last*` at which the prefix
 * [0..last*] first fails (widening a window only adds constraints, so failing is monotone); the
 * window reported ends at `last*` and starts at the latest `first` for which [first..last*] still
 * fails. Both are found by binary search, O(log n) searches. It is the shortest window among those
 * ending earliest, not necessarily the shortest of all.
 */
import { BudgetExceeded } from '../deadline.ts';
import type { KeyOp } from './key-history.ts';
import type { RegisterInput, RegisterOutput } from './register-model.ts';
import type { SearchOp } from './wgl-search.ts';

export interface Window {
  readonly first: number;
  readonly last: number;
}

export interface ShrunkWindow extends Window {
  /** False when a budget ran out while shrinking: the window is larger than it could be. */
  readonly shrunk: boolean;
}

type RegisterSearchOp = SearchOp<RegisterInput, RegisterOutput>;

function optional(op: KeyOp): RegisterSearchOp {
  return { input: op.input, output: op.output, startNs: op.startNs, endNs: Infinity };
}

/** The window's ops, plus the outside ops overlapping it as optional, in invoke order. */
export function windowSearchOps(ops: readonly KeyOp[], window: Window): RegisterSearchOp[] {
  const { first, last } = window;
  if (!(first >= 0 && first <= last && last < ops.length)) {
    throw new Error(`bad window [${first}..${last}] of ${ops.length} ops`);
  }
  const startNs = (ops[first] as KeyOp).startNs;
  let endNsMax = 0;
  for (let k = first; k <= last; k += 1) endNsMax = Math.max(endNsMax, (ops[k] as KeyOp).endNs);
  const result: RegisterSearchOp[] = [];
  for (let k = 0; k < first; k += 1) {
    const op = ops[k] as KeyOp;
    if (op.endNs >= startNs) result.push(optional(op));
  }
  for (let k = first; k <= last; k += 1) result.push(ops[k] as KeyOp);
  for (let k = last + 1; k < ops.length; k += 1) {
    const op = ops[k] as KeyOp;
    if (op.startNs > endNsMax) break;
    result.push(optional(op));
  }
  return result;
}

/**
 * The smallest failing window, given that the whole key [0..count-1] fails. `fails` may throw
 * BudgetExceeded: shrinking then stops with the smallest failing window proven so far.
 */
export function shrinkFailingWindow(
  count: number,
  fails: (window: Window) => boolean,
): ShrunkWindow {
  let best: Window = { first: 0, last: count - 1 };
  try {
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fails({ first: 0, last: mid })) hi = mid;
      else lo = mid + 1;
    }
    best = { first: 0, last: hi };
    lo = 0;
    let top = hi;
    while (lo < top) {
      const mid = (lo + top + 1) >>> 1;
      if (fails({ first: mid, last: best.last })) lo = mid;
      else top = mid - 1;
      if (lo > best.first) best = { first: lo, last: best.last };
    }
    return { ...best, shrunk: true };
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    return { ...best, shrunk: false };
  }
}
