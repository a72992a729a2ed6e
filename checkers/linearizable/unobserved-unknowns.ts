/**
 * Drops the writes and cas ops of unknown outcome (info, or pending at the end) whose value no
 * kept op ever observes, before the search. They are what makes lab and AWS histories explode:
 * every client timeout during a failover leaves an op open to the end of the history, concurrent
 * with everything after it, and the search tries each of them at every point.
 *
 * Sound both ways, for the register model. An op U of unknown outcome whose `to` value v is
 * neither returned by an ok read (final reads included) nor the `from` of a kept cas:
 * - if the history without U has a linearization, appending U at its end is one of the history
 *   with U (U never returned, so no op must follow it; a write always applies, a cas that would
 *   fail there is simply not linearized, which an unknown outcome allows);
 * - if the history with U has a linearization, removing U leaves one: the only kept ops that
 *   depend on the state U left are reads returning v and cas ops from v, and there are none.
 * Dropping a cas can un-observe its `from` value, so the pass repeats until nothing changes
 * (each round drops at least one op, so at most ops.length rounds).
 *
 * Reads of unknown outcome never get here (key-history.ts drops them).
 */
import type { KeyOp } from './key-history.ts';

function writtenValue(op: KeyOp): number | null {
  if (op.output.known) return null;
  if (op.input.f === 'write') return op.input.value;
  if (op.input.f === 'cas') return op.input.to;
  return null;
}

function observedValues(ops: readonly KeyOp[]): Set<number> {
  const observed = new Set<number>();
  for (const { input, output } of ops) {
    if (input.f === 'read') {
      if (!output.known) throw new Error('a read of unknown outcome reached the search');
      observed.add(output.value);
    } else if (input.f === 'cas') {
      observed.add(input.from);
    }
  }
  return observed;
}

/** The ops the search needs, in the same (invoke) order; `ops` itself when nothing drops. */
export function dropUnobservedUnknowns(ops: readonly KeyOp[]): readonly KeyOp[] {
  let kept = ops;
  for (let round = 0; round <= ops.length; round += 1) {
    const observed = observedValues(kept);
    const next = kept.filter((op) => {
      const value = writtenValue(op);
      return value === null || observed.has(value);
    });
    if (next.length === kept.length) return kept;
    kept = next;
  }
  throw new Error('dropping unobserved unknown ops did not settle: each round must drop one');
}
