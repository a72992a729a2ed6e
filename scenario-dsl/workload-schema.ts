/**
 * The shape of a scenario's `workloads`: bank, registers and checkout, each with a rate per
 * region (ops/s, open model), a Zipf skew over its accounts or keys, and optional spikes:
 * windows in which its rates are multiplied (a Super Bowl evening, a flash sale).
 */
import { z } from 'zod';
import { amount, duration, fraction, regionName } from './schema-parts.ts';

/** Per region: above this the driver, not the system under test, would be what is measured. */
export const RATE_PER_SEC_MAX = 100_000;
/** A Zipf exponent past this sends every op to one key; 0 is uniform. */
export const SKEW_MAX = 10;
export const WORKLOADS_MAX = 16;
export const REGISTER_KEYS_MAX = 100_000;
/** Spikes per workload: more is a rate curve, which spikes are not meant to draw. */
export const SPIKES_MAX = 100;
/** A spike multiplies rates by more than 0 (a dip below 1) and at most this. */
export const SPIKE_FACTOR_MAX = 100;

const ratePerSec = z.number().min(0).max(RATE_PER_SEC_MAX);
const rate = z.union([ratePerSec, z.record(regionName, ratePerSec)], {
  error: 'expected a rate in ops/s, or an object of region name to ops/s',
});
const skew = z.number().min(0).max(SKEW_MAX);
const amountRange = z.strictObject({ min: amount.min(1), max: amount.min(1) });
const keyCount = z.number().int().min(0).max(REGISTER_KEYS_MAX);
const spike = z.strictObject({
  at: duration,
  duration,
  factor: z.number().gt(0).max(SPIKE_FACTOR_MAX),
});
const spikes = z.array(spike).max(SPIKES_MAX);

const bankWorkload = z.strictObject({
  kind: z.literal('bank'),
  rate: rate.optional(),
  skew: skew.optional(),
  spikes: spikes.optional(),
  mix: z
    .strictObject({
      transfer: fraction.optional(),
      deposit: fraction.optional(),
      withdraw: fraction.optional(),
      consistentRead: fraction.optional(),
      eventualRead: fraction.optional(),
    })
    .optional(),
  amount: amountRange.optional(),
});

const registersWorkload = z.strictObject({
  kind: z.literal('registers'),
  rate: rate.optional(),
  skew: skew.optional(),
  spikes: spikes.optional(),
  keys: z.strictObject({ eventual: keyCount.optional(), strong: keyCount.optional() }).optional(),
  mix: z
    .strictObject({
      write: fraction.optional(),
      read: fraction.optional(),
      cas: fraction.optional(),
    })
    .optional(),
});

const checkoutWorkload = z.strictObject({
  kind: z.literal('checkout'),
  rate: rate.optional(),
  skew: skew.optional(),
  spikes: spikes.optional(),
  amount: amountRange.optional(),
});

export const workloadsSchema = z
  .array(z.discriminatedUnion('kind', [bankWorkload, registersWorkload, checkoutWorkload]))
  .max(WORKLOADS_MAX);

export type WorkloadParsed = z.output<typeof workloadsSchema>[number];
export type SpikeParsed = z.output<typeof spike>;
