/**
 * The linear pre-pass: an ok read (or a final read) of a value that neither the key's initial
 * value nor any write or cas kept for the key (ok, info or pending: failed ops are dropped, they
 * did not happen) could have put there admits no linearization, whatever the order of the other
 * ops. Found in O(n) before any search, because the search would have to rule out every order
 * first: one such read among 16 ops of unknown outcome ran a search to its memory budget.
 *
 * A cas `to` counts as a value the key could hold (an ok or unknown cas may have set it); a cas
 * `from` does not (comparing puts nothing in the register). A read whose outcome is unknown was
 * dropped by the key history and is not judged. Reads are judged by the value their ok line
 * carries, `null` included: `null` is producible only when it is the initial value or written.
 */
import type { KeyOp } from './key-history.ts';

export interface NeverWrittenReads {
  /** Position (in invoke order) of the first read of a value never written. */
  readonly firstPosition: number;
  /** How many reads of the key returned a value never written. */
  readonly count: number;
}

/** Null when every read returned a value that some op (or init) could have produced. */
export function findNeverWrittenReads(
  ops: readonly KeyOp[],
  initId: number,
): NeverWrittenReads | null {
  const producible = new Set<number>([initId]);
  for (const { input } of ops) {
    if (input.f === 'write') producible.add(input.value);
    else if (input.f === 'cas') producible.add(input.to);
  }
  let firstPosition = -1;
  let count = 0;
  for (let position = 0; position < ops.length; position += 1) {
    const { input, output } = ops[position] as KeyOp;
    if (input.f !== 'read' || !output.known || producible.has(output.value)) continue;
    if (count === 0) firstPosition = position;
    count += 1;
  }
  return count === 0 ? null : { firstPosition, count };
}
