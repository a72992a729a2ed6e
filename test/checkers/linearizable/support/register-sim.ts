/**
 * A simulated atomic register for property tests: concurrent processes run ops with random
 * overlapping intervals, each op taking effect at one linearization point inside its interval
 * (an info or pending op at any point after its invoke, or not at all), so every history it
 * builds is linearizable. Written values are unique per key (design.md), which the mutations
 * rely on. After every op has taken effect (quiescence), each region takes a final read of the
 * keys a mask selects: the register's state, as the real harness reads it.
 */
import fc from 'fast-check';

export type RegisterF = 'read' | 'write' | 'cas';
export type Outcome = 'ok' | 'fail' | 'info' | 'pending';

export interface SimOpSpec {
  f: RegisterF;
  key: string;
  outcome: Outcome;
  gapNs: number;
  toLinNs: number;
  linToEndNs: number;
  /** info / pending writes and cas: whether the op took effect. */
  applies: boolean;
  /** cas: compare with the value the register holds at the linearization point. */
  casFromCurrent: boolean;
  casFromPick: number;
}

export const KEYS = ['x', 'y'] as const;
export const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;

/** Bit r * KEYS.length + k set: region r's final read holds key k. */
export const finalsMaskArb = fc.nat({ max: 2 ** (REGIONS.length * KEYS.length) - 1 });
export const FINALS_ALL = 2 ** (REGIONS.length * KEYS.length) - 1;

export const opSpecArb: fc.Arbitrary<SimOpSpec> = fc.record({
  f: fc.constantFrom<RegisterF>('read', 'write', 'cas'),
  key: fc.constantFrom(...KEYS),
  outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'fail', 'info', 'pending'),
  gapNs: fc.integer({ min: 0, max: 3 }),
  toLinNs: fc.integer({ min: 0, max: 6 }),
  linToEndNs: fc.integer({ min: 0, max: 6 }),
  applies: fc.boolean(),
  casFromCurrent: fc.boolean(),
  casFromPick: fc.nat({ max: 20 }),
});

export const threadsArb: fc.Arbitrary<SimOpSpec[][]> = fc.array(
  fc.array(opSpecArb, { minLength: 1, maxLength: 6 }),
  { minLength: 2, maxLength: 4 },
);

/** One generated op, with what the history says about it. */
export interface SimOp {
  thread: number;
  process: number;
  f: RegisterF;
  key: string;
  outcome: Outcome;
  startNs: number;
  endNs: number | null;
  linNs: number;
  /** write: the value; cas: [from, to]. */
  value?: number;
  from?: number;
  to?: number;
  /** ok read: what it returned. */
  result?: number;
  invokeIndex: number;
  completionIndex: number | null;
  applies: boolean;
  casFromCurrent: boolean;
  casFromPick: number;
}

function layOut(threads: readonly SimOpSpec[][]): SimOp[] {
  const ops: SimOp[] = [];
  const counters = new Map<string, number>();
  const fresh = (key: string): number => {
    const next = (counters.get(key) ?? 0) + 1;
    counters.set(key, next);
    return next;
  };
  threads.forEach((specs, thread) => {
    let timeNs = 0;
    let generation = 0;
    for (const spec of specs) {
      const startNs = timeNs + spec.gapNs;
      const linNs = startNs + spec.toLinNs;
      const unknown = spec.outcome === 'info' || spec.outcome === 'pending';
      // At least 1 ns long, so that an op's own invoke line always sorts before its completion.
      const endNs =
        spec.outcome === 'pending'
          ? null
          : Math.max(startNs + 1, (unknown ? startNs : linNs) + spec.linToEndNs);
      const op: SimOp = {
        thread,
        process: thread + threads.length * generation,
        f: spec.f,
        key: spec.key,
        outcome: spec.outcome,
        startNs,
        endNs,
        linNs,
        invokeIndex: -1,
        completionIndex: null,
        applies: spec.applies,
        casFromCurrent: spec.casFromCurrent,
        casFromPick: spec.casFromPick,
      };
      if (spec.f === 'write') op.value = fresh(spec.key);
      if (spec.f === 'cas') op.to = fresh(spec.key);
      ops.push(op);
      if (endNs === null) break;
      if (spec.outcome === 'info') generation += 1;
      timeNs = endNs;
    }
  });
  return ops;
}

