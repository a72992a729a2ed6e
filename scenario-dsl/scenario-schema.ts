/**
 * The shape of a scenario, as a person writes it. Defaults and cross-field rules are applied after
 * the shape is right (resolve-scenario.ts), so that every default is in one place and documented
 * in docs/scenarios.md.
 */
import { z } from 'zod';
import { BUG_FLAGS } from './bug-flags.ts';
import { exploreSchema } from './explore-schema.ts';
import { faultsSchema } from './fault-spec-schema.ts';
import { amount, duration, regionName, slug } from './schema-parts.ts';
import { sloSchema } from './slo-schema.ts';
import { workloadsSchema } from './workload-schema.ts';

export const REGIONS_MAX = 16;
export const ACCOUNTS_MAX = 100_000;
export const CLUSTERS_MAX = 16;
export const RETRIES_MAX = 10;
export const HYPOTHESIS_CHARS_MAX = 300;

const accountSpec = z.strictObject({
  name: z.string().regex(/^\S{1,64}$/, {
    error: 'expected an account name of 1 to 64 characters without spaces',
  }),
  /** Initial balance in minor units. */
  balance: amount,
  home: regionName.optional(),
});

const bankSchema = z.strictObject({
  accounts: z.array(accountSpec).min(1).max(ACCOUNTS_MAX).optional(),
  bugs: z.array(z.enum(BUG_FLAGS)).optional(),
});

const clusterSchema = z.strictObject({ name: slug, writer: regionName });

const clientsSchema = z.strictObject({
  timeout: duration.optional(),
  retries: z.number().int().min(0).max(RETRIES_MAX).optional(),
  retryBackoff: duration.optional(),
  idempotencyKeys: z.boolean().optional(),
  failover: z.boolean().optional(),
  healthCheck: z
    .strictObject({
      interval: duration.optional(),
      failures: z.number().int().min(1).max(RETRIES_MAX).optional(),
    })
    .optional(),
});

export const scenarioSchema = z.strictObject({
  name: slug,
  description: z.string().max(2000).optional(),
  hypothesis: z
    .string()
    .max(HYPOTHESIS_CHARS_MAX)
    .regex(/^[^\n\r]*\S[^\n\r]*$/, { error: 'expected one sentence on one line' }),
  regions: z.array(regionName).min(1).max(REGIONS_MAX).optional(),
  duration: duration.optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  bank: bankSchema.optional(),
  clusters: z.array(clusterSchema).max(CLUSTERS_MAX).optional(),
  workloads: workloadsSchema.optional(),
  clients: clientsSchema.optional(),
  faults: faultsSchema.optional(),
  slo: sloSchema.optional(),
  explore: exploreSchema.optional(),
});

export type ScenarioParsed = z.output<typeof scenarioSchema>;
export type BankParsed = z.output<typeof bankSchema>;
export type ClientsParsed = z.output<typeof clientsSchema>;
