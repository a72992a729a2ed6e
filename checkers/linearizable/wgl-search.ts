/**
 * The Wing–Gong–Lowe linearizability search over one partition (one key), generic over a Model.
 * It walks the entry list from its head, linearizing the first call it can and backtracking when
 * it reaches a return whose op is not yet linearized; Lowe's memo of (linearized set, state)
 * prunes configurations already explored. A search succeeds as soon as every required (ok) op is
 * linearized: optional ops (info, pending) have no return entry, so they may linearize at any
 * point after their call, or never.
 *
 * Cost: exponential in the worst case (the problem is NP-complete); the memo makes the etcd
 * histories take milliseconds. Memory: the memo (see memo-table.ts) plus O(ops) words.
 */
import type { Deadline } from '../deadline.ts';
import { BudgetExceeded } from '../deadline.ts';
import { MemoTable } from './memo-table.ts';
import type { Model } from './model.ts';
import { HEAD, NIL, SearchList, type TimedOp } from './search-list.ts';

export interface SearchOp<Input, Output> extends TimedOp {
  readonly input: Input;
  readonly output: Output;
}

export interface SearchBudget {
  readonly deadline: Deadline;
  readonly memoEntriesMax: number;
  /** A hard cap on loop iterations, beyond the deadline. */
  readonly stepsMax: number;
  /** Names the partition in messages: "key x". */
  readonly label: string;
}

/** Accumulated over every search of a check, for stats. */
export interface SearchCounters {
  steps: number;
  memoEntriesMax: number;
}

const DEADLINE_POLL_STEPS = 1024;

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Zobrist keys: the linearized set's hash is the XOR of its ops' keys, updated in O(1). */
function zobristKeys(count: number): Uint32Array {
  const keys = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) keys[i] = mix32(Math.imul(i + 1, 0x9e3779b1));
  return keys;
}

/**
 * True when the ops admit a linearization starting from one of `startStates`. The memo is shared
 * between start states: a configuration that leads nowhere does so whatever state came before.
 */
export function isLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly SearchOp<Input, Output>[],
  startStates: readonly State[],
  budget: SearchBudget,
  counters: SearchCounters,
): boolean {
  const memo = new MemoTable<State>(ops.length, budget.memoEntriesMax, model.equal, budget.label);
  const search = new WglSearch(model, ops, memo, budget, counters);
  try {
    for (const start of startStates) if (search.run(start)) return true;
    return false;
  } finally {
    counters.memoEntriesMax = Math.max(counters.memoEntriesMax, memo.size);
  }
}

class WglSearch<State, Input, Output> {
  private readonly list: SearchList;
  private readonly zobrist: Uint32Array;
  private readonly bits: Uint32Array;
  private readonly requiredCount: number;
  private readonly stackEntries: Int32Array;
  private readonly stackStates: State[];

  constructor(
    private readonly model: Model<State, Input, Output>,
    private readonly ops: readonly SearchOp<Input, Output>[],
    private readonly memo: MemoTable<State>,
    private readonly budget: SearchBudget,
    private readonly counters: SearchCounters,
  ) {
    this.list = new SearchList(ops);
    this.zobrist = zobristKeys(ops.length);
    this.bits = new Uint32Array(Math.max(1, Math.ceil(ops.length / 32)));
    this.requiredCount = ops.filter((op) => Number.isFinite(op.endNs)).length;
    this.stackEntries = new Int32Array(ops.length);
    this.stackStates = new Array<State>(ops.length);
  }

  run(start: State): boolean {
    if (this.requiredCount === 0) return true;
    const { model, list, ops, bits, zobrist } = this;
    let state = start;
    let setHash = 0;
    let depth = 0;
    let requiredLeft = this.requiredCount;
    let entry = list.next[HEAD] as number;
    for (let steps = 1; ; steps += 1) {
      this.poll(steps);
      if (entry === NIL) throw new Error(`${this.budget.label}: search ran off the entry list`);
      const op = list.opOf[entry] as number;
      if (op >= 0) {
        const searchOp = ops[op] as SearchOp<Input, Output>;
        const next = model.step(state, searchOp.input, searchOp.output);
        if (next !== null) {
          const word = op >>> 5;
          const bit = 1 << (op & 31);
          bits[word] = (bits[word] as number) | bit;
          const nextHash = (setHash ^ (zobrist[op] as number)) >>> 0;
          if (
            this.memo.add((nextHash ^ Math.imul(model.hash(next), 0x27d4eb2f)) >>> 0, bits, next)
          ) {
            this.stackEntries[depth] = entry;
            this.stackStates[depth] = state;
            depth += 1;
            state = next;
            setHash = nextHash;
            list.lift(entry);
            if (list.matchOf[entry] !== NIL) requiredLeft -= 1;
            if (requiredLeft === 0) return this.finishRun(steps, depth);
            entry = list.next[HEAD] as number;
            continue;
          }
          bits[word] = (bits[word] as number) & ~bit;
        }
        entry = list.next[entry] as number;
        continue;
      }
      if (depth === 0) {
        this.counters.steps += steps;
        return false;
      }
      depth -= 1;
      entry = this.stackEntries[depth] as number;
      state = this.stackStates[depth] as State;
      const undone = list.opOf[entry] as number;
      bits[undone >>> 5] = (bits[undone >>> 5] as number) & ~(1 << (undone & 31));
      setHash = (setHash ^ (zobrist[undone] as number)) >>> 0;
      list.unlift(entry);
      if (list.matchOf[entry] !== NIL) requiredLeft += 1;
      entry = list.next[entry] as number;
    }
  }

  /** Undoes a successful run so that the next start state begins from an empty configuration. */
  private finishRun(steps: number, depth: number): true {
    this.counters.steps += steps;
    for (let d = depth - 1; d >= 0; d -= 1) this.list.unlift(this.stackEntries[d] as number);
    this.bits.fill(0);
    return true;
  }

  private poll(steps: number): void {
    if (steps % DEADLINE_POLL_STEPS !== 0) return;
    if (steps > this.budget.stepsMax) {
      throw new BudgetExceeded(`${this.budget.label}: search passed ${this.budget.stepsMax} steps`);
    }
    if (this.budget.deadline.expired()) {
      throw new BudgetExceeded(`${this.budget.label}: search gave up after ${steps} steps`);
    }
  }
}
