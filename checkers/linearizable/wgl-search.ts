/**
 * The Wing–Gong–Lowe linearizability search over one partition (one key), generic over a Model.
 * It walks the entry list from its head, linearizing the first call it can and backtracking when
 * it reaches a return whose op is not yet linearized; Lowe's memo of (linearized set, state)
 * prunes configurations already explored. A search succeeds as soon as every required (ok) op is
 * linearized: optional ops (info, pending) have no return entry, so they may linearize at any
 * point after their call, or never.
 *
 * Cost: exponential in the worst case (the problem is NP-complete); the memo makes the etcd
 * histories take milliseconds. Memory: the memo (memo-table.ts) and the interned linearized sets
 * (interned-bitset.ts), both capped, plus O(ops) words.
 */
import { BudgetExceeded } from '../deadline.ts';
import { InternedBitset } from './interned-bitset.ts';
import { MemoTable } from './memo-table.ts';
import type { Model } from './model.ts';
import { HEAD, NIL, SearchList, type TimedOp } from './search-list.ts';

export interface SearchOp<Input, Output> extends TimedOp {
  readonly input: Input;
  readonly output: Output;
}

/** A time budget, or several combined (the checker's deadline and a shrinking bound). */
export interface Expiry {
  expired(): boolean;
}

export interface SearchBudget {
  readonly deadline: Expiry;
  readonly memoEntriesMax: number;
  /** Cap on the nodes of interned linearized sets (interned-bitset.ts). */
  readonly setNodesMax: number;
  /** A hard cap on loop iterations over all start states, beyond the deadline. */
  readonly stepsMax: number;
  /** Names the partition in messages: "key x". */
  readonly label: string;
}

/** Accumulated over every search of a check, for stats. */
export interface SearchCounters {
  steps: number;
  memoEntriesMax: number;
  setNodesMax: number;
}

const DEADLINE_POLL_STEPS = 1024;

/**
 * `stuckAtOp`: where every order got stuck. The search only ever linearizes calls that come
 * before the first return it has not passed, so when it fails, the furthest return entry it
 * backtracked from bounds every call it ever linearized; `stuckAtOp` is the last op (in the ops'
 * order) whose call comes before that entry. The ops [0..stuckAtOp] alone, with later ops that
 * overlap them added as optional, fail from the same start states: their search walks exactly
 * the same configurations, every walk ending at the same return — every op after stuckAtOp is
 * called after that return, where no walk goes (failing-window.ts relies on it; property-tested
 * in test/checkers/linearizable/properties.test.ts).
 */
export type SearchOutcome =
  | { readonly linearizable: true }
  | { readonly linearizable: false; readonly stuckAtOp: number };

/**
 * Whether the ops admit a linearization starting from one of `startStates`. The memo is shared
 * between start states: a configuration that leads nowhere does so whatever state came before.
 */
export function searchLinearization<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly SearchOp<Input, Output>[],
  startStates: readonly State[],
  budget: SearchBudget,
  counters: SearchCounters,
): SearchOutcome {
  const memo = new MemoTable<State>(budget.memoEntriesMax, model.hash, model.equal, budget.label);
  const linearized = new InternedBitset(ops.length, budget.setNodesMax, budget.label);
  const search = new WglSearch(model, ops, memo, linearized, budget, counters);
  try {
    for (const start of startStates) if (search.run(start)) return { linearizable: true };
    return { linearizable: false, stuckAtOp: search.stuckAtOp() };
  } finally {
    counters.memoEntriesMax = Math.max(counters.memoEntriesMax, memo.size);
    counters.setNodesMax = Math.max(counters.setNodesMax, linearized.size);
  }
}

export function isLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly SearchOp<Input, Output>[],
  startStates: readonly State[],
  budget: SearchBudget,
  counters: SearchCounters,
): boolean {
  return searchLinearization(model, ops, startStates, budget, counters).linearizable;
}

