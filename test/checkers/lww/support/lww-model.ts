/**
 * A correct LWW replicated register store over 2-3 regions, as a fast-check arbitrary of the
 * histories it produces. Each client runs ops one after another in its region; a write (or a cas
 * whose `from` matches the local replica) is applied at one tick inside its interval with ts =
 * the apply tick (a correct clock; ties broken by op number) and reaches every other region after
 * its own lag; a read returns the local replica's highest-ts value; info and pending writes may
 * or may not have been applied. After quiescence every region holds the highest-ts value.
 */
import fc from 'fast-check';
import type { Op } from '../../../../history/op.ts';

export const REGIONS = ['ap-northeast-1', 'ap-northeast-3', 'us-east-1'] as const;

export type Outcome = 'ok' | 'fail' | 'info' | 'pending';

export interface OpSpec {
  kind: 'write' | 'read' | 'cas';
  keyIndex: number;
  gapTicks: number;
  durationTicks: number;
  /** Where in [start, end] the op takes effect, in percent of its duration. */
  applyPercent: number;
  outcome: Outcome;
  /** Whether an info or pending write took effect. */
  uncertainApplied: boolean;
  /** Whether a cas expects the local value (else a value never written, so it fails). */
  casMatches: boolean;
  lagTicks: number[];
}

export interface ClientSpec {
  regionIndex: number;
  startTicks: number;
  ops: OpSpec[];
}

export interface ModelSpec {
  regionsCount: number;
  keysCount: number;
  initKeys: boolean[];
  clients: ClientSpec[];
}

/** What the mutations need to know about each register op of the generated history. */
export interface OpInfo {
  kind: 'write' | 'read' | 'cas';
  key: string;
  region: string;
  outcome: Outcome;
  invokeIndex: number;
  completionIndex: number | null;
  startNs: number;
  endNs: number;
  /** Written value (write, cas `to`) or value read. */
  value: unknown;
  ts: number | null;
}

export interface ModelHistory {
  ops: Op[];
  infos: OpInfo[];
  finalIndices: number[];
  keys: string[];
}

const opSpecArb = fc.record({
  kind: fc.constantFrom<OpSpec['kind']>('write', 'write', 'read', 'read', 'cas'),
  keyIndex: fc.nat({ max: 1 }),
  gapTicks: fc.nat({ max: 4 }),
  durationTicks: fc.integer({ min: 1, max: 6 }),
  applyPercent: fc.nat({ max: 100 }),
  outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'fail', 'info', 'pending'),
  uncertainApplied: fc.boolean(),
  casMatches: fc.boolean(),
  lagTicks: fc.array(fc.nat({ max: 12 }), { minLength: 3, maxLength: 3 }),
});

export const modelSpecArb: fc.Arbitrary<ModelSpec> = fc.record({
  regionsCount: fc.integer({ min: 2, max: 3 }),
  keysCount: fc.integer({ min: 1, max: 2 }),
  initKeys: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
  clients: fc.array(
    fc.record({
      regionIndex: fc.nat({ max: 2 }),
      startTicks: fc.nat({ max: 5 }),
      ops: fc.array(opSpecArb, { minLength: 1, maxLength: 6 }),
    }),
    { minLength: 2, maxLength: 5 },
  ),
});
