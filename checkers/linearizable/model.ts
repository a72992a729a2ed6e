/**
 * A sequential specification for the linearizability search, after Porcupine's model: a plain
 * record of pure functions. The search knows nothing of the domain (registers, queues, ...); the
 * domain knows nothing of the search.
 */
export interface Model<State, Input, Output> {
  readonly name: string;
  /** The object's state before any op. */
  init(): State;
  /**
   * The state after `input` applied to `state` produced `output`, or null when that output is
   * impossible from that state. Must not mutate `state`.
   */
  step(state: State, input: Input, output: Output): State | null;
  /** A 32-bit hash of a state; equal states hash alike. */
  hash(state: State): number;
  equal(a: State, b: State): boolean;
  /** "write 3", "read returned 2": an op for people. */
  describeOp(input: Input, output: Output): string;
  describeState(state: State): string;
}
