import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectories, OutputPathError } from '../../lib/output-path.ts';
import { HistoryBuilder } from '../support/history-builder.ts';
import { runCli } from '../support/run-cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCENARIO = join(import.meta.dirname, 'fixtures', 'short-isolation.ts');
const dir = mkdtempSync(join(tmpdir(), 'paychaos-out-'));

const EDN = `{:type :invoke, :f :write, :value 3, :process 0, :time 100, :index 0}
{:type :ok, :f :write, :value 3, :process 0, :time 200, :index 1}
{:type :invoke, :f :read, :value nil, :process 1, :time 300, :index 2}
{:type :ok, :f :read, :value 3, :process 1, :time 400, :index 3}
`;

function history(): string {
  const h = new HistoryBuilder();
  h.init({ accounts: { alice: 100, bob: 0 } });
  h.invoke(0, 'transfer', { id: 't1', from: 'alice', to: 'bob', amount: 30 });
  h.ok(0, 'transfer');
  return h.text();
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function expectOneLine(outcome: { code: number; stderr: string }, code: number, line: RegExp) {
  expect(outcome.code).toBe(code);
  expect(outcome.stderr).toMatch(line);
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('an output that cannot be written: exit 73, one line naming the path', () => {
  it('makes directories one level at a time, and fails at once where the kernel refuses', () => {
    const nested = join(dir, 'a', 'b', 'c');
    makeDirectories(nested);
    makeDirectories(nested);
    expect(existsSync(nested)).toBe(true);
    // Node's recursive mkdir spins forever here: /proc answers ENOENT for any new name.
    expect(() => makeDirectories('/proc/paychaos-x/y')).toThrow(OutputPathError);
    const notDir = file('plain-file', 'x');
    expect(() => makeDirectories(join(notDir, 'sub'))).toThrow(/plain-file.*not a directory/);
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(() => makeDirectories(join(dir, 'dangling', 'runs'))).toThrow(
      /dangling is a link to nothing/,
    );
  });

  it.each([
    [['run', SCENARIO, '--out', '/proc/paychaos-x'], /cannot write \/proc\/paychaos-x: /],
    [
      ['suite', join(ROOT, 'test', 'cli', 'fixtures'), '--out', '/proc/paychaos-x'],
      /\/proc\/paychaos-x/,
    ],
    [
      ['export', 'edn', join(dir, 'h.jsonl'), '-o', '/proc/paychaos-x.edn'],
      /\/proc\/paychaos-x\.edn/,
    ],
    [
      ['export', 'edn', join(dir, 'h.jsonl'), '-o', join(dir, 'no-dir', 'x.edn')],
      /no-dir\/x\.edn: no such directory/,
    ],
    [['import', 'jepsen', join(dir, 'h.edn'), '-o', '/proc/paychaos-x/'], /\/proc\/paychaos-x/],
  ])('%j', (args, line) => {
    file('h.jsonl', history());
    file('h.edn', EDN);
    expectOneLine(runCli(args), 73, line);
  });

  it('check of a run directory whose results.json cannot be written', () => {
    const runDir = mkdtempSync(join(dir, 'run-'));
    writeFileSync(join(runDir, 'history.jsonl'), history());
    mkdirSync(join(runDir, 'results.json'));
    expectOneLine(runCli(['check', runDir]), 73, /cannot write .*results\.json: it is a directory/);
  });

  it('run --out under a file', () => {
    const notDir = file('a-file', 'x');
    expectOneLine(runCli(['run', SCENARIO, '--out', join(notDir, 'runs')]), 73, /a-file/);
  });
});

describe('import and export never destroy input', () => {
  it('refuse -o equal to the input, and leave it as it was', () => {
    const input = file('same.jsonl', history());
    expectOneLine(
      runCli(['export', 'edn', input, '-o', input]),
      64,
      /^paychaos export: -o .*same\.jsonl is the input/,
    );
    expect(readFileSync(input, 'utf8')).toBe(history());
    const edn = file('same.edn', EDN);
    expectOneLine(runCli(['import', 'jepsen', edn, '-o', edn, '--force']), 64, /is the input/);
    expect(readFileSync(edn, 'utf8')).toBe(EDN);
  });

  it('refuse to overwrite an existing file without --force, and overwrite it with', () => {
    const input = file('in.jsonl', history());
    const existing = file('existing.edn', 'keep me\n');
    expectOneLine(
      runCli(['export', 'edn', input, '-o', existing]),
      73,
      /existing\.edn: the file exists; add --force to overwrite it/,
    );
    expect(readFileSync(existing, 'utf8')).toBe('keep me\n');
    expect(runCli(['export', 'edn', input, '-o', existing, '--force']).code).toBe(0);
    expect(readFileSync(existing, 'utf8')).toContain(':type :invoke');
  });

  it('leave an existing output as it was when the import fails, and no temporary file', () => {
    const sub = mkdtempSync(join(dir, 'fail-'));
    const bad = join(sub, 'bad.edn');
    writeFileSync(bad, `${EDN}{:type :ok, :f :read`);
    const output = join(sub, 'out.jsonl');
    writeFileSync(output, 'keep me\n');
    expect(runCli(['import', 'jepsen', bad, '-o', output, '--force']).code).toBe(65);
    expect(readFileSync(output, 'utf8')).toBe('keep me\n');
    expect(readdirSync(sub).sort()).toEqual(['bad.edn', 'out.jsonl']);
  });

  it('import without -o says where it wrote, and will not overwrite that file either', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const edn = join(cwd, 'h.edn');
    writeFileSync(edn, EDN);
    const first = runCli(['import', 'jepsen', 'h.edn'], cwd);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`(no -o given: ${join(cwd, 'history.jsonl')})`);
    expect(readFileSync(join(cwd, 'history.jsonl'), 'utf8')).toContain('"f":"write"');
    writeFileSync(join(cwd, 'history.jsonl'), 'keep me\n');
    expectOneLine(
      runCli(['import', 'jepsen', 'h.edn'], cwd),
      73,
      /history\.jsonl: the file exists/,
    );
    expect(readFileSync(join(cwd, 'history.jsonl'), 'utf8')).toBe('keep me\n');
  });
});

describe('a reader that stops early', () => {
  it('ends the output quietly: no EPIPE error, exit code unchanged', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { alice: 1_000_000, bob: 0 } });
    for (let i = 0; i < 3000; i += 1) {
      h.invoke(i, 'transfer', { id: `t${i}`, from: 'alice', to: 'bob', amount: 1 });
      h.ok(i, 'transfer');
    }
    const big = file('big.jsonl', h.text());
    const bin = join(ROOT, 'bin', 'paychaos.js');
    const shell = `"${process.execPath}" "${bin}" export edn "${big}" | head -c 10 >/dev/null; echo "exit \${PIPESTATUS[0]}"`;
    const child = spawnSync('bash', ['-c', shell], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('exit 0\n');
  });
});
