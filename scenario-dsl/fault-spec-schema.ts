/**
 * The shape of a scenario's `faults`: `{at, duration, fault}` with the vocabulary of
 * faults/fault.ts. Durations here are what people write ('2s'); the resolved scenario carries
 * them as integer milliseconds (`atMs`, `durationMs`, `lagMs`, `skewMs`).
 */
import { z } from 'zod';
import { FAULTS_MAX } from '../faults/resolve-schedule.ts';
import { duration, regionName, signedDuration, slug } from './schema-parts.ts';

const faultSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('isolate'), region: regionName }),
  z.strictObject({ kind: z.literal('partition'), regions: z.tuple([regionName, regionName]) }),
  z.strictObject({
    kind: z.literal('replica-lag'),
    from: regionName,
    to: regionName,
    lag: duration,
  }),
  z.strictObject({ kind: z.literal('pause-replication'), from: regionName, to: regionName }),
  z.strictObject({ kind: z.literal('kill-cluster'), cluster: slug, region: regionName }),
  z.strictObject({
    kind: z.literal('failover'),
    cluster: slug,
    from: regionName,
    to: regionName,
  }),
  z.strictObject({ kind: z.literal('clock-skew'), region: regionName, skew: signedDuration }),
  z.strictObject({ kind: z.literal('crash-bank'), region: regionName }),
]);

export const faultEntrySchema = z.strictObject({
  at: duration,
  /** Required for every kind but failover, which is instantaneous and must have none. */
  duration: duration.optional(),
  fault: faultSpec,
});

export const faultsSchema = z.array(faultEntrySchema).max(FAULTS_MAX);

export type FaultEntrySpec = z.input<typeof faultEntrySchema>;
export type FaultEntryParsed = z.output<typeof faultEntrySchema>;
