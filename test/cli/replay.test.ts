import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDifferentLine } from '../../cli/first-difference.ts';
import { runCli } from '../support/run-cli.ts';

const SCENARIO = join(import.meta.dirname, 'fixtures', 'short-isolation.ts');

function recordRun(): { out: string; dir: string } {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-replay-'));
  expect(runCli(['run', SCENARIO, '--out', out, '--seed', '21']).code).toBe(0);
  return { out, dir: join(out, readlinkSync(join(out, 'latest'))) };
}

describe('paychaos replay', () => {
  it('reruns a run from its run.json and finds the same bytes', () => {
    const { out, dir } = recordRun();
    const outcome = runCli(['replay', dir]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`replay: byte-identical to ${dir}/history.jsonl`);
    // The replay lands beside the run and leaves latest on the run it replays.
    expect(join(out, readlinkSync(join(out, 'latest')))).toBe(dir);
    const replayed = outcome.stdout.split(':')[0]!;
    expect(replayed).not.toBe(dir);
    expect(readdirSync(join(dir, '..'))).toContain(basename(replayed));
    expect(JSON.parse(readFileSync(join(replayed, 'run.json'), 'utf8')).seed).toBe(21);
    const again = runCli(['replay', join(out, 'latest')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `replay: byte-identical to ${join(out, 'latest')}/history.jsonl`,
    );
    expect(join(out, readlinkSync(join(out, 'latest')))).toBe(dir);
  });

  it('names the first differing line when the history is not the same (exit 70)', () => {
    const { dir } = recordRun();
    const file = join(dir, 'history.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[41] = lines[41]!.replace(/"time":\d+/, '"time":1');
    writeFileSync(file, lines.join('\n'));
    const outcome = runCli([
      'replay',
      dir,
      '--out',
      mkdtempSync(join(tmpdir(), 'paychaos-replay-')),
    ]);
    expect(outcome.code).toBe(70);
    expect(outcome.stderr).toMatch(
      /history\.jsonl:42 differs from .*history\.jsonl:42: the replay is not byte-identical/,
    );
  });

  it('refuses what is not a replayable run', () => {
    const notRun = mkdtempSync(join(tmpdir(), 'paychaos-replay-'));
    expect(runCli(['replay', notRun]).stderr).toMatch(/not a run directory \(no run\.json in it\)/);
    const aws = join(notRun, 'aws-run');
    mkdirSync(aws);
    writeFileSync(join(aws, 'run.json'), JSON.stringify({ target: 'aws', seed: 1 }));
    const outcome = runCli(['replay', aws]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr).toMatch(/run\.json: field "target": expected "sim"/);
  });
});

describe('firstDifferentLine', () => {
  it('gives the 1-based line of the first differing byte, or null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-diff-'));
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const a = write('a', 'one\ntwo\nthree\n');
    expect(firstDifferentLine(a, write('same', 'one\ntwo\nthree\n'))).toBeNull();
    expect(firstDifferentLine(a, write('b', 'one\ntwo\nthreE\n'))).toBe(3);
    expect(firstDifferentLine(a, write('short', 'one\ntwo\n'))).toBe(3);
    expect(firstDifferentLine(a, write('first', 'One\n'))).toBe(1);
  });
});
