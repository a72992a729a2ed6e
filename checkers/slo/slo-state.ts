/** What one pass of the slo checker has gathered by finish(): what slo-judge and slo-stats read. */
import type { FaultBook } from './fault-book.ts';
import type { PhaseCell } from './phase-cell.ts';
import type { PhaseTimeline } from './phase-timeline.ts';
import type { RpoTracker } from './rpo-tracker.ts';
import type { RtoTracker } from './rto-tracker.ts';
import type { PhaseName, SloBudgets } from './slo-budgets.ts';

export interface SloState {
  budgets: SloBudgets | null;
  faults: FaultBook;
  timeline: PhaseTimeline;
  cells: Map<string, Map<PhaseName, PhaseCell>>;
  rtoByRegion: RtoTracker;
  rtoByHome: RtoTracker;
  rpo: RpoTracker;
  lastClientNs: number;
  lastTimeNs: number;
  opsWithoutRegion: number;
  nemesisIgnored: number;
}
