/**
 * The simulator must be deterministic: same scenario and seed, same bytes. That holds only if no
 * wall clock, no Math.random and no real timer is reachable from simulator code. This test reads
 * every source file under the folders the simulator runs and fails on any of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The run layer's drive and the sim target run inside the simulation too; lib/ holds its heap. */
const GUARDED_FOLDERS = [
  'targets/sim',
  'bank',
  'load',
  'lib',
  'run/targets/sim',
  'run/drive-run.ts',
];
/** The real timers allowed: the barriers that wait for the microtask queue, not for time. */
const ALLOWED = new Map([['targets/sim/microtask-barrier.ts', /\b(setImmediate|nextTick)\b/]]);
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\bDate\b/, 'the wall clock (Date)'],
  [/\bMath\.random\b/, 'Math.random'],
  [/\bperformance\b/, 'performance.now'],
  [/\bhrtime\b/, 'process.hrtime'],
  [/\b(setTimeout|setInterval|setImmediate)\b/, 'a real timer'],
  [/node:timers/, 'a real timer'],
  // The scheduler's barrier between events is a tick queued behind the microtasks: a tick of the
  // simulated code's own could run after it, once the clock has moved on.
  [/\bnextTick\b/, 'process.nextTick'],
  [/\b(randomBytes|randomUUID|getRandomValues|randomInt)\b/, 'crypto randomness'],
];

function sourceFiles(folder: string): string[] {
  const absolute = join(ROOT, folder);
  if (folder.endsWith('.ts')) return [absolute];
  let entries: string[];
  try {
    entries = readdirSync(absolute, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.endsWith('.ts')).map((entry) => join(absolute, entry));
}

function codeLines(text: string): { line: number; code: string }[] {
  return text
    .split('\n')
    .map((code, i) => ({ line: i + 1, code: code.replace(/\/\/.*$/, '') }))
    .filter(({ code }) => !/^\s*(\*|\/\*)/.test(code));
}

describe('determinism guard', () => {
  it('finds no wall clock, Math.random or real timer in simulator code', () => {
    const files = GUARDED_FOLDERS.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(0);
    const violations: string[] = [];
    for (const file of files) {
      const name = relative(ROOT, file);
      for (const { line, code } of codeLines(readFileSync(file, 'utf8'))) {
        for (const [pattern, what] of FORBIDDEN) {
          if (pattern.test(code) && !ALLOWED.get(name)?.test(code))
            violations.push(`${name}:${line}: ${what}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
