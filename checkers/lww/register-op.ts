/**
 * Reading the register vocabulary of design.md off ops. The reader has already checked the
 * shapes of invokes and of read oks, so a missing field here is a bug, not bad input.
 */
import type { Op } from '../../history/op.ts';
import { isRecord } from '../../history/value-shapes.ts';

function fieldsOf(op: Op): Record<string, unknown> {
  if (!isRecord(op.value)) throw new Error(`${op.f} at index ${op.index} has no value object`);
  return op.value;
}

export function registerKey(invoke: Op): string {
  const key = fieldsOf(invoke).key;
  if (typeof key !== 'string') throw new Error(`${invoke.f} at index ${invoke.index} has no key`);
  return key;
}

/** The value a write or cas invoke would put in the register. */
export function writtenValue(invoke: Op): unknown {
  const fields = fieldsOf(invoke);
  return invoke.f === 'cas' ? fields.to : fields.value;
}

/** The value an ok cas found in the register. */
export function casFrom(invoke: Op): unknown {
  return fieldsOf(invoke).from;
}

export function readValue(completion: Op): unknown {
  return fieldsOf(completion).value;
}

/** The replication timestamp an ok write or cas carried; cas oks are not shape-checked. */
export function okTs(completion: Op | null): number | null {
  if (completion === null || !isRecord(completion.value)) return null;
  const ts = completion.value.ts;
  return Number.isSafeInteger(ts) ? (ts as number) : null;
}
