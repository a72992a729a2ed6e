/**
 * SIGINT and SIGTERM for a command that runs scenarios. The command line owns the signals; the run
 * layer only hears the Interruption (run/interruption.ts). The first signal asks the run to stop
 * its load, heal and read its final state, and starts the clock on how long that may take; a
 * second signal, or that time running out, abandons the run at once. Each step is said on stderr.
 */
import type { Interruption } from '../run/interruption.ts';

/** How long (wall time) an interrupted run may take to heal, quiesce and read its final state. */
export const FINISH_AFTER_SIGNAL_MS_MAX = 10_000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface InterruptSignals {
  readonly interruption: Interruption;
  /** Puts the default handlers back (the process exits on the next signal). */
  dispose(): void;
}

/**
 * `onFirst` says what the command does about a first signal (a run and explore differ); the
 * second signal and the time bound are said here. `finishMsMax` null: no bound, only a second
 * signal abandons.
 */
export function installInterruptSignals(
  command: string,
  onFirst: (signal: string) => string,
  finishMsMax: number | null,
): InterruptSignals {
  const stop = new AbortController();
  const abandon = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  // On a terminal, first clear the progress line being redrawn in place.
  const clear = process.stderr.isTTY === true ? '\r\x1b[K' : '';
  const say = (line: string) => process.stderr.write(`${clear}paychaos ${command}: ${line}\n`);
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) {
      say(onFirst(signal));
      stop.abort(signal);
      if (finishMsMax === null) return;
      timer = setTimeout(() => {
        say(`still not done ${finishMsMax / 1000} s after ${signal}: giving up at once`);
        abandon.abort(`the final state was not read within ${finishMsMax / 1000} s of ${signal}`);
      }, finishMsMax);
      timer.unref();
      return;
    }
    if (abandon.signal.aborted) return;
    say(`second signal (${signal}): giving up at once`);
    abandon.abort(`a second signal (${signal})`);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    interruption: { stop: stop.signal, abandon: abandon.signal },
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      if (timer !== null) clearTimeout(timer);
    },
  };
}

/** The conventional exit code of a process stopped by `signal`: 128 + its number. */
export function exitCodeForSignal(signal: string): number {
  return signal.includes('SIGTERM') ? 143 : 130;
}
