/**
 * Real time and randomness for the lab's store adapters. bank/ never touches the wall clock,
 * timers or Math.random itself (the simulator's determinism guard forbids it there): an adapter
 * that must wait or back off is handed this.
 */
export interface WallTime {
  nowMs(): number;
  sleepMs(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
  /**
   * Resolves once the event loop has run what the current turn's I/O brought in (setImmediate):
   * work that arrived together can then be taken together, with no timer's delay.
   */
  nextTurn(): Promise<void>;
}

export const WALL_TIME: WallTime = {
  nowMs: () => Date.now(),
  sleepMs: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  nextTurn: () => new Promise((resolve) => setImmediate(resolve)),
};
