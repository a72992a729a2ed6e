/**
 * The run layer hears an Interruption between steps of the target's clock. Fired from the
 * reporter at a chosen virtual time, so each case is deterministic: the load ends there, the
 * fault that is on stops then, the final state is read and sealed as interrupted. Never fired,
 * it changes no byte.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistoryFile } from '../../checkers/check-session.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import type { Op } from '../../history/op.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { driveRun } from '../../run/drive-run.ts';
import { type Interruption, RunAbandoned } from '../../run/interruption.ts';
import { QUIET_REPORTER, type RunProgress } from '../../run/reporter.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';

const SCENARIO = join(import.meta.dirname, '..', 'cli', 'fixtures', 'short-isolation.ts');
const dir = mkdtempSync(join(tmpdir(), 'paychaos-interruption-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function controllers() {
  const stop = new AbortController();
  const abandon = new AbortController();
  const interruption: Interruption = { stop: stop.signal, abandon: abandon.signal };
  return { stop, abandon, interruption };
}

async function drive(
  name: string,
  interruption: Interruption | undefined,
  onProgress: (progress: RunProgress) => void = () => {},
) {
  const file = join(dir, `${name}.jsonl`);
  const history = new HistoryWriter(file);
  try {
    const outcome = await driveRun({
      target: simTarget,
      scenario: await loadScenario(SCENARIO),
      seed: 5,
      history,
      reporter: { ...QUIET_REPORTER, progress: onProgress },
      ...(interruption === undefined ? {} : { interruption }),
    });
    return { file, outcome };
  } finally {
    history.close();
  }
}

function opsOf(file: string): Op[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Op);
}

describe('an Interruption', () => {
  it('never fired, changes no byte of the history', async () => {
    const plain = await drive('plain', undefined);
    const { interruption } = controllers();
    const heard = await drive('heard', interruption);
    expect(readFileSync(heard.file, 'utf8')).toBe(readFileSync(plain.file, 'utf8'));
    expect(heard.outcome.loadCut).toBeNull();
  });

  it('fired during an isolation, ends the load there, stops the isolation, seals as interrupted', async () => {
    const { stop, interruption } = controllers();
    const { file, outcome } = await drive('cut', interruption, (progress) => {
      if (progress.phase === 'load' && progress.runMs >= 4_000) stop.abort('SIGINT');
    });
    expect(outcome.loadCut).toEqual({ signal: 'SIGINT', atMs: 4_100 });
    const ops = opsOf(file);
    const nemesis = ops.filter((op) => op.process === 'nemesis').map((op) => [op.f, op.time]);
    expect(nemesis).toEqual([
      ['start-isolate', 3_100_000_000],
      ['stop-isolate', 4_100_000_000],
    ]);
    const invokesAfter = ops.filter(
      (op) => typeof op.process === 'number' && op.type === 'invoke' && op.time > 4_100_000_000,
    );
    expect(invokesAfter).toEqual([]);
    expect(ops.at(-1)).toMatchObject({
      process: 'final',
      f: 'end',
      value: { interrupted: { signal: 'SIGINT', atNs: 4_100_000_000 } },
    });
    const results = checkHistoryFile(file, { checkers: CHECKERS, timeoutS: 60 });
    expect(results.valid).toBe('unknown');
    expect(results.checkers.completeness?.error).toMatch(/interrupted \(SIGINT\) at 4\.100 s/);
  });

  it('abandoned, gives up before the final state and leaves the history unsealed', async () => {
    const { stop, abandon, interruption } = controllers();
    const attempt = drive('abandoned', interruption, (progress) => {
      if (progress.phase === 'load' && progress.runMs >= 2_000) {
        stop.abort('SIGINT');
        abandon.abort('a second signal (SIGINT)');
      }
    });
    await expect(attempt).rejects.toBeInstanceOf(RunAbandoned);
    const ops = opsOf(join(dir, 'abandoned.jsonl'));
    expect(ops.some((op) => op.process === 'final')).toBe(false);
    const results = checkHistoryFile(join(dir, 'abandoned.jsonl'), {
      checkers: CHECKERS,
      timeoutS: 60,
    });
    expect(results.valid).toBe('unknown');
  });
});
