/**
 * slo-violation: a region's success rate or p99 latency in a phase broke its budget. A phase in
 * which the region had no op to judge breaks nothing (there is no rate to be low); it is listed
 * in stats.notJudged.
 */
import type { Anomaly } from '../checker.ts';
import {
  durationNsText,
  exampleIndices,
  exampleText,
  formatMs,
  percent,
  phaseText,
} from './describe.ts';
import type { PhaseCell } from './phase-cell.ts';
import type { PhaseBudget, PhaseName } from './slo-budgets.ts';

export interface PhaseJudgement {
  anomalies: Anomaly[];
  notJudged: string[];
}

export function judgePhase(
  region: string,
  phase: PhaseName,
  budget: PhaseBudget,
  cell: PhaseCell | undefined,
): PhaseJudgement {
  const judgement: PhaseJudgement = { anomalies: [], notJudged: [] };
  if (budget.successRateMin !== null) {
    const rate = cell?.successRate() ?? null;
    if (cell === undefined || rate === null) {
      judgement.notJudged.push(`${region} ${phase} successRate: no op to judge`);
    } else if (rate < budget.successRateMin) {
      judgement.anomalies.push(rateViolation(region, phase, budget.successRateMin, cell, rate));
    }
  }
  if (budget.latencyP99MsMax !== null) {
    const p99Ms = cell?.latency.summaryMs().p99 ?? null;
    if (cell === undefined || p99Ms === null) {
      judgement.notJudged.push(`${region} ${phase} p99Latency: no ok op to judge`);
    } else if (p99Ms > budget.latencyP99MsMax) {
      judgement.anomalies.push(
        latencyViolation(region, phase, budget.latencyP99MsMax, cell, p99Ms),
      );
    }
  }
  return judgement;
}

function rateViolation(
  region: string,
  phase: PhaseName,
  rateMin: number,
  cell: PhaseCell,
  rate: number,
): Anomaly {
  const [topError, topCount] = cell.topErrors()[0] ?? ['', 0];
  const first = cell.firstFailures[0];
  const firstText = first === undefined ? '' : `; the first was ${exampleText(first)}`;
  return {
    type: 'slo-violation',
    message: `${region} served ${percent(rate)} of its ${cell.judgedOps} client ops ${phaseText(phase)}, below its ${percent(rateMin)} budget, with ${cell.fail + cell.info} failed (most often "${topError}", ${topCount} times)${firstText}`,
    ops: exampleIndices(cell.firstFailures),
    region,
    phase,
    budget: 'successRate',
    measured: rate,
    limit: rateMin,
    ok: cell.ok,
    failed: cell.fail + cell.info,
    errors: Object.fromEntries(cell.topErrors().slice(0, 5)),
  };
}

function latencyViolation(
  region: string,
  phase: PhaseName,
  p99MsMax: number,
  cell: PhaseCell,
  p99Ms: number,
): Anomaly {
  const slowest = cell.slowest[0];
  const slowText =
    slowest === undefined
      ? ''
      : `; the slowest was ${exampleText(slowest)}, ${durationNsText(slowest.latencyNs)} from its intended start`;
  return {
    type: 'slo-violation',
    message: `${region}'s p99 latency ${phaseText(phase)} was ${formatMs(p99Ms)} over ${cell.ok} ok ops, above its ${formatMs(p99MsMax)} budget${slowText}`,
    ops: exampleIndices(cell.slowest),
    region,
    phase,
    budget: 'p99Latency',
    measured: p99Ms,
    limit: p99MsMax,
    ok: cell.ok,
    slowestMs: cell.slowest.map((example) => example.latencyNs / 1e6),
  };
}
