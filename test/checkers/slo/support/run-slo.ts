/** Runs the slo checker alone over history text, through the reader and the check session. */
import { checkHistoryText } from '../../../../checkers/check-session.ts';
import type { CheckResult } from '../../../../checkers/checker.ts';
import type { PhaseBudget, RegionBudget } from '../../../../checkers/slo/slo-budgets.ts';
import { sloChecker } from '../../../../checkers/slo/slo-checker.ts';
import type { HistoryBuilder } from '../../../support/history-builder.ts';

export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';
export const MS = 1_000_000;
export const S = 1_000_000_000;

export function runSlo(text: string, explicit = false): CheckResult | undefined {
  return checkHistoryText('test.jsonl', text, {
    checkers: [sloChecker],
    ...(explicit ? { only: ['slo'] } : {}),
    timeoutS: 10,
  }).checkers.slo;
}

export function anomalyTypes(result: CheckResult | undefined): string[] {
  return (result?.anomalies ?? []).map((anomaly) => anomaly.type).sort();
}

const NONE: PhaseBudget = { successRateMin: null, latencyP99MsMax: null };

export function regionBudget(overrides: Partial<RegionBudget> = {}): RegionBudget {
  return { before: NONE, during: NONE, after: NONE, rtoMsMax: null, rpoMsMax: null, ...overrides };
}

/** Adds init and the slo setup line with these budgets. */
export function setup(builder: HistoryBuilder, byRegion: Record<string, RegionBudget>): void {
  builder.init({ accounts: { a: 1000, b: 1000 } });
  builder.add('setup', 'ok', 'slo', { byRegion });
}

/** One client op, invoke then completion, each at its own time. Returns [invoke, completion]. */
export function clientOp(
  builder: HistoryBuilder,
  spec: {
    process: number;
    f?: string;
    value?: unknown;
    region?: string;
    atNs: number;
    endNs: number;
    type: 'ok' | 'fail' | 'info';
    error?: string;
    intendedNs?: number;
  },
): [number, number] {
  const f = spec.f ?? 'read';
  const value = spec.value ?? { key: 'k' };
  const region = spec.region ?? TOKYO;
  const invoke = builder.add(spec.process, 'invoke', f, value, { timeNs: spec.atNs, region });
  if (spec.intendedNs !== undefined) builder.ops[invoke]!.intendedNs = spec.intendedNs;
  const extras = {
    timeNs: spec.endNs,
    region,
    ...(spec.error === undefined ? {} : { error: spec.error }),
  };
  const completionValue = f === 'read' && spec.type === 'ok' ? { key: 'k', value: null } : value;
  const completion = builder.add(spec.process, spec.type, f, completionValue, {
    ...extras,
    ...(spec.type === 'fail' && spec.error === undefined ? { error: 'store refused: down' } : {}),
    ...(spec.type === 'info' && spec.error === undefined ? { error: 'timeout' } : {}),
  });
  return [invoke, completion];
}
