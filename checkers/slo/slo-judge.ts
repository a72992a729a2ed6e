/** Judges the folded state against the budgets: slo-violation, rto-exceeded, rpo-exceeded. */
import type { Anomaly } from '../checker.ts';
import { judgePhase } from './judge-phases.ts';
import { judgeRpo, judgeRto } from './judge-recovery.ts';
import type { RegionRpo } from './rpo-tracker.ts';
import { PHASES } from './slo-budgets.ts';
import type { SloState } from './slo-state.ts';

export interface SloJudgement {
  anomalies: Anomaly[];
  cannotJudge: string[];
  notJudged: string[];
}

/** `rpo` is rposByRegion(state), computed once for the judgement and the stats. */
export function judgeSlo(state: SloState, rpo: Map<string, RegionRpo> | null): SloJudgement {
  const judgement: SloJudgement = { anomalies: [], cannotJudge: [], notJudged: [] };
  const budgets = state.budgets;
  if (budgets === null) return judgement;
  for (const [region, budget] of Object.entries(budgets.byRegion)) {
    for (const phase of PHASES) {
      const phaseJudgement = judgePhase(
        region,
        phase,
        budget[phase],
        state.cells.get(region)?.get(phase),
      );
      judgement.anomalies.push(...phaseJudgement.anomalies);
      judgement.notJudged.push(...phaseJudgement.notJudged);
    }
    if (budget.rtoMsMax === null) continue;
    for (const watch of state.rtoByRegion.watches) {
      if (watch.key !== region) continue;
      const rto = judgeRto(watch, budget.rtoMsMax, state.lastClientNs);
      if (rto === null) continue;
      if ('anomaly' in rto) judgement.anomalies.push(rto.anomaly);
      else judgement.cannotJudge.push(rto.cannotJudge);
    }
  }
  judgeRpos(state, rpo, judgement);
  return judgement;
}

function judgeRpos(
  state: SloState,
  rpo: Map<string, RegionRpo> | null,
  judgement: SloJudgement,
): void {
  const budgets = state.budgets;
  if (budgets === null) return;
  const judgedRegions = Object.entries(budgets.byRegion).filter(([, b]) => b.rpoMsMax !== null);
  if (judgedRegions.length === 0) return;
  if (rpo === null) {
    judgement.cannotJudge.push(
      `${state.rpo.acknowledged} payment(s) were acknowledged but the history has no "ledger" final line, so the RPO cannot be measured`,
    );
    return;
  }
  for (const [region, budget] of judgedRegions) {
    const regionRpo = rpo.get(region);
    if (regionRpo === undefined || budget.rpoMsMax === null) continue;
    const anomaly = judgeRpo(region, regionRpo, budget.rpoMsMax);
    if (anomaly !== null) judgement.anomalies.push(anomaly);
  }
}

/** RPO by region; null when payments were acknowledged and no ledger was read. */
export function rposByRegion(state: SloState): Map<string, RegionRpo> | null {
  if (state.rpo.ledgerLines === 0 && state.rpo.acknowledged > 0) return null;
  return state.rpo.byRegion(state.faults, state.lastClientNs);
}
