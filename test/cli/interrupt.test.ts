/**
 * Real signals sent to a real `paychaos run`: the first stops the load, stops the faults, heals and
 * reads the final state (sealed as interrupted: unknown, exit 2); a second gives up at once
 * (exit 130/143, history unsealed: `paychaos check` says unknown). run.json records which.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'paychaos.js');
const out = mkdtempSync(join(tmpdir(), 'paychaos-interrupt-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
/** A child that never reaches its load phase, or never ends, fails the test rather than hang it. */
const CHILD_MS_MAX = 90_000;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs paychaos, sends `signals` (all at once) when its output first shows `when`; waits for the end. */
function runAndSignal(args: string[], when: RegExp, signals: NodeJS.Signals[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`paychaos ${args.join(' ')} did not end; stderr: ${stderr}`));
    }, CHILD_MS_MAX);
    const maybeSignal = () => {
      if (sent || !when.test(stderr + stdout)) return;
      sent = true;
      for (const signal of signals) child.kill(signal);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      maybeSignal();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      maybeSignal();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!sent) reject(new Error(`never saw ${when} on stderr: ${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

function onlyRunDir(outDir: string): string {
  const scenarioDir = join(outDir, 'region-isolation');
  const runs = readdirSync(scenarioDir);
  expect(runs).toHaveLength(1);
  return join(scenarioDir, runs[0] as string);
}

function lastLine(file: string): Record<string, unknown> {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return JSON.parse(lines.at(-1) as string) as Record<string, unknown>;
}

describe('paychaos run, interrupted', () => {
  it('stops the load on SIGINT, reads and seals the final state, and is unknown (exit 2)', async () => {
    const outDir = join(out, 'once');
    const ended = await runAndSignal(
      ['run', 'scenarios/region-isolation.ts', '--out', outDir],
      /paychaos run: load: /,
      ['SIGINT'],
    );
    expect(ended.code).toBe(2);
    expect(ended.stderr).toMatch(/paychaos run: SIGINT: stopping the load/);
    expect(ended.stderr).toMatch(
      /paychaos run: interrupted by SIGINT: the load stopped at \d+\.\d s of 60 s; the faults were stopped, the final state read and judged/,
    );
    expect(ended.stdout).toMatch(/: UNKNOWN\n/);
    expect(ended.stdout).toMatch(
      /the run was interrupted \(SIGINT\) at \d+\.\d+ s, before its load/,
    );
    const dir = onlyRunDir(outDir);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.interrupted).toMatchObject({
      signal: 'SIGINT',
      loadCut: true,
      outcome: 'final-state-read',
    });
    expect(run.interrupted.atMs).toBeLessThan(60_000);
    const end = lastLine(join(dir, 'history.jsonl'));
    expect(end).toMatchObject({
      process: 'final',
      f: 'end',
      value: { interrupted: { signal: 'SIGINT' } },
    });
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe('unknown');
  }, 120_000);

  it('gives up at once on a second signal: exit 143 or 130, run.json says so, check says unknown', async () => {
    const outDir = join(out, 'twice');
    const ended = await runAndSignal(
      ['run', 'scenarios/region-isolation.ts', '--out', outDir],
      /paychaos run: load: /,
      ['SIGTERM', 'SIGINT'],
    );
    expect([130, 143]).toContain(ended.code);
    expect(ended.stderr).toMatch(/second signal \(SIG(INT|TERM)\): giving up at once/);
    expect(ended.stderr).toMatch(/gave up before the final state was read/);
    const dir = onlyRunDir(outDir);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.interrupted).toMatchObject({ loadCut: true, outcome: 'abandoned' });
    expect(run.interrupted.abandonedBecause).toMatch(/^a second signal/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(lastLine(join(dir, 'history.jsonl')).f).not.toBe('end');
    const check = runCli(['check', dir]);
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/the history ends before its final state was read/);
  }, 120_000);
});

describe('paychaos explore, interrupted', () => {
  it('finishes the run under way, stops, and prints the seed and path to resume with (exit 2)', async () => {
    const scenario = 'scenarios/explore/lww-balance-update.ts';
    const args = ['explore', scenario, '--correct-bank', '--runs', '1000', '--seed', '2'];
    const ended = await runAndSignal(
      [...args, '--out', join(out, 'explore')],
      /paychaos explore: search: /,
      ['SIGINT'],
    );
    expect(ended.code, ended.stderr).toBe(2);
    expect(ended.stderr).toMatch(/SIGINT: finishing the run under way, then stopping the search/);
    const match = ended.stdout.match(
      /interrupted \(SIGINT\) after (\d+) runs, no violation so far \(fast-check seed 2\)\n {2}resume: paychaos explore (\S+) --seed 2 --path (\d+) --runs (\d+)\n/,
    );
    expect(match, ended.stdout).not.toBeNull();
    const [, runsDone, file, path, runsLeft] = match as RegExpMatchArray;
    expect(file).toBe(scenario);
    expect(Number(runsDone) + Number(runsLeft)).toBe(1000);
    expect(Number(path)).toBeGreaterThanOrEqual(Number(runsDone));
  }, 120_000);
});

describe('paychaos suite, interrupted', () => {
  it('stops the scenario under way, runs no other, writes the index, and is unknown (exit 2)', async () => {
    const ended = await runAndSignal(
      ['suite', 'scenarios', '--out', join(out, 'suite')],
      /paychaos suite: \S+: (VALID|INVALID|UNKNOWN)\n/,
      ['SIGINT'],
    );
    expect(ended.code, ended.stderr).toBe(2);
    expect(ended.stdout).toMatch(
      /paychaos suite: interrupted \(SIGINT\): [1-9]\d* file\(s\) not run\n/,
    );
    expect(ended.stdout).toMatch(/paychaos suite: UNKNOWN; index: \S+index\.html\n$/);
  }, 120_000);
});