/** One region's final read: each key it holds is a read at the line's instant. */
export interface SimFinal {
  region: string;
  timeNs: number;
  /** The value read per key; a key absent was not read in that region. */
  registers: Record<string, number>;
  index: number;
}

/** Runs the atomic register in linearization-point order, filling results and cas outcomes. */
function simulate(ops: SimOp[]): Map<string, number> {
  const state = new Map<string, number>(KEYS.map((key) => [key, 0]));
  const order = ops
    .filter((op) => op.outcome !== 'fail')
    .sort((a, b) => a.linNs - b.linNs || a.thread - b.thread);
  for (const op of order) {
    const current = state.get(op.key) as number;
    const takesEffect = op.outcome === 'ok' || op.applies;
    if (op.f === 'read') {
      if (op.outcome === 'ok') op.result = current;
    } else if (op.f === 'write') {
      if (takesEffect) state.set(op.key, op.value as number);
    } else {
      op.from = op.casFromCurrent ? current : op.casFromPick % ((op.to as number) + 1);
      if (op.from === current && takesEffect) state.set(op.key, op.to as number);
      else if (op.outcome === 'ok') op.outcome = 'fail';
    }
  }
  for (const op of ops) if (op.f === 'cas' && op.from === undefined) op.from = op.casFromPick % 5;
  return state;
}

/** Final reads after every op's linearization point, and after every line of the run. */
function finalReads(ops: readonly SimOp[], state: Map<string, number>, mask: number): SimFinal[] {
  let lastNs = 0;
  for (const op of ops) lastNs = Math.max(lastNs, op.startNs, op.endNs ?? 0, op.linNs);
  return REGIONS.map((region, r) => {
    const registers: Record<string, number> = {};
    KEYS.forEach((key, k) => {
      if ((mask >> (r * KEYS.length + k)) & 1) registers[key] = state.get(key) as number;
    });
    return { region, timeNs: lastNs + 1, registers, index: -1 };
  });
}

function invokeValue(op: SimOp): Record<string, unknown> {
  if (op.f === 'read') return { key: op.key };
  if (op.f === 'write') return { key: op.key, value: op.value };
  return { key: op.key, from: op.from, to: op.to };
}

/** The history.jsonl text; fills each op's and final read's line indices. */
export function renderHistory(ops: SimOp[], finals: SimFinal[] = []): string {
  const events: { timeNs: number; completion: boolean; op: SimOp }[] = [];
  for (const op of ops) {
    events.push({ timeNs: op.startNs, completion: false, op });
    if (op.endNs !== null) events.push({ timeNs: op.endNs, completion: true, op });
  }
  events.sort(
    (a, b) =>
      a.timeNs - b.timeNs ||
      Number(b.completion) - Number(a.completion) ||
      a.op.thread - b.op.thread,
  );
  const registers = Object.fromEntries(KEYS.map((key) => [key, 0]));
  const lines: Record<string, unknown>[] = [
    {
      index: 0,
      time: 0,
      process: 'setup',
      type: 'ok',
      f: 'init',
      value: { registers, strong: [...KEYS] },
    },
  ];
  for (const { timeNs, completion, op } of events) {
    const line: Record<string, unknown> = {
      index: lines.length,
      time: timeNs,
      process: op.process,
      type: completion ? op.outcome : 'invoke',
      f: op.f,
      region: REGIONS[op.thread % REGIONS.length],
    };
    if (!completion) {
      line.value = invokeValue(op);
      op.invokeIndex = lines.length;
    } else {
      op.completionIndex = lines.length;
      if (op.f === 'read' && op.outcome === 'ok') line.value = { key: op.key, value: op.result };
      if (op.outcome === 'fail' || op.outcome === 'info') line.error = 'timeout';
    }
    lines.push(line);
  }
  for (const final of finals) {
    final.index = lines.length;
    lines.push({
      index: lines.length,
      time: final.timeNs,
      process: 'final',
      type: 'ok',
      f: 'final-read',
      region: final.region,
      value: { registers: final.registers },
    });
  }
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

export interface SimHistory {
  ops: SimOp[];
  finals: SimFinal[];
  text: string;
}

/** A linearizable history of an atomic register, its ops and its final reads. */
export function simulateHistory(
  threads: readonly SimOpSpec[][],
  finalsMask = FINALS_ALL,
): SimHistory {
  const ops = layOut(threads);
  const state = simulate(ops);
  const finals = finalReads(ops, state, finalsMask);
  const text = renderHistory(ops, finals);
  return { ops, finals, text };
}
