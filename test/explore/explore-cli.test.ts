import { existsSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, runCli } from '../support/run-cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const LWW = join(ROOT, 'scenarios', 'explore', 'lww-balance-update.ts');
const NO_SPACE = join(ROOT, 'test', 'cli', 'fixtures', 'short-isolation.ts');
const NO_VALID = join(import.meta.dirname, 'fixtures', 'no-valid-schedule.ts');

function freshOut(): string {
  return mkdtempSync(join(tmpdir(), 'paychaos-explore-'));
}

function latestDir(out: string): string {
  return join(out, readlinkSync(join(out, 'latest')));
}

function lineAfter(stdout: string, label: string): string {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${label}:`));
  if (line === undefined) throw new Error(`no "${label}:" line in:\n${stdout}`);
  return line
    .trimStart()
    .slice(label.length + 1)
    .trim();
}

function faultLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('  fault:') || l.startsWith('  schedule:'));
}

describe('paychaos explore', () => {
  let out: string;
  let found: CliOutcome;

  beforeAll(() => {
    out = freshOut();
    found = runCli(['explore', LWW, '--runs', '30', '--seed', '1', '--out', out]);
    // About 2 s alone; a machine busy with other suites has taken more than the 10 s default.
  }, 60_000);

  it('finds and shrinks a violation on a flagged scenario and exits 1', () => {
    expect(found.code, found.stderr).toBe(1);
    expect(found.stdout).toMatch(
      /violation at run \d+, shrunk in \d+ of \d+ shrink runs to [0-2] fault/,
    );
    expect(faultLines(found.stdout).length).toBeLessThanOrEqual(2);
    const dir = latestDir(out);
    for (const file of ['history.jsonl', 'results.json', 'run.json', 'scenario.ts']) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(false);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.file).toBe(join(dir, 'scenario.ts'));
    expect(run.scenario).toBe('explore-lww-balance-update-repro');
    expect(run.resolvedScenario.explore).toBeNull();
    expect(lineAfter(found.stdout, 'resume')).toMatch(
      new RegExp(`^paychaos explore ${LWW} --seed 1 --path \\d+(:\\d+)*$`),
    );
  });

  it('writes a repro scenario file that paychaos run reproduces byte for byte', () => {
    const repro = lineAfter(found.stdout, 'repro scenario');
    expect(readFileSync(repro, 'utf8')).toContain("import { defineScenario } from '");
    const again = freshOut();
    const outcome = runCli(['run', repro, '--out', again]);
    expect(outcome.code, outcome.stderr).toBe(1);
    const original = readFileSync(join(latestDir(out), 'history.jsonl'), 'utf8');
    expect(readFileSync(join(latestDir(again), 'history.jsonl'), 'utf8')).toBe(original);
  });

  it('resumes exactly from the printed seed and path', () => {
    const resume = lineAfter(found.stdout, 'resume').split(' ').slice(3);
    const again = freshOut();
    const outcome = runCli(['explore', LWW, ...resume, '--out', again]);
    expect(outcome.code, outcome.stderr).toBe(1);
    expect(faultLines(outcome.stdout)).toEqual(faultLines(found.stdout));
    expect(lineAfter(outcome.stdout, 'resume')).toBe(lineAfter(found.stdout, 'resume'));
    const history = (o: string) => readFileSync(join(latestDir(o), 'history.jsonl'), 'utf8');
    expect(history(again)).toBe(history(out));
  });

  it('explores the same scenario with the correct bank clean and exits 0', () => {
    const outcome = runCli([
      'explore',
      LWW,
      '--correct-bank',
      '--runs',
      '4',
      '--seed',
      '2',
      '--out',
      freshOut(),
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('4 runs, no violation (fast-check seed 2)');
    expect(outcome.stdout).toContain(`rerun: paychaos explore ${LWW} --seed 2 --runs 4`);
  });

  it.each([
    [[LWW, '--runs', '0'], 64, /--runs: expected an integer from 1 to 100000, got "0"/],
    [[LWW, '--seed', 'x'], 64, /--seed: expected an integer from -2147483648 to 2147483647/],
    [[LWW, '--path', 'a:b'], 64, /--path: expected fast-check's path such as 12:0:3, got "a:b"/],
    [[LWW, '--bank-bug', 'nope'], 64, /--bank-bug nope: expected one of lww-balance-update/],
    [[LWW, '--correct-bank', '--bank-bug', 'lww-balance-update'], 64, /exclude each other/],
    [[LWW, '--fast'], 64, /Unknown option '--fast'/],
    [[], 64, /expected one scenario file; usage: paychaos explore/],
    [[NO_SPACE], 65, /short-isolation\.ts: explore: the scenario has no explore space/],
    [[join(ROOT, 'missing.ts')], 66, /missing\.ts: no such file/],
    [
      [NO_VALID, '--runs', '3'],
      65,
      /no-valid-schedule\.ts: .*almost no schedule of this space is a valid scenario \(\d+ candidates refused/,
    ],
  ])('rejects %j with exit %i and one line', (args, code, message) => {
    const outcome = runCli(['explore', ...args, '--out', freshOut()]);
    expect(outcome.code).toBe(code);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
