/**
 * The linearizable checker's own time against a bare WGL search (bench/bare-search.ts) over the
 * same recorded ops, in the same run. Per history, each side runs `repeats` times, alternating
 * which goes first (so that the garbage one leaves and the machine's drift hit both alike), and
 * the best time of each counts.
 */
import { performance } from 'node:perf_hooks';
import type { CheckResult } from '../checkers/checker.ts';
import { type BareVerdict, bareSearch } from './bare-search.ts';
import { type RecordedEvent, runLinearizableChecker } from './recorded-history.ts';

const TIMEOUT_S = 60;

export interface SideBySide {
  name: string;
  checkerMs: number;
  bareMs: number;
  checker: CheckResult;
  bare: BareVerdict;
}

function timed<T>(run: () => T): { ms: number; value: T } {
  const startedMs = performance.now();
  const value = run();
  return { ms: performance.now() - startedMs, value };
}

export function sideBySide(
  name: string,
  events: readonly RecordedEvent[],
  repeats: number,
): SideBySide {
  if (!(repeats >= 1)) throw new Error(`repeats must be at least 1, got ${repeats}`);
  const runChecker = () => timed(() => runLinearizableChecker(events, TIMEOUT_S));
  const runBare = () => timed(() => bareSearch(events, TIMEOUT_S));
  let checker = runChecker();
  let bare = runBare();
  for (let r = 1; r < repeats; r += 1) {
    const b = r % 2 === 1 ? runBare() : null;
    const c = runChecker();
    const b2 = b ?? runBare();
    if (c.ms < checker.ms) checker = c;
    if (b2.ms < bare.ms) bare = b2;
  }
  return { name, checkerMs: checker.ms, bareMs: bare.ms, checker: checker.value, bare: bare.value };
}
