/**
 * The final reads, per key and region, judged once the whole history is known. Memory: one
 * small record per key and region read at the end — the size of the final state itself.
 *
 * A key missing from a region's `registers` was not read there and is not judged for that
 * region; `null` is how a final read says a register is absent.
 */

import type { Op } from '../../history/op.ts';
import { valueKey } from '../../history/value-key.ts';
import { isRecord } from '../../history/value-shapes.ts';
import type { AnomalyLog } from '../anomaly-log.ts';
import {
  divergence,
  type FinalValue,
  lostWrite,
  phantomFinal,
  type TableKind,
} from './anomalies.ts';
import type { KeyState } from './key-state.ts';

export class FinalReads {
  /** LWW keys: judged for every final-state rule. */
  readonly byKey = new Map<string, FinalValue[]>();
  /** Strong keys: judged for divergence only (a strongly consistent table is replicated too). */
  readonly strongByKey = new Map<string, FinalValue[]>();
  /** Final-read lines holding at least one LWW key, and at least one strong key. */
  linesCount = 0;
  strongLinesCount = 0;

  /** Takes the registers of a final-read line, sorting its keys by `isStrongKey`. */
  add(op: Op, isStrongKey: (key: string) => boolean): void {
    if (!isRecord(op.value) || !isRecord(op.value.registers)) return;
    if (typeof op.region !== 'string') throw new Error(`final-read ${op.index} has no region`);
    const tsByKey = isRecord(op.value.ts) ? op.value.ts : {};
    let lwwSeen = false;
    let strongSeen = false;
    for (const [key, value] of Object.entries(op.value.registers)) {
      const strong = isStrongKey(key);
      const byKey = strong ? this.strongByKey : this.byKey;
      const ts = tsByKey[key];
      const entries = byKey.get(key) ?? [];
      entries.push({
        region: op.region,
        index: op.index,
        value,
        valueKey: valueKey(value),
        ts: Number.isSafeInteger(ts) ? (ts as number) : null,
      });
      byKey.set(key, entries);
      if (strong) strongSeen = true;
      else lwwSeen = true;
    }
    if (lwwSeen) this.linesCount += 1;
    if (strongSeen) this.strongLinesCount += 1;
  }
}

/**
 * Phantom values and lost writes in one key's final values. Lost write: the final value comes
 * from W (init counts as acked before every op) while an ok write was invoked after W's ack. It
 * is enough to test the ok write invoked last: if any ok write started after W's ack, it did.
 */
export function judgeFinalValues(
  state: KeyState,
  finals: readonly FinalValue[],
  log: AnomalyLog,
): void {
  if (state.ambiguous) return;
  for (const final of finals) {
    const source = state.writesByValue.get(final.valueKey);
    if (source === undefined || source.status === 'fail') {
      log.add(phantomFinal(state.key, final, source ?? null));
      continue;
    }
    const winner = state.okStartLatest;
    if (winner !== null && winner.startNs > source.endNs) {
      log.add(lostWrite(state.key, final, source, winner));
    }
  }
}

/** One anomaly per key whose final values are not all the same. */
export function judgeConvergence(
  key: string,
  finals: readonly FinalValue[],
  log: AnomalyLog,
  table: TableKind = 'lww',
) {
  const first = finals[0];
  if (first === undefined) return;
  if (finals.some((final) => final.valueKey !== first.valueKey)) {
    log.add(divergence(key, finals, table));
  }
}
