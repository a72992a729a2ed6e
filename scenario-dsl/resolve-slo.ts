/**
 * Defaults and rules for `slo`. Nothing is judged unless the scenario says so, with one
 * inheritance: `after` a fault the system should be back to steady state, so a budget `after`
 * leaves out is the one `before` has. A region's own budgets override the global ones field by
 * field.
 */
import { PHASE_NAMES } from '../faults/phases.ts';
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';
import type { PhaseBudget, RegionSlo, ResolvedSlo } from './resolved-scenario.ts';
import type { PhaseSloParsed, SloParsed } from './slo-schema.ts';

type Budgets = Omit<SloParsed, 'regions'>;

export function resolveSlo(
  slo: SloParsed | undefined,
  regions: readonly string[],
  problems: FieldProblem[],
): ResolvedSlo {
  const global: Budgets = slo ?? {};
  const overrides = slo?.regions ?? {};
  for (const region of Object.keys(overrides)) {
    if (!regions.includes(region))
      problems.push({ path: `slo.regions.${region}`, message: notARegion(region, regions) });
  }
  checkLatencies(global, 'slo', problems);
  for (const [region, budgets] of Object.entries(overrides))
    checkLatencies(budgets, `slo.regions.${region}`, problems);
  const byRegion: Record<string, RegionSlo> = {};
  for (const region of regions) byRegion[region] = regionSlo(global, overrides[region] ?? {});
  return { byRegion };
}

function regionSlo(global: Budgets, own: Budgets): RegionSlo {
  const phase = (name: 'before' | 'during' | 'after'): PhaseBudget => ({
    successRateMin: own[name]?.successRate ?? global[name]?.successRate ?? null,
    latencyP99MsMax: own[name]?.p99Latency ?? global[name]?.p99Latency ?? null,
  });
  const before = phase('before');
  const after = phase('after');
  return {
    before,
    during: phase('during'),
    after: {
      successRateMin: after.successRateMin ?? before.successRateMin,
      latencyP99MsMax: after.latencyP99MsMax ?? before.latencyP99MsMax,
    },
    rtoMsMax: own.rto ?? global.rto ?? null,
    rpoMsMax: own.rpo ?? global.rpo ?? null,
  };
}

function checkLatencies(budgets: Budgets, path: string, problems: FieldProblem[]): void {
  for (const name of PHASE_NAMES) {
    const phase: PhaseSloParsed | undefined = budgets[name];
    if (phase?.p99Latency === 0) {
      problems.push({ path: `${path}.${name}.p99Latency`, message: '0ms; expected more than 0ms' });
    }
  }
}
