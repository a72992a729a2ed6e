/** Runs a ModelSpec through the correct LWW store of lww-model.ts and writes its history. */
import type { Op, OpType } from '../../../../history/op.ts';
import {
  type ModelHistory,
  type ModelSpec,
  type OpInfo,
  type OpSpec,
  type Outcome,
  REGIONS,
} from './lww-model.ts';

const NS_PER_TICK = 1_000_000;

interface Planned {
  id: number;
  spec: OpSpec;
  key: string;
  regionIndex: number;
  process: number;
  startTick: number;
  endTick: number;
  applyTick: number;
  outcome: Outcome;
  value: unknown;
  from: unknown;
  ts: number | null;
}

interface Applied {
  key: string;
  value: unknown;
  ts: number;
  applyTick: number;
  regionIndex: number;
  lagTicks: number[];
}

function plan(spec: ModelSpec, keys: string[]): Planned[] {
  const planned: Planned[] = [];
  spec.clients.forEach((client, clientIndex) => {
    let tick = client.startTicks;
    let generation = 0;
    for (const op of client.ops) {
      const startTick = tick + op.gapTicks;
      const endTick = startTick + op.durationTicks;
      planned.push({
        id: planned.length,
        spec: op,
        key: keys[op.keyIndex % keys.length]!,
        regionIndex: client.regionIndex % spec.regionsCount,
        process: clientIndex * 100 + generation,
        startTick,
        endTick,
        applyTick: startTick + Math.floor((op.durationTicks * op.applyPercent) / 100),
        outcome: op.outcome,
        value: null,
        from: null,
        ts: null,
      });
      if (op.outcome === 'info' || op.outcome === 'pending') generation += 1;
      tick = endTick;
    }
  });
  return planned;
}

function visible(applied: Applied[], init: unknown, key: string, region: number, tick: number) {
  let best: Applied | null = null;
  for (const write of applied) {
    if (write.key !== key) continue;
    const deliverTick =
      write.applyTick + (write.regionIndex === region ? 0 : write.lagTicks[region]!);
    if (deliverTick <= tick && (best === null || write.ts > best.ts)) best = write;
  }
  return best === null ? init : best.value;
}

function takesEffect(op: Planned): boolean {
  if (op.outcome === 'ok') return true;
  if (op.outcome === 'fail') return false;
  return op.spec.uncertainApplied;
}

/** Applies every op at its apply tick, in tick order, and returns the applied writes. */
function simulate(planned: Planned[], init: Record<string, unknown>): Applied[] {
  const applied: Applied[] = [];
  const byApply = [...planned].sort((a, b) => a.applyTick - b.applyTick || a.id - b.id);
  for (const op of byApply) {
    const local = visible(applied, init[op.key] ?? null, op.key, op.regionIndex, op.applyTick);
    if (op.spec.kind === 'read') {
      op.value = local;
      continue;
    }
    op.value = `${op.key}:${op.spec.kind === 'cas' ? 'c' : 'w'}${op.id}`;
    if (op.spec.kind === 'cas') {
      op.from = op.spec.casMatches ? local : `${op.key}:nope${op.id}`;
      if (!op.spec.casMatches) {
        if (op.outcome === 'ok') op.outcome = 'fail';
        continue;
      }
    }
    if (!takesEffect(op)) continue;
    const ts = op.applyTick * 1000 + op.id;
    if (op.outcome === 'ok') op.ts = ts;
    applied.push({
      key: op.key,
      value: op.value,
      ts,
      applyTick: op.applyTick,
      regionIndex: op.regionIndex,
      lagTicks: op.spec.lagTicks,
    });
  }
  return applied;
}

function invokeValue(op: Planned): unknown {
  if (op.spec.kind === 'read') return { key: op.key };
  if (op.spec.kind === 'write') return { key: op.key, value: op.value };
  return { key: op.key, from: op.from, to: op.value };
}

function completionValue(op: Planned): unknown {
  if (op.outcome !== 'ok') return undefined;
  if (op.spec.kind === 'read') return { key: op.key, value: op.value };
  return { ts: op.ts };
}

