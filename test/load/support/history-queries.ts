/** Small queries over an in-memory history, for assertions. */
import type { Op } from '../../../history/op.ts';

export function invokes(ops: readonly Op[], f?: string): Op[] {
  return ops.filter((op) => op.type === 'invoke' && (f === undefined || op.f === f));
}

export function completions(ops: readonly Op[]): Op[] {
  return ops.filter((op) => typeof op.process === 'number' && op.type !== 'invoke');
}

/** The completion of the invoke at `invoke`, or undefined when it is still pending. */
export function completionOf(ops: readonly Op[], invoke: Op): Op | undefined {
  return ops.find(
    (op) => op.index > invoke.index && op.process === invoke.process && op.type !== 'invoke',
  );
}

export function valueField(op: Op, field: string): unknown {
  const value = op.value;
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string, unknown>)[field];
}

/** A transfer/checkout's id: its home region is the middle of `t-<region>-<n>`. */
export function idOf(op: Op): string {
  const id = valueField(op, 'id');
  if (typeof id !== 'string') throw new Error(`op ${op.index} has no id`);
  return id;
}

/** Ops grouped by `keyOf`, each group in history order. */
export function groupBy(ops: readonly Op[], keyOf: (op: Op) => string): Map<string, Op[]> {
  const groups = new Map<string, Op[]>();
  for (const op of ops) {
    const key = keyOf(op);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [op]);
    else group.push(op);
  }
  return groups;
}
