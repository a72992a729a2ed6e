/**
 * `paychaos run --target local --load artillery` end to end, as a user runs it: the pinned
 * Artillery (scripts/provision-artillery.sh), two worker processes per region on this machine,
 * the real lab, a 9 s scenario with replica lag, an isolation and paused replication. The
 * workers' op logs and the nemesis lines merge into one history, judged VALID for the correct
 * bank; run.json names the engine and its version; the logs import again on their own.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTILLERY_VERSION } from '../../artillery/local-artillery.ts';
import { artilleryMissing } from '../support/artillery-missing.ts';
import { runCli } from '../support/run-cli.ts';
import { enginesMissing } from '../targets/local/support/engines.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'paychaos.js');
const SCENARIO = join(import.meta.dirname, 'targets', 'local', 'fixtures', 'lab-isolation.ts');
/** Four Artillery processes start in 10-40 s on a loaded 2-core machine; then 9 s, heal, read. */
const RUN_MS_MAX = 300_000;

const missing = enginesMissing ?? artilleryMissing();
if (missing !== undefined) console.warn(`--load artillery test skipped: ${missing}`);

interface Line {
  index: number;
  time: number;
  f: string;
  type: string;
  process: number | string;
  worker?: string;
  clockBoundNs?: number;
}

describe.skipIf(missing !== undefined)('paychaos run --load artillery', () => {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-artillery-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it(
    'runs real Artillery workers against the lab into one merged history judged VALID',
    () => {
      const child = spawnSync(
        process.execPath,
        [
          BIN,
          'run',
          SCENARIO,
          '--target',
          'local',
          '--load',
          'artillery',
          '--artillery-workers',
          '2',
          '--out',
          out,
        ],
        { encoding: 'utf8', timeout: RUN_MS_MAX, killSignal: 'SIGINT' },
      );
      if (child.error !== undefined) throw child.error;
      const said = `${child.stderr}\n${child.stdout}`;
      expect(child.status, said).toBe(0);
      expect(child.stdout).toMatch(/lab-isolation\/[0-9T-]+Z-seed1: VALID/);
      expect(child.stdout).toContain('--seed 1 --target local --load artillery');
      const dir = join(out, readlinkSync(join(out, 'latest')));
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(run).toMatchObject({
        target: 'local',
        load: 'artillery',
        loadVersion: ARTILLERY_VERSION,
      });
      expect(run.ops.invokes).toBeGreaterThan(10);

      const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Line);
      expect(lines.slice(0, 3).map((l) => l.f)).toEqual(['init', 'slo', 'plan']);
      expect(lines.at(-1)?.f).toBe('end');
      const nemesis = lines.filter((l) => l.process === 'nemesis').map((l) => l.f);
      expect(nemesis).toEqual([
        'start-replica-lag',
        'stop-replica-lag',
        'start-isolate',
        'stop-isolate',
        'start-pause-replication',
        'stop-pause-replication',
      ]);
      // Every client op came from a worker, four of them, each placed on the run's clock.
      const invokes = lines.filter((l) => typeof l.process === 'number' && l.type === 'invoke');
      expect(new Set(invokes.map((l) => l.worker)).size).toBe(4);
      for (const invoke of invokes) {
        expect(invoke.clockBoundNs).toBeGreaterThan(0);
        expect(invoke.clockBoundNs).toBeLessThan(1_000_000_000);
      }
      // The load ran while the faults did: client ops before, during and after the isolation.
      const isolation = lines.filter((l) => l.f.endsWith('-isolate')).map((l) => l.time);
      expect(invokes.some((l) => l.time < isolation[0]!)).toBe(true);
      expect(invokes.some((l) => l.time > isolation[1]!)).toBe(true);

      // The per-worker logs merge again on their own, to the same client ops and faults.
      const logs = join(dir, 'logs', 'artillery');
      expect(readdirSync(logs).filter((name) => name.startsWith('worker-'))).toHaveLength(4);
      const imported = join(out, 'imported.jsonl');
      const outcome = runCli(['import', 'artillery', logs, '-o', imported]);
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stderr).toMatch(/5 op log\(s\) -> .*imported\.jsonl/);
      const importedLines = readFileSync(imported, 'utf8').trim().split('\n');
      const clientAndNemesis = lines.filter(
        (l) => typeof l.process === 'number' || l.process === 'nemesis',
      );
      expect(importedLines).toHaveLength(clientAndNemesis.length);
      expect(existsSync(join(dir, 'artillery', 'processor.cjs'))).toBe(true);
    },
    RUN_MS_MAX + 30_000,
  );
});

describe('paychaos import artillery refuses what it cannot place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-import-artillery-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a worker log without a clock sample: one line naming the file, exit 65', () => {
    const log = join(dir, 'worker-w.jsonl');
    const text = [
      '{"opLog":1,"source":"worker","worker":"w"}',
      '{"time":5,"process":0,"type":"invoke","f":"read","value":{"key":"a"}}',
      '',
    ].join('\n');
    writeFileSync(log, text);
    const outcome = runCli(['import', 'artillery', log, '-o', join(dir, 'h.jsonl')]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr.trim().split('\n')).toEqual([
      `${log}:1: worker w has no clock sample: nothing places its ops on the run's clock`,
    ]);
  });
});
