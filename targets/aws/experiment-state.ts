/**
 * The FIS experiment lifecycle as paychaos follows it by polling GetExperiment: pending ->
 * initiating -> running -> completed, or stopping -> stopped when stopped (by paychaos or a stop
 * condition), failed, or cancelled (an experiment that never started its actions). A poll may
 * skip states; it may never go back, and a terminal state never changes. A status outside this
 * list, or a step back, is a change in FIS paychaos does not understand: it fails loudly rather
 * than guess whether a fault is on.
 */

export const EXPERIMENT_STATUSES = [
  'pending',
  'initiating',
  'running',
  'completed',
  'stopping',
  'stopped',
  'failed',
  'cancelled',
] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

const TERMINAL: ReadonlySet<ExperimentStatus> = new Set([
  'completed',
  'stopped',
  'failed',
  'cancelled',
]);

/** The states each state may be followed by at the next poll (itself always). */
const NEXT: Readonly<Record<ExperimentStatus, readonly ExperimentStatus[]>> = {
  pending: ['initiating', 'running', 'completed', 'stopping', 'stopped', 'failed', 'cancelled'],
  initiating: ['running', 'completed', 'stopping', 'stopped', 'failed', 'cancelled'],
  running: ['completed', 'stopping', 'stopped', 'failed'],
  stopping: ['stopped', 'failed', 'completed'],
  completed: [],
  stopped: [],
  failed: [],
  cancelled: [],
};

export function experimentStatusOf(text: string | undefined): ExperimentStatus {
  const status = EXPERIMENT_STATUSES.find((s) => s === text);
  if (status === undefined) {
    throw new Error(
      `FIS reported experiment status ${JSON.stringify(text)}, which paychaos does not know`,
    );
  }
  return status;
}

export function isTerminal(status: ExperimentStatus): boolean {
  return TERMINAL.has(status);
}

/** Checks one observed step; throws on a step FIS's lifecycle does not allow. */
export function assertTransition(from: ExperimentStatus, to: ExperimentStatus, id: string): void {
  if (from === to || NEXT[from].includes(to)) return;
  throw new Error(
    `experiment ${id} went from ${from} to ${to}, which FIS's lifecycle does not allow`,
  );
}
