/**
 * How a run tells a person what it is doing: progress and warnings go to a reporter the caller
 * injects, so that the command line prints them and explore's hundreds of runs stay quiet.
 */

export interface RunProgress {
  phase: 'setup' | 'load' | 'settle' | 'final-state';
  /** The target's clock since the run started (virtual time on the simulator). */
  runMs: number;
  opsPerSec: number;
  faultsActive: string[];
}

export interface RunReporter {
  progress(progress: RunProgress): void;
  /** Something went wrong that loses no verdict (a report that could not be written). */
  warning(message: string): void;
}

export const QUIET_REPORTER: RunReporter = { progress: () => {}, warning: () => {} };
