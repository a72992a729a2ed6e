/** Defaults and rules for `workloads`. */
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';
import type { AmountRange, RateByRegion, ResolvedWorkload } from './resolved-scenario.ts';
import type { WorkloadParsed } from './workload-schema.ts';

export const DEFAULT_RATE_PER_SEC = 10;
/** YCSB's zipfian constant: a few accounts take most of the traffic, as merchants do. */
export const DEFAULT_SKEW = 0.99;
export const DEFAULT_AMOUNT: AmountRange = { min: 1, max: 1000 };
export const DEFAULT_BANK_MIX = {
  transfer: 0.7,
  deposit: 0.05,
  withdraw: 0.05,
  consistentRead: 0.1,
  eventualRead: 0.1,
};
export const DEFAULT_REGISTER_KEYS = { eventual: 8, strong: 4 };
export const DEFAULT_REGISTER_MIX = { write: 0.4, read: 0.5, cas: 0.1 };
/** Fractions are decimals people type (0.1 + 0.2): a sum this close to 1 is 1. */
const MIX_SUM_TOLERANCE = 1e-9;

export interface WorkloadContext {
  regions: readonly string[];
  accountCount: number;
}

export function resolveWorkloads(
  workloads: readonly WorkloadParsed[] | undefined,
  context: WorkloadContext,
  problems: FieldProblem[],
): ResolvedWorkload[] {
  const specs: readonly WorkloadParsed[] = workloads ?? [{ kind: 'bank' }];
  return specs.map((spec, i) => resolveWorkload(spec, `workloads[${i}]`, context, problems));
}

function resolveWorkload(
  spec: WorkloadParsed,
  path: string,
  context: WorkloadContext,
  problems: FieldProblem[],
): ResolvedWorkload {
  const base = {
    opsPerSecByRegion: resolveRate(spec.rate, `${path}.rate`, context.regions, problems),
    skew: spec.skew ?? DEFAULT_SKEW,
  };
  switch (spec.kind) {
    case 'bank': {
      const mix =
        spec.mix === undefined ? { ...DEFAULT_BANK_MIX } : fillMix(spec.mix, DEFAULT_BANK_MIX);
      checkMix(mix, `${path}.mix`, problems);
      if (mix.transfer > 0) checkAccounts(context, `${path}.mix.transfer`, 'transfers', problems);
      const amount = resolveAmount(spec.amount, `${path}.amount`, problems);
      return { kind: 'bank', ...base, mix, amount };
    }
    case 'registers': {
      const keys = { ...DEFAULT_REGISTER_KEYS, ...definedOf(spec.keys ?? {}) };
      if (keys.eventual + keys.strong === 0) {
        problems.push({
          path: `${path}.keys`,
          message: 'has no keys; expected at least one eventual or strong key',
        });
      }
      const mix =
        spec.mix === undefined
          ? { ...DEFAULT_REGISTER_MIX }
          : fillMix(spec.mix, DEFAULT_REGISTER_MIX);
      checkMix(mix, `${path}.mix`, problems);
      return { kind: 'registers', ...base, keys, mix };
    }
    case 'checkout': {
      checkAccounts(context, `${path}.kind`, 'checkouts', problems);
      const amount = resolveAmount(spec.amount, `${path}.amount`, problems);
      return { kind: 'checkout', ...base, amount };
    }
  }
}

/** A single number is the rate in every region; in an object, a region left out gets 0. */
function resolveRate(
  rate: number | Record<string, number> | undefined,
  path: string,
  regions: readonly string[],
  problems: FieldProblem[],
): RateByRegion {
  const byRegion: RateByRegion = {};
  for (const region of regions) {
    byRegion[region] =
      typeof rate === 'object' ? (rate[region] ?? 0) : (rate ?? DEFAULT_RATE_PER_SEC);
  }
  if (typeof rate === 'object') {
    for (const region of Object.keys(rate)) {
      if (!regions.includes(region))
        problems.push({ path: `${path}.${region}`, message: notARegion(region, regions) });
    }
  }
  return byRegion;
}

/** A mix that is given names its fractions; one left out is 0, not its default. */
function fillMix<T extends Record<string, number>>(
  given: Partial<Record<keyof T, number | undefined>>,
  defaults: T,
): T {
  const mix = { ...defaults };
  for (const key of Object.keys(defaults) as Array<keyof T>) {
    (mix as Record<keyof T, number>)[key] = given[key] ?? 0;
  }
  return mix;
}

function checkMix(mix: Record<string, number>, path: string, problems: FieldProblem[]): void {
  const sum = Object.values(mix).reduce((total, fraction) => total + fraction, 0);
  if (Math.abs(sum - 1) > MIX_SUM_TOLERANCE) {
    const terms = Object.entries(mix)
      .map(([name, fraction]) => `${name} ${fraction}`)
      .join(' + ');
    problems.push({
      path,
      message: `fractions sum to ${Number(sum.toFixed(6))} (${terms}); expected them to sum to 1`,
    });
  }
}

function checkAccounts(
  context: WorkloadContext,
  path: string,
  what: string,
  problems: FieldProblem[],
): void {
  if (context.accountCount >= 2) return;
  problems.push({
    path,
    message: `${what} need two accounts but bank.accounts has ${context.accountCount}; add an account`,
  });
}

function resolveAmount(
  amount: AmountRange | undefined,
  path: string,
  problems: FieldProblem[],
): AmountRange {
  const resolved = amount ?? { ...DEFAULT_AMOUNT };
  if (resolved.min > resolved.max) {
    problems.push({
      path,
      message: `min ${resolved.min} is greater than max ${resolved.max}; expected min <= max`,
    });
  }
  return { min: resolved.min, max: resolved.max };
}

function definedOf<T extends Record<string, number | undefined>>(
  values: T,
): Partial<Record<keyof T, number>> {
  const defined: Partial<Record<keyof T, number>> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) defined[key as keyof T] = value;
  }
  return defined;
}
