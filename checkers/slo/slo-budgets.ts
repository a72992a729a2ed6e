/**
 * The budgets the slo checker judges, as the run writes them into the history right after
 * `init`: `{"process":"setup","type":"ok","f":"slo","value":{"byRegion":{...}}}` — the
 * scenario's ResolvedSlo (scenario-dsl/resolved-scenario.ts), so that `paychaos check` judges a
 * history alone. Units: milliseconds and fractions; null means "not judged".
 */
import { type Op, SLO_SETUP_F } from '../../history/op.ts';
import { isRecord } from '../../history/value-shapes.ts';

export const SLO_F = SLO_SETUP_F;
export type PhaseName = 'before' | 'during' | 'after';
export const PHASES: readonly PhaseName[] = ['before', 'during', 'after'];

export interface PhaseBudget {
  successRateMin: number | null;
  latencyP99MsMax: number | null;
}

export interface RegionBudget {
  before: PhaseBudget;
  during: PhaseBudget;
  after: PhaseBudget;
  rtoMsMax: number | null;
  rpoMsMax: number | null;
}

export interface SloBudgets {
  byRegion: Record<string, RegionBudget>;
  /** History index of the setup line the budgets came from. */
  lineIndex: number;
}

/** Regions a budget line may name; more is bad input rather than a scenario. */
const REGIONS_MAX = 1_000;

export function isSloLine(op: Op): boolean {
  return op.process === 'setup' && op.f === SLO_F;
}

/** A budget value: absent or null is "not judged"; anything else must be a number in range. */
function budgetNumber(
  value: unknown,
  where: string,
  range: { min: number; max: number },
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !(value >= range.min && value <= range.max)) {
    throw new Error(
      `${where}: expected null or a number in [${range.min}, ${range.max}], got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

const FRACTION = { min: 0, max: 1 };
const DURATION_MS = { min: 0, max: Number.MAX_SAFE_INTEGER };

function phaseBudget(value: unknown, where: string): PhaseBudget {
  if (value === undefined || value === null) return { successRateMin: null, latencyP99MsMax: null };
  if (!isRecord(value))
    throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`);
  return {
    successRateMin: budgetNumber(value.successRateMin, `${where}.successRateMin`, FRACTION),
    latencyP99MsMax: budgetNumber(value.latencyP99MsMax, `${where}.latencyP99MsMax`, DURATION_MS),
  };
}

function regionBudget(value: unknown, where: string): RegionBudget {
  if (!isRecord(value))
    throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`);
  return {
    before: phaseBudget(value.before, `${where}.before`),
    during: phaseBudget(value.during, `${where}.during`),
    after: phaseBudget(value.after, `${where}.after`),
    rtoMsMax: budgetNumber(value.rtoMsMax, `${where}.rtoMsMax`, DURATION_MS),
    rpoMsMax: budgetNumber(value.rpoMsMax, `${where}.rpoMsMax`, DURATION_MS),
  };
}

/** Parses the value of an `slo` setup line; throws naming the line and field at fault. */
export function parseSloLine(op: Op): SloBudgets {
  const where = `the slo line (index ${op.index}) value`;
  if (!isRecord(op.value) || !isRecord(op.value.byRegion)) {
    throw new Error(`${where}: expected {"byRegion": {...}}, got ${JSON.stringify(op.value)}`);
  }
  const regions = Object.keys(op.value.byRegion);
  if (regions.length > REGIONS_MAX) {
    throw new Error(`${where}: ${regions.length} regions, more than ${REGIONS_MAX}`);
  }
  const byRegion: Record<string, RegionBudget> = {};
  for (const region of regions) {
    byRegion[region] = regionBudget(op.value.byRegion[region], `${where}.byRegion.${region}`);
  }
  return { byRegion, lineIndex: op.index };
}
