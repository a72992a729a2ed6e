/**
 * How a run is told to stop early. The caller (the command line, on SIGINT or SIGTERM) owns the
 * signals and the time bound; the run layer only listens, between steps of the target's clock:
 * - `stop`: end the load now, stop the faults that are on, heal, quiesce and read the final state,
 *   sealing it as interrupted (docs/history-format.md);
 * - `abandon`: give up at once, final state or not (a second signal, or the bound ran out).
 * Each signal's `reason` is a string naming why, e.g. "SIGINT".
 *
 * No signal, no difference: a run that is never told to stop writes the same bytes as one given
 * no Interruption at all.
 */

export interface Interruption {
  readonly stop: AbortSignal;
  readonly abandon: AbortSignal;
}

/** What run.json records of a run a signal reached (null when none did). */
export interface RunInterrupted {
  /** Why, e.g. "SIGINT". */
  signal: string;
  /** The target's clock when the run noticed it (virtual time on the simulator). */
  atMs: number;
  /** True when it cut the load short; false when it came once the load had run out. */
  loadCut: boolean;
  /** `final-state-read`: healed and read in time; `abandoned`: given up before that. */
  outcome: 'final-state-read' | 'abandoned';
  /** Why it was given up: a second signal, or the time to finish ran out. */
  abandonedBecause?: string;
}

/** The run gave up before its final state was read: its history ends unsealed. */
export class RunAbandoned extends Error {
  constructor(
    readonly reason: string,
    readonly atMs: number,
    /** Whether a first signal had already cut the load short. */
    readonly loadCut: boolean,
  ) {
    super(`gave up before the final state was read (${reason})`);
    this.name = 'RunAbandoned';
  }
}

export function reasonOf(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : String(signal.reason);
}

/**
 * `work`, unless `abandon` fires first: then a RunAbandoned, and `work` is left to the target's
 * `down`. Without an abandon signal, `work` itself, untouched.
 */
export function unlessAbandoned<T>(
  work: Promise<T>,
  abandon: AbortSignal | undefined,
  atMs: () => number,
  loadCut: boolean,
): Promise<T> {
  if (abandon === undefined) return work;
  const abandoned = () => new RunAbandoned(reasonOf(abandon), atMs(), loadCut);
  if (abandon.aborted) {
    // Left to run out under the target's `down`; how it ends is that consequence, not news.
    work.catch(() => {});
    return Promise.reject(abandoned());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbandon = () => reject(abandoned());
    abandon.addEventListener('abort', onAbandon, { once: true });
    work.then(
      (value) => {
        abandon.removeEventListener('abort', onAbandon);
        resolve(value);
      },
      (error: unknown) => {
        abandon.removeEventListener('abort', onAbandon);
        reject(error);
      },
    );
  });
}
