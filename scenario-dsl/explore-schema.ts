/**
 * The shape of a scenario's `explore`: the fault kinds and ranges, and the workload ranges,
 * `paychaos explore` searches. Only the space: the search itself lives with the explorer.
 */
import { z } from 'zod';
import { FAULT_KINDS } from '../faults/fault.ts';
import { durationRange, numberRange, regionName } from './schema-parts.ts';
import { SKEW_MAX } from './workload-schema.ts';

/** Faults per explored schedule: past this a failing schedule is too big to read or shrink. */
export const EXPLORE_FAULTS_MAX = 20;
export const RATE_SCALE_MAX = 100;

export const exploreSchema = z.strictObject({
  faults: z
    .strictObject({
      kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
      count: numberRange(z.number().int().min(0).max(EXPLORE_FAULTS_MAX)).optional(),
      at: durationRange().optional(),
      duration: durationRange().optional(),
      lag: durationRange().optional(),
      skew: durationRange(true).optional(),
      regions: z.array(regionName).min(1).optional(),
    })
    .optional(),
  workloads: z
    .strictObject({
      rateScale: numberRange(z.number().gt(0).max(RATE_SCALE_MAX)).optional(),
      skew: numberRange(z.number().min(0).max(SKEW_MAX)).optional(),
    })
    .optional(),
});

export type ExploreParsed = z.output<typeof exploreSchema>;
