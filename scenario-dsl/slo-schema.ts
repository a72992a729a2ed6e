/** The shape of a scenario's `slo`: the steady-state hypothesis per phase and region. */
import { z } from 'zod';
import { duration, fraction, regionName } from './schema-parts.ts';

const phaseSlo = z.strictObject({
  /** Share of the region's client ops that must succeed (ok) in the phase. */
  successRate: fraction.optional(),
  /** The p99 latency the region's client ops must stay under in the phase. */
  p99Latency: duration.optional(),
});

const budgets = {
  before: phaseSlo.optional(),
  during: phaseSlo.optional(),
  after: phaseSlo.optional(),
  /** Recovery time: from a fault's start until the region's success rate is back. */
  rto: duration.optional(),
  /** Recovery point: how much acknowledged work (in time before the fault) may be lost. */
  rpo: duration.optional(),
};

export const sloSchema = z.strictObject({
  ...budgets,
  regions: z.record(regionName, z.strictObject(budgets)).optional(),
});

export type SloParsed = z.output<typeof sloSchema>;
export type PhaseSloParsed = z.output<typeof phaseSlo>;
