/**
 * The fault schedule on the target's clock (drive-run.ts): each action is injected when its time
 * comes and written to a sink — the history itself under the Node driver, the harness's op log
 * under an external load engine (external-load-run.ts), merged into the history after.
 */
import type { NemesisAction } from '../faults/nemesis-action.ts';
import { nemesisOpDraft } from '../faults/nemesis-action.ts';
import { resolveSchedule } from '../faults/resolve-schedule.ts';
import type { OpDraft } from '../history/op.ts';
import type { TimerHandle } from '../load/clock.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import type { TargetSession } from './target.ts';

const NS_PER_MS = 1_000_000;
/** Nemesis lines waiting for a target to say when their fault took effect. */
const FAULT_LINES_PENDING_MAX = 1_000;

export interface NemesisSink {
  append(draft: OpDraft): unknown;
}

/**
 * The fault schedule on the target's clock. Each action is injected and written to the history
 * when its time comes; `stopNow` ends the schedule early (an interrupted run): what has not
 * happened never will, and every fault that is on is stopped now, in schedule order, so that the
 * target heals from a world with no fault left on.
 */
export class FaultTimeline {
  readonly active = new Set<string>();
  private readonly pending = new Map<NemesisAction, TimerHandle>();
  private readonly on = new Set<number>();
  /** Nemesis lines written once the target says the fault took effect (run/target.ts). */
  private readonly lines = new Set<Promise<void>>();
  private failure: unknown;

  constructor(
    private readonly session: TargetSession,
    scenario: ResolvedScenario,
    private readonly history: NemesisSink,
  ) {
    for (const action of resolveSchedule(scenario.faults, scenario.durationMs)) {
      const timer = session.clock.after(action.atMs * NS_PER_MS, () => {
        this.pending.delete(action);
        this.fire(action);
      });
      this.pending.set(action, timer);
    }
  }

  stopNow(): void {
    const stops: NemesisAction[] = [];
    for (const [action, timer] of this.pending) {
      timer.cancel();
      if (action.edge === 'stop' && this.on.has(action.faultIndex)) stops.push(action);
    }
    this.pending.clear();
    for (const stop of stops) this.fire(stop);
    if (this.on.size > 0) throw new Error(`faults ${[...this.on]} are still on with no stop left`);
  }

  private fire(action: NemesisAction): void {
    const seen = this.session.inject(action);
    trackActive(this.active, action);
    if (action.edge === 'start') this.on.add(action.faultIndex);
    else if (action.edge === 'stop') this.on.delete(action.faultIndex);
    if (seen === undefined) {
      this.history.append(nemesisOpDraft(action, this.session.clock.nowNs));
      return;
    }
    if (this.lines.size >= FAULT_LINES_PENDING_MAX) {
      throw new Error(`over ${FAULT_LINES_PENDING_MAX} nemesis lines waiting for their target`);
    }
    const line = seen.then(
      (keys) => {
        this.history.append({ ...nemesisOpDraft(action, this.session.clock.nowNs), ...keys });
      },
      (error: unknown) => {
        this.failure ??= error;
      },
    );
    this.lines.add(line);
    void line.finally(() => this.lines.delete(line));
  }

  /** Waits for the nemesis lines still waiting for their target; rethrows the first failure. */
  async settled(): Promise<void> {
    while (this.lines.size > 0) await Promise.all([...this.lines]);
    if (this.failure !== undefined) throw this.failure;
  }
}

function trackActive(active: Set<string>, action: NemesisAction): void {
  const name = `${action.f.replace(/^(start|stop|kill|restart|crash)-/, '')}#${action.faultIndex}`;
  if (action.edge === 'start') active.add(name);
  else if (action.edge === 'stop') active.delete(name);
}
