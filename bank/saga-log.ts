/**
 * The durable saga log: one `sagas` row per checkout, written in the same SQL transaction as the
 * money each step moves, so the log and the ledger never disagree. Times are ns on the bank's
 * clock, kept non-decreasing within a saga so that a clock fault cannot make a compensation look
 * older than the step it undoes.
 */
import type { SagaRecord, SagaStatus, SagaStep, SagaStepStatus } from '../history/op.ts';
import type { JsonValue } from './ports.ts';

export const STEP = { reserve: 'reserve', capture: 'capture', credit: 'credit-merchant' } as const;
export const STEP_NAMES = [STEP.reserve, STEP.capture, STEP.credit] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface SagaRow {
  id: string;
  from: string;
  to: string;
  amount: number;
  status: SagaStatus;
  steps: SagaStep[];
  /** Bank clock, µs: when a driver last moved it (the recovery takes over stale ones). */
  updatedAtUs: number;
}

const SAGA_STATUSES: readonly SagaStatus[] = ['completed', 'compensated', 'failed', 'pending'];
const STEP_STATUSES: readonly SagaStepStatus[] = ['done', 'failed', 'compensated', 'pending'];

export function newSagaRow(
  request: { id: string; from: string; to: string; amount: number },
  nowUs: number,
): SagaRow {
  return {
    ...request,
    status: 'pending',
    steps: STEP_NAMES.map((name) => ({ name, status: 'pending' })),
    updatedAtUs: nowUs,
  };
}

export function step(saga: SagaRow, name: StepName): SagaStep {
  const found = saga.steps.find((s) => s.name === name);
  if (found === undefined) throw new Error(`saga ${saga.id} has no step ${name}`);
  return found;
}

/** A stamp for the next step event: now, but never before the saga's last stamp. */
export function nextStampNs(saga: SagaRow, nowUs: number): number {
  let stampNs = Math.max(0, nowUs * 1000);
  for (const s of saga.steps) stampNs = Math.max(stampNs, s.at ?? 0, s.compensatedAt ?? 0);
  return stampNs;
}

export function sagaRecord(saga: SagaRow): SagaRecord {
  return { id: saga.id, status: saga.status, steps: saga.steps.map((s) => ({ ...s })) };
}

export function sagaRowJson(saga: SagaRow): JsonValue {
  return {
    id: saga.id,
    from: saga.from,
    to: saga.to,
    amount: saga.amount,
    status: saga.status,
    steps: saga.steps.map((s) => {
      const out: { [key: string]: JsonValue } = { name: s.name, status: s.status };
      if (s.at !== undefined) out.at = s.at;
      if (s.compensatedAt !== undefined) out.compensatedAt = s.compensatedAt;
      return out;
    }),
    updatedAtUs: saga.updatedAtUs,
  };
}

export function parseSagaRow(row: JsonValue | undefined, id: string): SagaRow {
  const bad = (why: string) => new Error(`sagas/${id}: ${why}: ${JSON.stringify(row)}`);
  if (row === null || typeof row !== 'object' || Array.isArray(row)) throw bad('not a row');
  const { from, to, amount, status, steps, updatedAtUs } = row;
  if (typeof from !== 'string' || typeof to !== 'string') throw bad('from/to');
  if (typeof amount !== 'number' || typeof updatedAtUs !== 'number') throw bad('numbers');
  if (!SAGA_STATUSES.includes(status as SagaStatus)) throw bad('status');
  if (!Array.isArray(steps)) throw bad('steps');
  return {
    id,
    from,
    to,
    amount,
    status: status as SagaStatus,
    steps: steps.map((s) => parseStep(s, bad)),
    updatedAtUs,
  };
}

function parseStep(s: JsonValue, bad: (why: string) => Error): SagaStep {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) throw bad('a step');
  if (typeof s.name !== 'string' || !STEP_STATUSES.includes(s.status as SagaStepStatus)) {
    throw bad('a step name or status');
  }
  const parsed: SagaStep = { name: s.name, status: s.status as SagaStepStatus };
  if (typeof s.at === 'number') parsed.at = s.at;
  if (typeof s.compensatedAt === 'number') parsed.compensatedAt = s.compensatedAt;
  return parsed;
}
