/**
 * `paychaos run --target local` end to end, as a user runs it, on the real engines in real time:
 * replica lag, an isolation of the ledger writer's region and paused replication; a cluster loss
 * with a failover (the old writer fenced and re-joined); a partition, a skewed clock and a
 * crashed bank. The runs write whole histories, the
 * correct bank is judged VALID, and the lab each brought up is down afterwards (every recorded
 * process gone). A bank with 'failover-without-fencing' planted is caught, with the anomalies
 * design.md names for it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDirs } from '../../../../targets/local/lab.ts';
import { isAlive, recordedProcesses } from '../../../../targets/local/lab-process.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'paychaos.js');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', `${name}.ts`);
/** A 9 s scenario, the lab's start (~5 s) and the heal; generous for a loaded, shared machine. */
const RUN_MS_MAX = 180_000;

function runLocal(scenario: string, out: string) {
  const child = spawnSync(
    process.execPath,
    [BIN, 'run', scenario, '--target', 'local', '--out', out],
    // Interrupted like a user's Ctrl-C, so that the run still takes its lab down.
    { encoding: 'utf8', timeout: RUN_MS_MAX, killSignal: 'SIGINT' },
  );
  if (child.error !== undefined) throw child.error;
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

describe.skipIf(enginesMissing !== undefined)('paychaos run --target local', () => {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-local-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it(
    'runs replica lag, an isolation and paused replication on the lab into a whole history judged VALID',
    () => {
      const outcome = runLocal(fixture('lab-isolation'), out);
      const said = `${outcome.stderr}\n${outcome.stdout}`;
      expect(outcome.code, said).toBe(0);
      expect(outcome.stderr, said).not.toMatch(/error|failed/i);
      expect(outcome.stdout).toMatch(/lab-isolation\/[0-9T-]+Z-seed1: VALID/);
      expect(outcome.stdout).toContain('--seed 1 --target local');
      const dir = join(out, readlinkSync(join(out, 'latest')));
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(run).toMatchObject({ scenario: 'lab-isolation', target: 'local', lostCommits: null });
      expect(run.simulatedMs).toBeGreaterThanOrEqual(9_000);
      expect(run.ops.ok).toBeGreaterThan(10);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.valid).toBe(true);
      const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { f: string; process: string; region?: string });
      const fs = lines.map((line) => line.f);
      expect(fs.slice(0, 3)).toEqual(['init', 'slo', 'plan']);
      expect(fs.at(-1)).toBe('end');
      const nemesis = lines.filter((line) => line.process === 'nemesis').map((line) => line.f);
      expect(nemesis).toEqual([
        'start-replica-lag',
        'stop-replica-lag',
        'start-isolate',
        'stop-isolate',
        'start-pause-replication',
        'stop-pause-replication',
      ]);
      const finalRegions = lines.filter((l) => l.f === 'final-read').map((l) => l.region);
      expect(new Set(finalRegions)).toEqual(new Set(['ap-northeast-1', 'ap-northeast-3']));
      expect(fs).toContain('ledger');
      // Checkouts leave sagas, whose step times are ns of the run (design.md), as every time is.
      const sagas = lines.filter((line) => line.f === 'sagas');
      expect(sagas.length).toBeGreaterThan(0);
      const endNs = (lines.at(-1) as unknown as { time: number }).time;
      for (const page of sagas) {
        for (const saga of (page as unknown as { value: { steps: { at?: number }[] }[] }).value) {
          for (const step of saga.steps)
            if (step.at !== undefined) expect(step.at).toBeLessThan(endNs);
        }
      }
      // The engines' logs, and the bank's line the heal wrote, came along into the run's logs/.
      expect(readdirSync(join(dir, 'logs')).sort()).toEqual([
        'bank.log',
        'moto-ap-northeast-1.log',
        'moto-ap-northeast-3.log',
        'postgres-ap-northeast-1.log',
        'postgres-ap-northeast-3.log',
        'toxiproxy.log',
      ]);
      // The run took its lab down: no process it recorded is left.
      const left = recordedProcesses(labDirs().pidDir).filter(isAlive);
      expect(left.map((record) => record.name)).toEqual([]);
    },
    RUN_MS_MAX + 30_000,
  );

  it(
    'kills the ledger writer, fails over to the replica and re-joins the old writer: VALID',
    () => {
      const outcome = runLocal(fixture('lab-failover'), out);
      const said = `${outcome.stderr}\n${outcome.stdout}`;
      expect(outcome.code, said).toBe(0);
      expect(outcome.stdout).toMatch(/lab-failover\/[0-9T-]+Z-seed1: VALID/);
      const dir = join(out, readlinkSync(join(out, 'latest')));
      const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { f: string; process: string; type: string });
      const nemesis = lines.filter((line) => line.process === 'nemesis').map((line) => line.f);
      expect(nemesis).toEqual(['kill-cluster', 'failover', 'restart-cluster']);
      // Payments were acknowledged after the failover (by the promoted writer), not only before.
      const failoverAt = lines.findIndex((line) => line.f === 'failover');
      const okAfter = lines
        .slice(failoverAt)
        .filter((line) => line.type === 'ok' && ['transfer', 'deposit'].includes(line.f));
      expect(okAfter.length, said).toBeGreaterThan(0);
      const left = recordedProcesses(labDirs().pidDir).filter(isAlive);
      expect(left.map((record) => record.name)).toEqual([]);
    },
    RUN_MS_MAX + 30_000,
  );

  it(
    'catches failover-without-fencing: the unfenced old writer acknowledged payments the failover lost',
    () => {
      const outcome = runLocal(fixture('lab-failover-without-fencing'), out);
      const said = `${outcome.stderr}\n${outcome.stdout}`;
      expect(outcome.code, said).toBe(1);
      const dir = join(out, readlinkSync(join(out, 'latest')));
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.anomalyTypes, said).toContain('lost-transfer');
      const left = recordedProcesses(labDirs().pidDir).filter(isAlive);
      expect(left.map((record) => record.name)).toEqual([]);
    },
    RUN_MS_MAX + 30_000,
  );

  it(
    'runs a partition, a skewed clock and a crashed bank on the lab: VALID',
    () => {
      const outcome = runLocal(fixture('lab-partition-skew-crash'), out);
      const said = `${outcome.stderr}\n${outcome.stdout}`;
      expect(outcome.code, said).toBe(0);
      const dir = join(out, readlinkSync(join(out, 'latest')));
      const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { f: string; process: string; type: string });
      const nemesis = lines.filter((line) => line.process === 'nemesis').map((line) => line.f);
      expect(nemesis).toEqual([
        'start-clock-skew',
        'start-partition',
        'stop-partition',
        'crash-bank',
        'restart-bank',
        'stop-clock-skew',
      ]);
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(run.ops.ok, said).toBeGreaterThan(10);
      const left = recordedProcesses(labDirs().pidDir).filter(isAlive);
      expect(left.map((record) => record.name)).toEqual([]);
    },
    RUN_MS_MAX + 30_000,
  );
});
