import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function suiteDir(out: string): string {
  const dirs = readdirSync(out).filter((name) => name.startsWith('suite-'));
  expect(dirs).toHaveLength(1);
  return join(out, dirs[0] ?? '');
}

describe('paychaos suite', () => {
  it('runs every scenario in the folder, links each report from one index and exits by the worst verdict', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-suite-'));
    const outcome = runCli(['suite', join(FIXTURES, 'nightly'), '--out', out]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/a-short\.ts: VALID\n.*b-bug\.ts: INVALID\n/);
    expect(outcome.stdout).not.toContain('shared-settings');
    const dir = suiteDir(out);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    const links = [...index.matchAll(/<a href="([^"]+)">/g)].map((match) => match[1] ?? '');
    expect(links).toHaveLength(2);
    for (const link of links) expect(existsSync(join(dir, link))).toBe(true);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="short-isolation"');
    expect(xml).toContain('<testsuite name="bug-funds-check-on-replica"');
    expect(xml).toContain('<failure type="negative-balance"');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(
      /\| bug-funds-check-on-replica \| INVALID \| negative-balance x\d+ \|/,
    );
  }, 60_000);

  it('lists a scenario that cannot run as an error, runs the others, and exits 65', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-suite-'));
    const outcome = runCli(['suite', join(FIXTURES, 'broken'), '--out', out]);
    expect(outcome.code).toBe(65);
    expect(outcome.stdout).toContain('a-short.ts: VALID');
    expect(outcome.stdout).toMatch(/b-invalid\.ts: ERROR .*15/);
    // The last line agrees with the exit code: not VALID while a scenario could not run.
    const last = outcome.stdout.trimEnd().split('\n').at(-1);
    expect(last).toMatch(
      /^paychaos suite: ERROR \(exit 65\): 1 of 2 scenarios could not run; the 1 that ran: VALID; index: /,
    );
    const xml = readFileSync(join(suiteDir(out), 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="[^"]*b-invalid\.ts" tests="1" failures="0" errors="1"/);
  }, 60_000);

  it('refuses a folder that does not exist or holds no scenario, and other targets', () => {
    expect(runCli(['suite', '/nonexistent/scenarios']).code).toBe(66);
    expect(runCli(['suite', mkdtempSync(join(tmpdir(), 'paychaos-empty-'))]).code).toBe(66);
    const target = runCli(['suite', FIXTURES, '--target', 'gcp']);
    expect(target.code).toBe(64);
    expect(target.stderr).toMatch(/^paychaos suite: --target gcp: expected sim or local or aws/);
    const gameDay = runCli(['suite', FIXTURES, '--target', 'aws']);
    expect(gameDay.code).toBe(64);
    expect(gameDay.stderr).toMatch(
      /^paychaos suite: --target aws: a game day runs one scenario at a time/,
    );
  });
});
