/** Defaults and rules for `workloads`. */
import { formatDurationMs } from './duration.ts';
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';
import type {
  AmountRange,
  RateByRegion,
  RateSpike,
  ResolvedWorkload,
} from './resolved-scenario.ts';
import type { SpikeParsed, WorkloadParsed } from './workload-schema.ts';
import { RATE_PER_SEC_MAX } from './workload-schema.ts';

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
  /**
   * The run's length, to hold spikes inside it. Optional because a run whose own duration is
   * unsound has no length to judge against (fix that first, as with faults), and because
   * resolve-scenario.ts does not pass it yet (docs/scenarios.md, Spikes).
   */
  runMs?: number;
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
  const opsPerSecByRegion = resolveRate(spec.rate, `${path}.rate`, context.regions, problems);
  const spikes = resolveSpikes(spec.spikes ?? [], `${path}.spikes`, {
    opsPerSecByRegion,
    runMs: context.runMs,
    problems,
  });
  const base = {
    opsPerSecByRegion,
    skew: spec.skew ?? DEFAULT_SKEW,
    ...(spikes.length > 0 ? { spikes } : {}),
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

interface SpikeContext {
  opsPerSecByRegion: RateByRegion;
  runMs: number | undefined;
  problems: FieldProblem[];
}

/**
 * Each spike on its own first (length, inside the run, spiked rate within the cap); overlaps only
 * when every spike is sound, since a spike past the run would otherwise be reported twice.
 */
function resolveSpikes(
  specs: readonly SpikeParsed[],
  path: string,
  context: SpikeContext,
): RateSpike[] {
  const spikes = specs.map((spec) => ({
    atMs: spec.at,
    durationMs: spec.duration,
    factor: spec.factor,
  }));
  const problems: FieldProblem[] = [];
  spikes.forEach((spike, i) => {
    problems.push(...spikeProblems(spike, `${path}[${i}]`, context));
  });
  if (problems.length === 0) problems.push(...spikeOverlaps(spikes, path));
  context.problems.push(...problems);
  return spikes;
}

function spikeProblems(spike: RateSpike, path: string, context: SpikeContext): FieldProblem[] {
  const { atMs, durationMs, factor } = spike;
  if (durationMs <= 0) {
    return [
      {
        path: `${path}.duration`,
        message: `${formatDurationMs(durationMs)}; expected more than 0ms`,
      },
    ];
  }
  const { runMs } = context;
  if (runMs !== undefined) {
    const run = formatDurationMs(runMs);
    if (atMs >= runMs) {
      const message =
        atMs === runMs
          ? `${run} is the end of the run; expected a time before ${run}`
          : `${formatDurationMs(atMs)} is after the end of the run (${run})`;
      return [{ path: `${path}.at`, message }];
    }
    if (atMs + durationMs > runMs) {
      const message = `${formatDurationMs(durationMs)} from ${formatDurationMs(atMs)} ends at ${formatDurationMs(atMs + durationMs)}, after the end of the run (${run})`;
      return [{ path: `${path}.duration`, message }];
    }
  }
  const [region, opsPerSec] = busiestRegion(context.opsPerSecByRegion);
  if (opsPerSec * factor > RATE_PER_SEC_MAX) {
    const message = `${factor} × ${opsPerSec} ops/s in ${region} is ${Number((opsPerSec * factor).toFixed(3))} ops/s; expected at most ${RATE_PER_SEC_MAX} ops/s`;
    return [{ path: `${path}.factor`, message }];
  }
  return [];
}

function busiestRegion(opsPerSecByRegion: RateByRegion): [string, number] {
  let busiest: [string, number] = ['', 0];
  for (const [region, opsPerSec] of Object.entries(opsPerSecByRegion)) {
    if (opsPerSec > busiest[1]) busiest = [region, opsPerSec];
  }
  return busiest;
}

/**
 * Two spikes of one workload may not overlap: which factor would hold, or their product, is a
 * guess. Touching spikes (one ends as the next starts) are a step, and fine. O(n log n).
 */
function spikeOverlaps(spikes: readonly RateSpike[], path: string): FieldProblem[] {
  const order = spikes.map((_, i) => i).sort((a, b) => atOf(spikes, a) - atOf(spikes, b) || a - b);
  const problems: FieldProblem[] = [];
  let latest: { index: number; spike: RateSpike } | null = null;
  for (const i of order) {
    const spike = spikes[i];
    if (spike === undefined) throw new Error(`spikeOverlaps: no spikes[${i}]`);
    if (latest !== null && spike.atMs < endOf(latest.spike)) {
      const other = latest.spike;
      const message = `${formatDurationMs(spike.atMs)} overlaps spikes[${latest.index}], from ${formatDurationMs(other.atMs)} to ${formatDurationMs(endOf(other))}; start it at ${formatDurationMs(endOf(other))} or later`;
      problems.push({ path: `${path}[${i}].at`, message });
      if (endOf(spike) <= endOf(other)) continue;
    }
    latest = { index: i, spike };
  }
  return problems;
}

function atOf(spikes: readonly RateSpike[], i: number): number {
  const spike = spikes[i];
  if (spike === undefined) throw new Error(`atOf: no spikes[${i}]`);
  return spike.atMs;
}

function endOf(spike: RateSpike): number {
  return spike.atMs + spike.durationMs;
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
