/**
 * Mutations that inject exactly one anomaly into a correct World. Each picks its target with
 * `pick` (any natural number, taken modulo the candidates) and returns the changed copy with the
 * anomaly type it must produce and the saga id it concerns, or null when the world offers no
 * candidate.
 */
import type { SagaRecord, SagaStep } from '../../../../history/op.ts';
import type { World } from './saga-model.ts';

export interface Mutated {
  world: World;
  type: string;
  id: string;
  /** Whether the anomaly's ops must hold the saga's line (false when the record was dropped). */
  namesSagaLine: boolean;
}

type Mutation = (world: World, pick: number) => Mutated | null;

function choose<T>(candidates: readonly T[], pick: number): T | null {
  return candidates.length === 0 ? null : candidates[pick % candidates.length]!;
}

/** Every (saga, step position) whose step satisfies `test`. */
function stepsWhere(world: World, test: (step: SagaStep) => boolean): [number, number][] {
  return world.sagas.flatMap((saga, s) =>
    saga.steps.flatMap((step, p): [number, number][] => (test(step) ? [[s, p]] : [])),
  );
}

function withSaga(world: World, sagaIndex: number, edit: (saga: SagaRecord) => void): World {
  const sagas = world.sagas.map((saga) => structuredClone(saga));
  edit(sagas[sagaIndex]!);
  return { ...world, sagas };
}

function outcomes(world: World, id: string): string[] {
  return world.client.filter((e) => e.id === id && e.type !== 'invoke').map((e) => e.type);
}

function attempts(world: World, id: string): number {
  return world.client.filter((e) => e.id === id && e.type === 'invoke').length;
}

const leavePending: Mutation = (world, pick) => {
  const s = choose(
    world.sagas.map((_, k) => k),
    pick,
  );
  if (s === null) return null;
  const mutated = withSaga(world, s, (saga) => {
    saga.status = 'pending';
  });
  return { world: mutated, type: 'stuck-saga', id: world.sagas[s]!.id, namesSagaLine: true };
};

const dropCompensation: Mutation = (world, pick) => {
  const target = choose(
    stepsWhere(world, (step) => step.status === 'compensated'),
    pick,
  );
  if (target === null) return null;
  const mutated = withSaga(world, target[0], (saga) => {
    const step = saga.steps[target[1]]!;
    step.status = 'done';
    delete step.compensatedAt;
  });
  return {
    world: mutated,
    type: 'missing-compensation',
    id: world.sagas[target[0]]!.id,
    namesSagaLine: true,
  };
};

/**
 * Compensate a failed or never-run step, or move a compensated step's compensation before its
 * completion (the model's steps complete at 1 ms or later).
 */
const compensateNeverDone: Mutation = (world, pick) => {
  const target = choose(
    stepsWhere(world, (step) => step.status !== 'done'),
    pick,
  );
  if (target === null) return null;
  const mutated = withSaga(world, target[0], (saga) => {
    const step = saga.steps[target[1]]!;
    if (step.status !== 'compensated') step.compensatedAt = 1;
    else if (step.at === undefined) throw new Error(`model step ${step.name} has no at`);
    else step.compensatedAt = step.at - 1;
  });
  return {
    world: mutated,
    type: 'spurious-compensation',
    id: world.sagas[target[0]]!.id,
    namesSagaLine: true,
  };
};

const swapCompensationOrder: Mutation = (world, pick) => {
  const candidates = world.sagas.flatMap((saga, s) => {
    const compensated = saga.steps.flatMap((step, p) => (step.status === 'compensated' ? [p] : []));
    return compensated.length >= 2 ? [[s, compensated[0]!, compensated[1]!] as const] : [];
  });
  const target = choose(candidates, pick);
  if (target === null) return null;
  const [s, first, second] = target;
  const mutated = withSaga(world, s, (saga) => {
    const a = saga.steps[first]!;
    const b = saga.steps[second]!;
    [a.compensatedAt, b.compensatedAt] = [b.compensatedAt, a.compensatedAt];
  });
  return {
    world: mutated,
    type: 'compensation-order',
    id: world.sagas[s]!.id,
    namesSagaLine: true,
  };
};

/** Flip ok <-> fail on a checkout tried once that got a definite answer. */
const flipOutcome: Mutation = (world, pick) => {
  const candidates = world.client.flatMap((event, k) => {
    const definite = event.type === 'ok' || event.type === 'fail';
    return definite && attempts(world, event.id) === 1 ? [k] : [];
  });
  const k = choose(candidates, pick);
  if (k === null) return null;
  const client = world.client.map((event) => ({ ...event }));
  const event = client[k]!;
  event.type = event.type === 'ok' ? 'fail' : 'ok';
  const hasRecord = world.sagas.some((saga) => saga.id === event.id);
  return {
    world: { ...world, client },
    type: 'wrong-outcome',
    id: event.id,
    namesSagaLine: hasRecord,
  };
};

const dropAcknowledgedRecord: Mutation = (world, pick) => {
  const s = choose(
    world.sagas.flatMap((saga, k) => (outcomes(world, saga.id).includes('ok') ? [k] : [])),
    pick,
  );
  if (s === null) return null;
  const sagas = world.sagas.filter((_, k) => k !== s);
  return {
    world: { ...world, sagas },
    type: 'wrong-outcome',
    id: world.sagas[s]!.id,
    namesSagaLine: false,
  };
};

/** Drop one entry of a saga, or add 1..5 to its amount. */
const alterLedgerEntry: Mutation = (world, pick) => {
  const sagaIds = new Set(world.sagas.map((saga) => saga.id));
  const k = choose(
    world.ledger.flatMap((entry, index) => (sagaIds.has(entry.tx) ? [index] : [])),
    pick,
  );
  if (k === null) return null;
  const entry = world.ledger[k]!;
  const ledger =
    pick % 2 === 0
      ? world.ledger.filter((_, index) => index !== k)
      : world.ledger.map((e, index) =>
          index === k ? { ...e, amount: e.amount + 1 + (pick % 5) } : e,
        );
  return { world: { ...world, ledger }, type: 'saga-leak', id: entry.tx, namesSagaLine: true };
};

export const MUTATIONS: Record<string, Mutation> = {
  leavePending,
  dropCompensation,
  compensateNeverDone,
  swapCompensationOrder,
  flipOutcome,
  dropAcknowledgedRecord,
  alterLedgerEntry,
};