class WglSearch<State, Input, Output> {
  private readonly list: SearchList;
  private readonly requiredCount: number;
  private readonly stackEntries: Int32Array;
  private readonly stackStates: State[];
  /** Steps of the runs before this one: the step cap holds over every start state. */
  private stepsBefore = 0;
  /** The furthest return entry any run backtracked from (entries are numbered in time order). */
  private blockEntryMax = HEAD;

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly ops: readonly SearchOp<Input, Output>[],
    private readonly memo: MemoTable<State>,
    private readonly linearized: InternedBitset,
    private readonly budget: SearchBudget,
    private readonly counters: SearchCounters,
  ) {
    this.list = new SearchList(ops);
    this.requiredCount = ops.filter((op) => Number.isFinite(op.endNs)).length;
    this.stackEntries = new Int32Array(ops.length);
    this.stackStates = new Array<State>(ops.length);
  }

  run(start: State): boolean {
    if (this.requiredCount === 0) return true;
    const { model, list, ops, linearized } = this;
    let state = start;
    let depth = 0;
    let requiredLeft = this.requiredCount;
    let entry = list.next[HEAD] as number;
    let steps = 0;
    try {
      for (;;) {
        steps += 1;
        this.poll(steps);
        if (entry === NIL) throw new Error(`${this.budget.label}: search ran off the entry list`);
        const op = list.opOf[entry] as number;
        if (op >= 0) {
          const searchOp = ops[op] as SearchOp<Input, Output>;
          const next = model.step(state, searchOp.input, searchOp.output);
          if (next !== null) {
            linearized.flip(op);
            if (this.memo.add(linearized.root, next)) {
              this.stackEntries[depth] = entry;
              this.stackStates[depth] = state;
              depth += 1;
              state = next;
              list.lift(entry);
              if (list.matchOf[entry] !== NIL) requiredLeft -= 1;
              if (requiredLeft === 0) return this.undoAll(depth);
              entry = list.next[HEAD] as number;
              continue;
            }
            linearized.flip(op);
          }
          entry = list.next[entry] as number;
          continue;
        }
        if (entry > this.blockEntryMax) this.blockEntryMax = entry;
        if (depth === 0) return false;
        depth -= 1;
        entry = this.stackEntries[depth] as number;
        state = this.stackStates[depth] as State;
        linearized.flip(list.opOf[entry] as number);
        list.unlift(entry);
        if (list.matchOf[entry] !== NIL) requiredLeft += 1;
        entry = list.next[entry] as number;
      }
    } finally {
      this.counters.steps += steps;
      this.stepsBefore += steps;
    }
  }

  /** After every run failed: the last op whose call precedes the furthest blocking return. */
  stuckAtOp(): number {
    const { list } = this;
    if (this.blockEntryMax === HEAD) throw new Error(`${this.budget.label}: no run backtracked`);
    let opMax = -1;
    for (let entry = 1; entry < this.blockEntryMax; entry += 1) {
      opMax = Math.max(opMax, list.opOf[entry] as number);
    }
    if (opMax < 0)
      throw new Error(`${this.budget.label}: a blocking return with no call before it`);
    return opMax;
  }

  /** Undoes a successful run so that the next start state begins from an empty configuration. */
  private undoAll(depth: number): true {
    for (let d = depth - 1; d >= 0; d -= 1) {
      const entry = this.stackEntries[d] as number;
      this.linearized.flip(this.list.opOf[entry] as number);
      this.list.unlift(entry);
    }
    return true;
  }

  private poll(steps: number): void {
    if (steps % DEADLINE_POLL_STEPS !== 0) return;
    if (this.stepsBefore + steps > this.budget.stepsMax) {
      throw new BudgetExceeded(`${this.budget.label}: search passed ${this.budget.stepsMax} steps`);
    }
    if (this.budget.deadline.expired()) {
      throw new BudgetExceeded(
        `${this.budget.label}: search gave up after ${this.stepsBefore + steps} steps`,
      );
    }
  }
}