interface Line {
  tick: number;
  order: number;
  id: number;
  draft: Omit<Op, 'index' | 'time'>;
}

function lines(planned: Planned[]): Line[] {
  const result: Line[] = [];
  for (const op of planned) {
    const region = REGIONS[op.regionIndex]!;
    const common = { process: op.process, f: op.spec.kind, region };
    result.push({
      tick: op.startTick,
      order: 1,
      id: op.id,
      draft: { ...common, type: 'invoke', value: invokeValue(op) },
    });
    if (op.outcome === 'pending') continue;
    const draft: Omit<Op, 'index' | 'time'> = { ...common, type: op.outcome as OpType };
    const value = completionValue(op);
    if (value !== undefined) draft.value = value;
    if (op.outcome !== 'ok') draft.error = op.outcome === 'fail' ? 'rejected' : 'timeout';
    result.push({ tick: op.endTick, order: 0, id: op.id, draft });
  }
  // Completions before invokes at one tick: a client's next op may start as its last one ends.
  return result.sort((a, b) => a.tick - b.tick || a.order - b.order || a.id - b.id);
}

function finalReads(
  spec: ModelSpec,
  keys: string[],
  applied: Applied[],
  init: Record<string, unknown>,
) {
  const registers: Record<string, unknown> = {};
  const ts: Record<string, number> = {};
  for (const key of keys) {
    let best: Applied | null = null;
    for (const write of applied)
      if (write.key === key && (best === null || write.ts > best.ts)) best = write;
    registers[key] = best === null ? (init[key] ?? null) : best.value;
    if (best !== null) ts[key] = best.ts;
  }
  // The strong key s0 is never written: every region reads its initial null (lww judges only
  // whether the regions agree on it).
  registers[STRONG_KEY] = null;
  return REGIONS.slice(0, spec.regionsCount).map((region) => ({
    process: 'final' as const,
    type: 'ok' as const,
    f: 'final-read',
    region,
    value: { registers: { ...registers }, ts: { ...ts } },
  }));
}

/** A key of the strongly consistent table, present only in the final reads. */
export const STRONG_KEY = 's0';

export function simulateHistory(spec: ModelSpec): ModelHistory {
  const keys = ['k0', 'k1'].slice(0, spec.keysCount);
  const init: Record<string, unknown> = {};
  keys.forEach((key, i) => {
    if (spec.initKeys[i]) init[key] = `${key}:init`;
  });
  const planned = plan(spec, keys);
  const applied = simulate(planned, init);
  const ops: Op[] = [
    {
      index: 0,
      time: 0,
      process: 'setup',
      type: 'ok',
      f: 'init',
      value: { registers: init, strong: [STRONG_KEY] },
    },
  ];
  const infos = new Map<number, OpInfo>();
  let lastTick = 0;
  for (const line of lines(planned)) {
    const op = { ...line.draft, index: ops.length, time: line.tick * NS_PER_TICK } as Op;
    ops.push(op);
    lastTick = line.tick;
    const source = planned[line.id]!;
    const info = infos.get(line.id) ?? {
      kind: source.spec.kind,
      key: source.key,
      region: REGIONS[source.regionIndex]!,
      outcome: source.outcome,
      invokeIndex: op.index,
      completionIndex: null,
      startNs: op.time,
      endNs: Number.POSITIVE_INFINITY,
      value: source.value,
      ts: source.ts,
    };
    if (op.type !== 'invoke') {
      info.completionIndex = op.index;
      if (op.type !== 'info') info.endNs = op.time;
    }
    infos.set(line.id, info);
  }
  const finalIndices: number[] = [];
  for (const draft of finalReads(spec, keys, applied, init)) {
    finalIndices.push(ops.length);
    ops.push({ ...draft, index: ops.length, time: (lastTick + 1) * NS_PER_TICK });
  }
  return { ops, infos: [...infos.values()], finalIndices, keys };
}

export function historyText(ops: readonly Op[]): string {
  return ops.map((op) => `${JSON.stringify(op)}\n`).join('');
}
