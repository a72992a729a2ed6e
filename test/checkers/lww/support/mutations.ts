/**
 * Mutations that inject exactly one kind of anomaly into a history of the correct LWW model.
 * Each returns the mutated ops and the anomaly expected, or null when the history has nothing
 * to mutate that way (fast-check then skips it). `pick` chooses among candidates (shrinkable).
 */
import type { Op } from '../../../../history/op.ts';
import type { ModelHistory, OpInfo } from './lww-model.ts';
import { STRONG_KEY } from './lww-simulate.ts';

export interface Injected {
  ops: Op[];
  type: string;
  /** Indices an anomaly of that type must name, in this order. */
  expectedOps: number[];
}

export type Mutation = (history: ModelHistory, pick: number) => Injected | null;

function choose<T>(candidates: readonly T[], pick: number): T | null {
  return candidates.length === 0 ? null : candidates[pick % candidates.length]!;
}

function copyOps(ops: readonly Op[]): Op[] {
  return ops.map((op) => structuredClone(op));
}

function indicesOf(info: OpInfo): number[] {
  return info.completionIndex === null
    ? [info.invokeIndex]
    : [info.invokeIndex, info.completionIndex];
}

const okReads = (h: ModelHistory) => h.infos.filter((i) => i.kind === 'read' && i.outcome === 'ok');
const writesOf = (h: ModelHistory) => h.infos.filter((i) => i.kind !== 'read');

function setReadValue(ops: Op[], read: OpInfo, value: unknown): void {
  ops[read.completionIndex!]!.value = { key: read.key, value };
}

export const readNeverWritten: Mutation = (h, pick) => {
  const read = choose(okReads(h), pick);
  if (read === null) return null;
  const ops = copyOps(h.ops);
  setReadValue(ops, read, 'never-written');
  return { ops, type: 'phantom-value', expectedOps: indicesOf(read) };
};

export const readFailedWrite: Mutation = (h, pick) => {
  const pairs = okReads(h).flatMap((read) =>
    writesOf(h)
      .filter((w) => w.key === read.key && w.outcome === 'fail')
      .map((w) => [read, w] as const),
  );
  const pair = choose(pairs, pick);
  if (pair === null) return null;
  const [read, failed] = pair;
  const ops = copyOps(h.ops);
  setReadValue(ops, read, failed.value);
  return { ops, type: 'phantom-value', expectedOps: [...indicesOf(read), ...indicesOf(failed)] };
};

export const readFromFuture: Mutation = (h, pick) => {
  const pairs = okReads(h).flatMap((read) =>
    writesOf(h)
      .filter((w) => w.key === read.key && w.outcome !== 'fail' && w.startNs > read.endNs)
      .map((w) => [read, w] as const),
  );
  const pair = choose(pairs, pick);
  if (pair === null) return null;
  const [read, write] = pair;
  const ops = copyOps(h.ops);
  setReadValue(ops, read, write.value);
  return { ops, type: 'future-read', expectedOps: [...indicesOf(read), ...indicesOf(write)] };
};

export const finalOverwritten: Mutation = (h, pick) => {
  const okWrites = writesOf(h).filter((w) => w.outcome === 'ok');
  const lost = okWrites.filter((w) =>
    okWrites.some((w2) => w2.key === w.key && w2.startNs > w.endNs),
  );
  const write = choose(lost, pick);
  if (write === null) return null;
  const ops = copyOps(h.ops);
  for (const index of h.finalIndices) {
    const value = ops[index]!.value as {
      registers: Record<string, unknown>;
      ts: Record<string, number>;
    };
    value.registers[write.key] = write.value;
    if (write.ts !== null) value.ts[write.key] = write.ts;
  }
  return { ops, type: 'lost-write', expectedOps: indicesOf(write) };
};

export const swapTs: Mutation = (h, pick) => {
  const stamped = writesOf(h).filter((w) => w.outcome === 'ok' && w.ts !== null);
  const pairs = stamped.flatMap((w1) =>
    stamped
      .filter((w2) => w2.key === w1.key && w1.endNs < w2.startNs)
      .map((w2) => [w1, w2] as const),
  );
  const pair = choose(pairs, pick);
  if (pair === null) return null;
  const [w1, w2] = pair;
  const ops = copyOps(h.ops);
  ops[w1.completionIndex!]!.value = { ts: w2.ts };
  ops[w2.completionIndex!]!.value = { ts: w1.ts };
  return { ops, type: 'clock-anomaly', expectedOps: [...indicesOf(w1), ...indicesOf(w2)] };
};

/** One region's final value becomes another legal one: a write that never completed. */
export const finalsDiverge: Mutation = (h, pick) => {
  const finalValue = (key: string) =>
    (h.ops[h.finalIndices[0]!]!.value as { registers: Record<string, unknown> }).registers[key];
  const candidates = writesOf(h).filter(
    (w) => (w.outcome === 'info' || w.outcome === 'pending') && w.value !== finalValue(w.key),
  );
  const write = choose(candidates, pick);
  if (write === null) return null;
  const ops = copyOps(h.ops);
  const index = h.finalIndices[Math.floor(pick / 7) % h.finalIndices.length]!;
  (ops[index]!.value as { registers: Record<string, unknown> }).registers[write.key] = write.value;
  return { ops, type: 'divergence', expectedOps: [index] };
};

/** One region's final read of the strong key disagrees with the others': lww's divergence only. */
export const strongFinalsDiverge: Mutation = (h, pick) => {
  const ops = copyOps(h.ops);
  const index = h.finalIndices[pick % h.finalIndices.length]!;
  (ops[index]!.value as { registers: Record<string, unknown> }).registers[STRONG_KEY] = 's0:split';
  return { ops, type: 'divergence', expectedOps: [index] };
};
