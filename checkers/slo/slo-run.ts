/**
 * One pass of the slo checker. Client ops are folded as they resolve into per (region, phase)
 * cells, RTO watches per region and per client home, and the acknowledged-payment table for RPO;
 * nemesis lines build the faults and the phases as they stream by; budgets come from the `slo`
 * setup line. Everything is judged in finish(), when the ledger has been read.
 *
 * Memory: 3 PhaseCells per region, the faults (FaultBook, PhaseTimeline), the RTO trackers' ops
 * in flight and watches, and one AckRecord per acknowledged payment not yet in the ledger.
 */
import type { ClientOp, Op } from '../../history/op.ts';
import { AnomalyLog } from '../anomaly-log.ts';
import type { CheckContext, CheckerRun, CheckResult } from '../checker.ts';
import { BudgetExceeded } from '../deadline.ts';
import { Unjudged } from '../unjudged.ts';
import { FaultBook } from './fault-book.ts';
import { homeOf } from './home-region.ts';
import { intendedStartNs, outcomeOf, regionOf } from './op-outcome.ts';
import { PhaseCell } from './phase-cell.ts';
import { PhaseTimeline } from './phase-timeline.ts';
import { RpoTracker } from './rpo-tracker.ts';
import { RtoTracker } from './rto-tracker.ts';
import { isSloLine, type PhaseName, parseSloLine } from './slo-budgets.ts';
import { judgeSlo, rposByRegion } from './slo-judge.ts';
import type { SloState } from './slo-state.ts';
import { sloStats } from './slo-stats.ts';

export class SloRun implements CheckerRun {
  private readonly state: SloState = {
    budgets: null,
    faults: new FaultBook(),
    timeline: new PhaseTimeline(),
    cells: new Map(),
    rtoByRegion: new RtoTracker(),
    rtoByHome: new RtoTracker(),
    rpo: new RpoTracker(),
    lastClientNs: 0,
    lastTimeNs: 0,
    opsWithoutRegion: 0,
    nemesisIgnored: 0,
  };
  private readonly regions = new Set<string>();
  /**
   * The budgets line comes before the first client op (a run writes it right after init). A
   * history whose client ops start without one is not this checker's: it stops looking at once,
   * so that a plain bank or register history costs it nothing.
   */
  private dormant = false;
  private readonly unjudged = new Unjudged();

  constructor(private readonly context: CheckContext) {}

  onOp(op: Op): void {
    if (this.dormant) return;
    if (typeof op.process === 'number' && this.state.budgets === null) {
      this.dormant = true;
      return;
    }
    this.state.lastTimeNs = op.time;
    if (typeof op.process === 'number') {
      this.state.lastClientNs = op.time;
      if (op.type === 'invoke') this.onInvoke(op);
    } else if (op.process === 'nemesis') {
      this.onNemesis(op);
    } else if (isSloLine(op)) {
      this.onSloLine(op);
    } else if (op.process === 'final' && op.f === 'ledger') {
      this.state.rpo.onLedgerLine(op);
    }
  }

  onClientOp(clientOp: ClientOp): void {
    if (this.dormant) return;
    const outcome = outcomeOf(clientOp);
    this.state.rpo.onResolved(clientOp);
    const home = homeOf(clientOp.invoke, this.regions);
    if (home !== null) this.state.rtoByHome.onResolved(home, clientOp, outcome);
    const region = regionOf(clientOp);
    if (region === null) {
      this.state.opsWithoutRegion += 1;
      return;
    }
    this.state.rtoByRegion.onResolved(region, clientOp, outcome);
    const startNs = intendedStartNs(clientOp);
    const endNs = clientOp.completion?.time ?? startNs;
    this.cell(region, this.state.timeline.phaseAt(startNs)).add(clientOp, outcome, endNs - startNs);
  }

  applies(): boolean {
    return this.state.budgets !== null;
  }

  finish(): CheckResult {
    const log = new AnomalyLog(this.context.anomaliesPerTypeMax);
    if (this.context.deadline.expired()) throw new BudgetExceeded('before judging the budgets');
    const rpo = rposByRegion(this.state);
    const judged = judgeSlo(this.state, rpo);
    for (const anomaly of judged.anomalies) log.add(anomaly);
    for (const reason of judged.cannotJudge) this.unjudged.add(reason);
    if (this.state.budgets === null) {
      this.unjudged.add(
        'the history has no "slo" setup line, so there are no budgets to judge (paychaos run writes one on every run, before the first client op)',
      );
    }
    const stats = {
      ...sloStats(this.state, rpo),
      notJudged: judged.notJudged,
      anomalyCounts: log.countsByType(),
    };
    return this.unjudged.result(log, stats);
  }

  private onInvoke(op: Op): void {
    if (typeof op.region === 'string') {
      this.regions.add(op.region);
      this.state.rtoByRegion.onInvoke(op.region, op);
    }
    const home = homeOf(op, this.regions);
    if (home !== null) this.state.rtoByHome.onInvoke(home, op);
  }

  private onNemesis(op: Op): void {
    const event = this.state.faults.onNemesis(op);
    switch (event.kind) {
      case 'start':
      case 'instant':
        if (event.kind === 'start') this.state.timeline.onStart(op.time);
        else this.state.timeline.onInstant(op.time);
        this.state.rtoByRegion.onFaultStart(event.fault);
        this.state.rtoByHome.onFaultStart(event.fault);
        return;
      case 'stop':
        this.state.timeline.onStop(op.time);
        return;
      case 'unpaired-stop':
        this.unjudged.add(
          `nemesis ${op.f} at index ${op.index} stops no fault that was started with the same value, so the phases around it may be wrong`,
        );
        return;
      case 'ignored':
        this.state.nemesisIgnored += 1;
        return;
    }
  }

  private onSloLine(op: Op): void {
    if (this.state.budgets !== null) {
      this.unjudged.add(
        `a second "slo" setup line at index ${op.index}; only the first (index ${this.state.budgets.lineIndex}) was judged`,
      );
      return;
    }
    this.state.budgets = parseSloLine(op);
    for (const region of Object.keys(this.state.budgets.byRegion)) this.regions.add(region);
  }

  private cell(region: string, phase: PhaseName): PhaseCell {
    let byPhase = this.state.cells.get(region);
    if (byPhase === undefined) {
      byPhase = new Map();
      this.state.cells.set(region, byPhase);
    }
    let cell = byPhase.get(phase);
    if (cell === undefined) {
      cell = new PhaseCell();
      byPhase.set(phase, cell);
    }
    return cell;
  }
}
