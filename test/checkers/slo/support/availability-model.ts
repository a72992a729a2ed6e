/**
 * A model with a known availability pattern: each region invokes a read every GRID_NS on a fresh
 * process (so ops overlap); Tokyo is isolated from `faultStartNs` to `faultEndNs`, and every read
 * it invokes inside that window times out TIMEOUT_NS later; every other read is ok after OK_NS,
 * or, where the plan says so, rejected for insufficient funds (a business rejection). The last
 * read of each region is still pending at the end. The model knows its own success rates and
 * Tokyo's RTO in closed form.
 */
import fc from 'fast-check';
import type { Op, OpDraft } from '../../../../history/op.ts';
import { MS, OSAKA, TOKYO } from './run-slo.ts';

export const GRID_NS = 10 * MS;
export const OK_NS = 5 * MS;
export const TIMEOUT_NS = 20 * MS;

export interface ModelPlan {
  slots: number;
  faultStartSlot: number;
  faultSlots: number;
  /** Slots (of either region) whose read is a business rejection. */
  business: number[];
}

export const modelPlan: fc.Arbitrary<ModelPlan> = fc
  .record({
    slots: fc.integer({ min: 24, max: 40 }),
    faultStartSlot: fc.integer({ min: 2, max: 6 }),
    faultSlots: fc.integer({ min: 4, max: 8 }),
  })
  .chain((base) =>
    fc.record({
      slots: fc.constant(base.slots),
      faultStartSlot: fc.constant(base.faultStartSlot),
      faultSlots: fc.constant(base.faultSlots),
      business: fc.uniqueArray(fc.integer({ min: 0, max: base.slots - 1 }), { maxLength: 4 }),
    }),
  );

export interface ModelOp {
  region: string;
  slot: number;
  invokeNs: number;
  outcome: 'ok' | 'business' | 'info' | 'pending';
  endNs: number;
  /** Filled in when rendered. */
  invokeIndex: number;
  completionIndex: number | null;
}

export interface Model {
  plan: ModelPlan;
  faultStartNs: number;
  faultEndNs: number;
  ops: ModelOp[];
}

export function buildModel(plan: ModelPlan): Model {
  // Faults start and end between grid points, away from every completion time.
  const faultStartNs = plan.faultStartSlot * GRID_NS + 7 * MS;
  const faultEndNs = (plan.faultStartSlot + plan.faultSlots) * GRID_NS + 7 * MS;
  const ops: ModelOp[] = [];
  for (const region of [TOKYO, OSAKA]) {
    for (let slot = 0; slot < plan.slots; slot += 1) {
      const invokeNs = slot * GRID_NS;
      const isolated = region === TOKYO && invokeNs >= faultStartNs && invokeNs < faultEndNs;
      let outcome: ModelOp['outcome'] = isolated ? 'info' : 'ok';
      if (!isolated && plan.business.includes(slot)) outcome = 'business';
      if (slot === plan.slots - 1) outcome = 'pending';
      const endNs = invokeNs + (outcome === 'info' ? TIMEOUT_NS : OK_NS);
      ops.push({ region, slot, invokeNs, outcome, endNs, invokeIndex: -1, completionIndex: null });
    }
  }
  return { plan, faultStartNs, faultEndNs, ops };
}

/** Tokyo's RTO: from the fault's start to the completion of its first ok read invoked after the fault. */
export function expectedRtoNs(model: Model): number {
  const recovery = model.ops.find(
    (op) => op.region === TOKYO && op.outcome === 'ok' && op.invokeNs >= model.faultEndNs,
  );
  if (recovery === undefined) throw new Error('model: no recovery');
  return recovery.endNs - model.faultStartNs;
}

type Event = {
  timeNs: number;
  order: number;
  draft: OpDraft;
  op?: ModelOp;
  edge?: 'invoke' | 'completion';
};

/** The model's history lines in time order, with the op indices filled in. */
export function renderModel(model: Model, head: OpDraft[], tail: OpDraft[] = []): Op[] {
  const events: Event[] = [];
  model.ops.forEach((op, process) => {
    const read = { key: 'k' };
    events.push({
      timeNs: op.invokeNs,
      order: 1,
      op,
      edge: 'invoke',
      draft: {
        time: op.invokeNs,
        process,
        type: 'invoke',
        f: 'read',
        value: read,
        region: op.region,
      },
    });
    if (op.outcome === 'pending') return;
    const draft: OpDraft =
      op.outcome === 'ok'
        ? {
            time: op.endNs,
            process,
            type: 'ok',
            f: 'read',
            value: { key: 'k', value: null },
            region: op.region,
          }
        : {
            time: op.endNs,
            process,
            type: op.outcome === 'info' ? 'info' : 'fail',
            f: 'read',
            value: read,
            region: op.region,
            error: op.outcome === 'info' ? 'timeout' : 'insufficient funds',
          };
    events.push({ timeNs: op.endNs, order: 0, op, edge: 'completion', draft });
  });
  const nemesis = (f: string, timeNs: number): Event => ({
    timeNs,
    order: 2,
    draft: { time: timeNs, process: 'nemesis', type: 'info', f, value: { region: TOKYO } },
  });
  events.push(
    nemesis('start-isolate', model.faultStartNs),
    nemesis('stop-isolate', model.faultEndNs),
  );
  events.sort((a, b) => a.timeNs - b.timeNs || a.order - b.order);
  const endNs = events.at(-1)?.timeNs ?? 0;
  const drafts = [
    ...head,
    ...events.map((event) => event.draft),
    ...tail.map((draft) => ({ ...draft, time: Math.max(draft.time, endNs) })),
  ];
  const ops = drafts.map((draft, index) => ({ ...draft, index }) as Op);
  const offset = head.length;
  events.forEach((event, at) => {
    if (event.op === undefined) return;
    if (event.edge === 'invoke') event.op.invokeIndex = offset + at;
    else event.op.completionIndex = offset + at;
  });
  return ops;
}

export function toText(ops: readonly Op[]): string {
  return ops.map((op) => `${JSON.stringify(op)}\n`).join('');
}
