import { performance } from 'node:perf_hooks';

/** A time budget. Polling is cheap; callers in hot loops poll every few thousand steps. */
export class Deadline {
  private expiresAtMs: number;

  constructor(
    readonly budgetMs: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(budgetMs > 0)) throw new Error(`time budget must be positive, got ${budgetMs} ms`);
    this.expiresAtMs = nowMs() + budgetMs;
  }

  /**
   * Moves the end later by time spent on work that was not this budget's (another checker's
   * judging): the budget counts only the time its own work took.
   */
  extendByMs(ms: number): void {
    if (!(ms >= 0)) throw new Error(`a deadline extends by a non-negative time, got ${ms} ms`);
    this.expiresAtMs += ms;
  }

  expired(): boolean {
    return this.nowMs() >= this.expiresAtMs;
  }

  describe(): string {
    return `${(this.budgetMs / 1000).toFixed(this.budgetMs % 1000 === 0 ? 0 : 1)} s`;
  }
}

/** Thrown from deep inside a checker's search when its deadline passes; the runner maps it. */
export class BudgetExceeded extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'BudgetExceeded';
  }
}
