/**
 * The shape of a scenario's `workloads`: bank, registers and checkout, each with a rate per
 * region (ops/s, open model) and a Zipf skew over its accounts or keys.
 */
import { z } from 'zod';
import { amount, fraction, regionName } from './schema-parts.ts';

/** Per region: above this the driver, not the system under test, would be what is measured. */
export const RATE_PER_SEC_MAX = 100_000;
/** A Zipf exponent past this sends every op to one key; 0 is uniform. */
export const SKEW_MAX = 10;
export const WORKLOADS_MAX = 16;
export const REGISTER_KEYS_MAX = 100_000;

const ratePerSec = z.number().min(0).max(RATE_PER_SEC_MAX);
const rate = z.union([ratePerSec, z.record(regionName, ratePerSec)], {
  error: 'expected a rate in ops/s, or an object of region name to ops/s',
});
const skew = z.number().min(0).max(SKEW_MAX);
const amountRange = z.strictObject({ min: amount.min(1), max: amount.min(1) });
const keyCount = z.number().int().min(0).max(REGISTER_KEYS_MAX);

const bankWorkload = z.strictObject({
  kind: z.literal('bank'),
  rate: rate.optional(),
  skew: skew.optional(),
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
  amount: amountRange.optional(),
});

export const workloadsSchema = z
  .array(z.discriminatedUnion('kind', [bankWorkload, registersWorkload, checkoutWorkload]))
  .max(WORKLOADS_MAX);

export type WorkloadParsed = z.output<typeof workloadsSchema>[number];
