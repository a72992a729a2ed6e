import { existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'short-isolation.ts');
const INVALID = join(import.meta.dirname, 'fixtures', 'invalid-scenario.ts');

function runInto(out: string, ...args: string[]) {
  return runCli(['run', SCENARIO, '--out', out, ...args]);
}

function latestDir(out: string): string {
  return join(out, readlinkSync(join(out, 'latest')));
}

describe('paychaos run', () => {
  it('writes the run directory, points latest at it, judges the history and exits by the verdict', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-run-'));
    const outcome = runInto(out, '--seed', '3');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/short-isolation\/[0-9T-]+Z-seed3: VALID/);
    expect(outcome.stdout).toContain('reproduce: paychaos run');
    const dir = latestDir(out);
    for (const file of ['history.jsonl', 'results.json', 'run.json', 'report.html']) {
      expect(existsSync(join(dir, file))).toBe(true);
    }
    // The simulator runs no process whose output would go to logs/: none is promised or made.
    expect(existsSync(join(dir, 'logs'))).toBe(false);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({
      scenario: 'short-isolation',
      seed: 3,
      target: 'sim',
      load: 'node',
      bugs: [],
    });
    expect(run.simulatedMs).toBeGreaterThanOrEqual(8000);
    expect(run.wallMs).toBeGreaterThan(0);
    expect(run.ops.written).toBeGreaterThan(100);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.valid).toBe(true);
    expect(Object.keys(results.checkers).sort()).toEqual([
      'balance',
      'completeness',
      'linearizable',
      'lww',
      'slo',
    ]);
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8');
    expect(history).toContain('"f":"start-isolate"');
    expect(history).toContain('"f":"final-read"');
  });

  it('gives the same bytes for the same seed and other bytes for another', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-run-'));
    const histories = ['11', '11', '12'].map((seed) => {
      expect(runInto(out, '--seed', seed).code).toBe(0);
      return readFileSync(join(latestDir(out), 'history.jsonl'), 'utf8');
    });
    expect(histories[1]).toBe(histories[0]);
    expect(histories[2]).not.toBe(histories[0]);
  });

  it('takes the scenario seed when no --seed is given and records planted bugs', () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-run-'));
    const outcome = runInto(out, '--bank-bug', 'funds-check-on-replica');
    expect([0, 1]).toContain(outcome.code);
    const run = JSON.parse(readFileSync(join(latestDir(out), 'run.json'), 'utf8'));
    expect(run.seed).toBe(5);
    expect(run.bugs).toEqual(['funds-check-on-replica']);
    expect(outcome.stdout).toContain('--bank-bug funds-check-on-replica');
  });

  it.each([
    [['--seed', 'abc'], 64, /--seed: expected a non-negative integer, got "abc"/],
    [['--bank-bug', 'nope'], 64, /--bank-bug nope: expected one of lww-balance-update/],
    [['--target', 'gcp'], 64, /--target gcp: expected sim or local or aws/],
  ])('rejects %j with exit %i and one line', (args, code, message) => {
    const outcome = runInto(mkdtempSync(join(tmpdir(), 'paychaos-run-')), ...args);
    expect(outcome.code).toBe(code);
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    [
      'a syntax error: file:line:column and the reason',
      'export default {\n  name: "x",\n  seed: 1\n  foo: ,\n};\n',
      /^(.*)broken\.ts:4:2: syntax error: Expected "}" but found "foo"$/,
    ],
    [
      'a syntax error in a .js module, which Node parses',
      'export default {\n  name: "x",\n  seed: 1\n  foo: ,\n};\n',
      /^(.*)broken\.js:4:3: syntax error: Unexpected identifier 'foo'$/,
    ],
    [
      'a file that exports nothing',
      'const scenario = { name: "x" };\nconsole.log(scenario.name);\n',
      /broken\.ts: has no default export; expected a \.ts or \.js module whose default export is defineScenario/,
    ],
    [
      'a file with only named exports',
      'export const scenario = { name: "x" };\n',
      /broken\.ts: has no default export/,
    ],
  ])('says what is wrong with a scenario module, exit 65: %s', (_, source, message) => {
    // Outside this package (no "type": "module" above it), as a user's own scenario file is.
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-scenario-'));
    const js = message.source.includes('broken\\.js');
    // A .js module in a "type": "module" package is parsed by Node itself, not by tsx.
    if (js) writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
    const file = join(dir, js ? 'broken.js' : 'broken.ts');
    writeFileSync(file, source);
    const outcome = runCli(['run', file, '--out', join(dir, 'runs')]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr.trimEnd()).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('names the field of an invalid scenario (exit 65) and a missing file (exit 66)', () => {
    const invalid = runCli(['run', INVALID, '--out', mkdtempSync(join(tmpdir(), 'paychaos-run-'))]);
    expect(invalid.code).toBe(65);
    expect(invalid.stderr).toMatch(/invalid-scenario\.ts: faults\[0\]\.at: .*15s/);
    const missing = runCli(['run', 'no-such-scenario.ts']);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toMatch(/no-such-scenario\.ts: no such file/);
  });
});
