/**
 * A correct checkout-saga executor, for property tests. Workers run checkouts one after another;
 * each checkout is a saga of three steps (reserve: from -> hold, capture: hold -> escrow,
 * credit-merchant: escrow -> to), any of which may fail, in which case the done steps are
 * compensated in reverse order (each reversing its ledger entries) and the client gets fail.
 * Some checkouts are rejected before any saga exists. The client may time out (info) while the
 * saga goes on, then retry the same id on a fresh process; the last checkout of a worker may be
 * left pending. The result is a World: plain data that mutations edit and `renderWorld` writes.
 */
import fc from 'fast-check';
import type { LedgerEntry, OpType, SagaRecord, SagaStep } from '../../../../history/op.ts';

const MS = 1_000_000;
export const STEP_NAMES = ['reserve', 'capture', 'credit-merchant'] as const;
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;

export interface CheckoutPlan {
  from: string;
  to: string;
  amount: number;
  /** The step that fails, or null when every step succeeds. */
  failAt: number | null;
  rejected: boolean;
  failStatus: 'compensated' | 'failed';
  client: 'reply' | 'timeout' | 'timeout-then-reply' | 'pending';
  /** Durations of the three steps then of the compensations. */
  stepMs: number[];
  thinkMs: number;
  timeoutMs: number;
  region: (typeof REGIONS)[number];
}

export interface WorldPlan {
  workers: CheckoutPlan[][];
  sagasChunks: number;
  ledgerChunks: number;
  ledgerFirst: boolean;
}

export interface ClientEvent {
  timeNs: number;
  process: number;
  type: OpType;
  id: string;
  /** Invoke arguments (on invokes only). */
  args?: { id: string; from: string; to: string; amount: number };
  region?: string;
}

export interface World {
  client: ClientEvent[];
  sagas: SagaRecord[];
  ledger: LedgerEntry[];
  sagasChunks: number;
  ledgerChunks: number;
  ledgerFirst: boolean;
}

const checkoutPlan: fc.Arbitrary<CheckoutPlan> = fc.record({
  from: fc.constantFrom('a', 'b', 'c'),
  to: fc.constantFrom('m1', 'm2'),
  amount: fc.integer({ min: 1, max: 1000 }),
  failAt: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 2 }),
  rejected: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
  failStatus: fc.constantFrom('compensated', 'failed'),
  client: fc.constantFrom('reply', 'reply', 'timeout', 'timeout-then-reply', 'pending'),
  stepMs: fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 6, maxLength: 6 }),
  thinkMs: fc.integer({ min: 0, max: 20 }),
  timeoutMs: fc.integer({ min: 1, max: 120 }),
  region: fc.constantFrom(...REGIONS),
});

export const worldPlan: fc.Arbitrary<WorldPlan> = fc.record({
  workers: fc.array(fc.array(checkoutPlan, { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 3,
  }),
  sagasChunks: fc.integer({ min: 1, max: 3 }),
  ledgerChunks: fc.integer({ min: 1, max: 3 }),
  ledgerFirst: fc.boolean(),
});

const CHAIN = (plan: CheckoutPlan) => [plan.from, 'hold', 'escrow', plan.to];

function stepEntries(plan: CheckoutPlan, id: string, step: number, sign: 1 | -1): LedgerEntry[] {
  const chain = CHAIN(plan);
  return [
    { tx: id, account: chain[step]!, amount: -sign * plan.amount },
    { tx: id, account: chain[step + 1]!, amount: sign * plan.amount },
  ];
}

interface SagaOutcome {
  record: SagaRecord | null;
  ledger: LedgerEntry[];
  endNs: number;
  ok: boolean;
}

/** Runs one saga from `startNs`: the record, its ledger entries, and when it ended. */
function runSaga(plan: CheckoutPlan, id: string, startNs: number): SagaOutcome {
  if (plan.rejected)
    return { record: null, ledger: [], endNs: startNs + plan.stepMs[0]! * MS, ok: false };
  const steps: SagaStep[] = STEP_NAMES.map((name) => ({ name, status: 'pending' }));
  const ledger: LedgerEntry[] = [];
  let clockNs = startNs;
  let doneCount = 0;
  for (const [position, step] of steps.entries()) {
    clockNs += plan.stepMs[position]! * MS;
    if (plan.failAt === position) {
      step.status = 'failed';
      break;
    }
    step.status = 'done';
    step.at = clockNs;
    ledger.push(...stepEntries(plan, id, position, 1));
    doneCount += 1;
  }
  const ok = plan.failAt === null;
  for (let position = doneCount - 1; !ok && position >= 0; position -= 1) {
    clockNs += plan.stepMs[3 + position]! * MS;
    const step = steps[position]!;
    step.status = 'compensated';
    step.compensatedAt = clockNs;
    ledger.push(...stepEntries(plan, id, position, -1));
  }
  const status = ok ? 'completed' : plan.failStatus;
  return { record: { id, status, steps }, ledger, endNs: clockNs, ok };
}

/** Runs a worker's checkouts in turn; `fresh` hands out process numbers never used before. */
function runWorker(plans: CheckoutPlan[], worker: number, fresh: () => number, world: World): void {
  let process = worker;
  let clockNs = MS;
  for (const [k, plan] of plans.entries()) {
    const id = `c${worker}-${k}`;
    const args = { id, from: plan.from, to: plan.to, amount: plan.amount };
    const invokeNs = clockNs + plan.thinkMs * MS;
    const saga = runSaga(plan, id, invokeNs + MS);
    if (saga.record !== null) world.sagas.push(saga.record);
    world.ledger.push(...saga.ledger);
    const invoke = (timeNs: number) =>
      world.client.push({ timeNs, process, type: 'invoke', id, args, region: plan.region });
    const complete = (timeNs: number, type: OpType) =>
      world.client.push({ timeNs, process, type, id });
    invoke(invokeNs);
    const last = k === plans.length - 1;
    if (plan.client === 'pending' && last) return;
    if (plan.client === 'reply') {
      clockNs = saga.endNs + MS;
      complete(clockNs, saga.ok ? 'ok' : 'fail');
      continue;
    }
    clockNs = invokeNs + plan.timeoutMs * MS;
    complete(clockNs, 'info');
    process = fresh();
    if (plan.client !== 'timeout-then-reply') continue;
    clockNs += MS;
    invoke(clockNs);
    clockNs = Math.max(clockNs, saga.endNs) + MS;
    complete(clockNs, saga.ok ? 'ok' : 'fail');
  }
}

export function buildWorld(plan: WorldPlan): World {
  const world: World = {
    client: [],
    sagas: [],
    ledger: [
      { tx: 't-other', account: 'a', amount: -3 },
      { tx: 't-other', account: 'b', amount: 3 },
    ],
    sagasChunks: plan.sagasChunks,
    ledgerChunks: plan.ledgerChunks,
    ledgerFirst: plan.ledgerFirst,
  };
  let processNext = plan.workers.length;
  const fresh = () => processNext++;
  for (const [worker, plans] of plan.workers.entries()) runWorker(plans, worker, fresh, world);
  // A stable sort keeps each worker's ops in the order it issued them when times tie.
  world.client.sort((a, b) => a.timeNs - b.timeNs);
  return world;
}
