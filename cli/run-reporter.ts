/**
 * The command line's reporter for a run (run/reporter.ts): progress on stderr — one line
 * rewritten in place on a terminal, one line per phase otherwise — and warnings as
 * `paychaos <command>: warning: ...` lines. `end()` clears the progress line.
 */
import type { RunProgress, RunReporter } from '../run/reporter.ts';

export interface CliRunReporter extends RunReporter {
  end(): void;
}

function progressLine(progress: RunProgress, target: string): string {
  const faults = progress.faultsActive.length > 0 ? progress.faultsActive.join(', ') : 'none';
  const clock = target === 'sim' ? 'simulated' : 'run';
  return `${progress.phase}: ${(progress.runMs / 1000).toFixed(1)} s ${clock}, ${Math.round(progress.opsPerSec)} ops/s, faults active: ${faults}`;
}

/** `showProgress` false: warnings only (replay, suite and explore print their own progress). */
export function cliRunReporter(
  command: string,
  target: string,
  showProgress: boolean,
): CliRunReporter {
  const tty = process.stderr.isTTY === true;
  let lastPhase = '';
  let drawn = false;
  const clear = () => {
    if (drawn) process.stderr.write('\r\x1b[K');
    drawn = false;
  };
  return {
    progress: (progress) => {
      if (!showProgress) return;
      const line = progressLine(progress, target);
      if (tty) {
        process.stderr.write(`\r\x1b[K${line}`);
        drawn = true;
      } else if (progress.phase !== lastPhase) {
        process.stderr.write(`paychaos ${command}: ${line}\n`);
      }
      lastPhase = progress.phase;
    },
    warning: (message) => {
      clear();
      process.stderr.write(`paychaos ${command}: warning: ${message}\n`);
    },
    end: clear,
  };
}
