/**
 * Shrinks a key's failure to a small window of its ops, so that a person reads a handful of ops
 * rather than the whole key.
 *
 * A window [first..last] is a contiguous run of the key's ops in invoke order. It FAILS when it
 * admits no linearization on its own: starting from the key's initial value when first = 0, and
 * from every value the key could hold when the window begins otherwise (windowStartStates), with
 * every op outside the window that overlaps it in time added as optional (it may linearize
 * anywhere after its invoke, or never). A failing window is a proof on its own that the key is
 * not linearizable: in any linearization of the whole key, an outside op placed between two
 * window ops must overlap one of them (it was invoked before the window's first invoke or after
 * its last), so it is among the optional ops.
 *
 * The window's end is free: the search of the whole key that found the violation says where
 * every order got stuck (`stuckAtOp`, wgl-search.ts), and [0..stuckAtOp] fails without another
 * search. The window's start is the latest `first` for which [first..last] still fails (failing
 * is monotone: widening a window only adds constraints), found by searching windows of 1, 2, 4,
 * ... ops back from `last`, then by bisection between the last that passed and the first that
 * failed — short windows first, because a window's search costs more the more ops it holds.
 *
 * Bounded: shrinking gets a budget of steps and time proportional to the search that found the
 * violation (key-check.ts). When a window's search exceeds it, shrinking stops with the smallest
 * failing window proven so far, and says so.
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
  /** Why shrinking stopped early (the budget's message), or null. */
  readonly stoppedBy: string | null;
}

type RegisterSearchOp = SearchOp<RegisterInput, RegisterOutput>;

function optional(op: KeyOp): RegisterSearchOp {
  return { input: op.input, output: op.output, startNs: op.startNs, endNs: Infinity };
}

function checkWindow(ops: readonly KeyOp[], window: Window): void {
  const { first, last } = window;
  if (!(first >= 0 && first <= last && last < ops.length)) {
    throw new Error(`bad window [${first}..${last}] of ${ops.length} ops`);
  }
}

function windowEndNsMax(ops: readonly KeyOp[], window: Window): number {
  let endNsMax = 0;
  for (let k = window.first; k <= window.last; k += 1) {
    endNsMax = Math.max(endNsMax, (ops[k] as KeyOp).endNs);
  }
  return endNsMax;
}

/** The window's ops, plus the outside ops overlapping it as optional, in invoke order. */
export function windowSearchOps(ops: readonly KeyOp[], window: Window): RegisterSearchOp[] {
  checkWindow(ops, window);
  const { first, last } = window;
  const startNs = (ops[first] as KeyOp).startNs;
  const endNsMax = windowEndNsMax(ops, window);
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
 * The states the window's search starts from: the initial value and every value an op before
 * the window writes (an op in or after the window is in the search, or begins after all of its
 * required ops ended, so it cannot have set the state the search starts from). States that no op
 * of the search reads or compares with behave alike until overwritten, so one of them stands for
 * all: a key of fresh values has as many states as ops, a window only a handful.
 */
export function windowStartStates(
  ops: readonly KeyOp[],
  window: Window,
  searchOps: readonly RegisterSearchOp[],
  initId: number,
): number[] {
  checkWindow(ops, window);
  const observed = new Set<number>();
  for (const { input, output } of searchOps) {
    if (input.f === 'read' && output.known) observed.add(output.value);
    else if (input.f === 'cas') observed.add(input.from);
  }
  const states = new Set<number>();
  let unobserved = -1;
  const consider = (value: number): void => {
    if (observed.has(value)) states.add(value);
    else if (unobserved === -1) unobserved = value;
  };
  consider(initId);
  for (let k = 0; k < window.first; k += 1) {
    const { input } = ops[k] as KeyOp;
    if (input.f === 'write') consider(input.value);
    else if (input.f === 'cas') consider(input.to);
  }
  if (unobserved !== -1) states.add(unobserved);
  return [...states];
}

/**
 * The smallest failing window ending at `last`, given that [0..last] fails. `fails` may throw
 * BudgetExceeded: shrinking then stops with the smallest failing window proven so far.
 */
export function shrinkFailingWindow(
  last: number,
  fails: (window: Window) => boolean,
): ShrunkWindow {
  let failing = 0;
  let passing = last + 1;
  try {
    for (let width = 1; last + 1 - width > failing; width *= 2) {
      const first = last + 1 - width;
      if (fails({ first, last })) {
        failing = first;
        break;
      }
      passing = first;
    }
    while (passing - failing > 1) {
      const mid = (failing + passing) >>> 1;
      if (fails({ first: mid, last })) failing = mid;
      else passing = mid;
    }
    return { first: failing, last, shrunk: true, stoppedBy: null };
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    return { first: failing, last, shrunk: false, stoppedBy: error.message };
  }
}
