/**
 * `paychaos lab up` timed as a user runs it (a fresh node process: start-up and the CLI's load
 * included), then `lab down`, in a loop. The first of the bench is reported as cold: the engines'
 * files may still be in the page cache from earlier work on the machine, so it is the first
 * start of this bench, not of a fresh machine (RESULTS.md §5 has one from an empty .paychaos/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');
const COMMAND_TIMEOUT_MS = 120_000;

export interface LabUpTime {
  /** What the command printed: labUp alone. */
  inMs: number;
  /** From spawning node to its exit. */
  wallMs: number;
}

function lab(args: string[]): { stdout: string; wallMs: number } {
  const startedMs = performance.now();
  const child = spawnSync(process.execPath, [join(ROOT, 'bin', 'paychaos.js'), 'lab', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
  });
  const wallMs = performance.now() - startedMs;
  if (child.error !== undefined) throw child.error;
  if (child.status !== 0) {
    throw new Error(`paychaos lab ${args.join(' ')}: exit ${child.status}: ${child.stderr.trim()}`);
  }
  return { stdout: child.stdout, wallMs };
}

export function benchLabUp(times: number): LabUpTime[] {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-lab-up-'));
  const measured: LabUpTime[] = [];
  try {
    for (let i = 0; i < times; i += 1) {
      try {
        const up = lab(['up', '--dir', dir]);
        const seconds = /lab up in ([\d.]+) s/.exec(up.stdout)?.[1];
        if (seconds === undefined) throw new Error(`lab up printed no time: ${up.stdout.trim()}`);
        measured.push({ inMs: Number(seconds) * 1000, wallMs: up.wallMs });
      } finally {
        lab(['down', '--dir', dir]);
      }
    }
    return measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
