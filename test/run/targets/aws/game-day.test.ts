/**
 * A simulated game day end to end (fixtures/simulated-game-day.ts, in a child process): the
 * reference bank over HTTP on a local lab as the regional endpoints, moto for the global tables,
 * PostgreSQL for the ledger, FIS/STS/RDS mocked with FIS's lifecycle scripted. It ends with a
 * report, and every experiment it started is stopped and every template deleted on each way out:
 * the normal end, SIGINT, a stop condition firing, an exception. The run directory it writes
 * holds none of the fake secrets its environment carried. Its lag.jsonl holds the Aurora
 * writer's samples (and the gaps once the writer failed over to a standby) and moto's
 * ReplicationLatency datapoints, and the report shows them.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTILLERY_VERSION } from '../../../../artillery/local-artillery.ts';
import { type LagLine, readLagFile } from '../../../../history/lag-samples.ts';
import { artilleryMissing } from '../../../support/artillery-missing.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';

const HERE = import.meta.dirname;
const CHILD = join(HERE, 'fixtures', 'simulated-game-day.ts');
const SHORT = join(HERE, 'fixtures', 'game-day-short.ts');
const LONG = join(HERE, 'fixtures', 'game-day-long.ts');
/** The lab's start, a scenario of seconds, the quiesce and the lab's stop, on a shared machine. */
const CHILD_MS_MAX = 240_000;
/** The same, and two Artillery processes starting (10-40 s each on a loaded 2-core machine). */
const ARTILLERY_CHILD_MS_MAX = 360_000;
const ARTILLERY = join(HERE, 'fixtures', 'game-day-artillery.ts');
const ARTILLERY_LONG = join(HERE, 'fixtures', 'game-day-artillery-long.ts');
const artilleryAbsent = enginesMissing ?? artilleryMissing();
if (artilleryAbsent !== undefined)
  console.warn(`the game day under --load artillery is skipped: ${artilleryAbsent}`);

const FAKE_SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAFAKEGAMEDAY00001',
  AWS_SECRET_ACCESS_KEY: 'fakeSecretKey/GameDay+0123456789abcdefghij',
  AWS_SESSION_TOKEN: 'FakeSessionTokenGameDayQWERTYUIOPasdfghjkl0987654321',
  PAYCHAOS_AURORA_USER: 'postgres',
  PAYCHAOS_AURORA_PASSWORD: 'fake-aurora-password-5f3e9c',
};

interface ChildOutcome {
  code: number | null;
  stderr: string;
  result: { dir?: string; error?: string; calls: string[] };
}

function gameDay(
  scenario: string,
  out: string,
  mode: string,
  interruptWith: NodeJS.Signals | null = null,
  load: 'node' | 'artillery' = 'node',
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, scenario, out, mode, load], {
      env: { ...process.env, ...FAKE_SECRETS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // SIGTERM, not SIGKILL: the child still stops its experiments and takes its lab down.
    const timer = setTimeout(
      () => child.kill('SIGTERM'),
      load === 'artillery' ? ARTILLERY_CHILD_MS_MAX : CHILD_MS_MAX,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (interruptWith !== null && stderr.includes('started EXP1')) {
        const signal = interruptWith;
        interruptWith = null;
        setTimeout(() => child.kill(signal), 2_000);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ code, stderr, result: JSON.parse(last) });
      } catch {
        reject(new Error(`the child printed no result (exit ${code}): ${stderr}\n${stdout}`));
      }
    });
  });
}

function historyOf(
  dir: string,
): { f: string; process: unknown; value?: unknown; [k: string]: unknown }[] {
  return readFileSync(join(dir, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

/**
 * Aurora sampled on Tokyo's writer until the failover, then gaps on Osaka's node (a standby here:
 * RDS is mocked, the lab's ledger does not move); each region's moto's ReplicationLatency (what
 * the fixture put: 400 and 1200 ms for balances, 100 ms more for registers) per table and pair.
 */
function expectLagReported(dir: string): void {
  const lines: LagLine[] = readLagFile(join(dir, 'lag.jsonl'));
  const samples = lines.filter((l) => l.source === 'aurora-global-db-status' && !('gap' in l));
  expect(samples.length).toBeGreaterThan(0);
  expect(samples[0]).toMatchObject({ writer: 'ap-northeast-1', region: 'ap-northeast-3' });
  expect(lines).toContainEqual(
    expect.objectContaining({
      source: 'aurora-global-db-status',
      writer: 'ap-northeast-3',
      gap: expect.any(String),
    }),
  );
  const latency = lines.filter((l) => l.source === 'dynamodb-replication-latency');
  expect(latency).toHaveLength(4);
  expect(latency).toContainEqual(
    expect.objectContaining({
      table: 'registers',
      region: 'ap-northeast-3',
      receivingRegion: 'ap-northeast-1',
      averageMs: 900,
      maximumMs: 1_300,
    }),
  );
  const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
  expect(summary).toMatch(/\| ap-northeast-1 → ap-northeast-3 \| \d+ \| /);
  expect(summary).toContain('| balances | ap-northeast-1 → ap-northeast-3 | 1 | 800 ms | 1.20 s |');
  expect(summary).toContain(
    '| registers | ap-northeast-3 → ap-northeast-1 | 1 | 900 ms | 1.30 s |',
  );
  expect(summary).toContain('| Aurora (writer ap-northeast-3) |');
  expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<section id="measured-lag">');
}

/** No file of the run directory holds a secret of the child's environment. */
function expectNoSecretIn(dir: string): void {
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const [name, secret] of Object.entries(FAKE_SECRETS)) {
      if (name === 'PAYCHAOS_AURORA_USER') continue;
      expect(text.includes(secret), `${name} in ${file}`).toBe(false);
    }
  }
}

/** Every experiment started was stopped, and every template created was deleted. */
function expectCleanedUp(calls: string[]): void {
  const count = (name: string) => calls.filter((call) => call === name).length;
  expect(count('StartExperiment')).toBeGreaterThan(0);
  expect(count('StopExperiment')).toBeGreaterThanOrEqual(count('StartExperiment'));
  expect(count('DeleteExperimentTemplate')).toBe(count('CreateExperimentTemplate'));
}

describe.skipIf(enginesMissing !== undefined)(
  'a simulated game day (--target aws)',
  { timeout: CHILD_MS_MAX + 30_000 },
  () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-gameday-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('runs to a report with fault windows from FIS, and writes no secret into the run directory', async () => {
      const { code, stderr, result } = await gameDay(SHORT, join(out, 'normal'), 'normal');
      expect(code, stderr).toBe(0);
      const dir = result.dir!;
      for (const file of [
        'history.jsonl',
        'results.json',
        'run.json',
        'report.html',
        'summary.md',
      ]) {
        expect(existsSync(join(dir, file)), file).toBe(true);
      }
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.valid, JSON.stringify(results.anomalyTypes)).toBe(true);
      const history = historyOf(dir);
      const start = history.find((op) => op.f === 'start-isolate');
      expect(start?.fis).toEqual([
        expect.objectContaining({
          experiment: 'EXP1',
          status: 'running',
          actionsStartedAt: expect.any(String),
        }),
      ]);
      const stop = history.find((op) => op.f === 'stop-isolate');
      expect(stop?.fis).toEqual([
        expect.objectContaining({ experiment: 'EXP1', status: 'stopped' }),
      ]);
      expect(history.find((op) => op.f === 'failover')?.rds).toMatchObject({ allowDataLoss: true });
      expect(history.filter((op) => op.process === 'final' && op.f === 'final-read')).toHaveLength(
        2,
      );
      expect(history.some((op) => op.f === 'ledger')).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).target).toBe('aws');
      expectCleanedUp(result.calls);
      expect(result.calls).toContain('FailoverGlobalCluster');
      expectLagReported(dir);
      expectNoSecretIn(dir);
    });

    it.each(['SIGINT', 'SIGTERM'] as const)(
      'stops its experiments on %s, heals, reads the final state and says it was interrupted',
      async (signal) => {
        const { stderr, result } = await gameDay(LONG, join(out, signal), 'normal', signal);
        expect(result.error, stderr).toBeUndefined();
        expectCleanedUp(result.calls);
        const end = historyOf(result.dir!).at(-1);
        expect(end).toMatchObject({ f: 'end', value: { interrupted: { signal } } });
      },
    );

    it('ends the run when a stop condition stops an experiment, and cleans up', async () => {
      const { stderr, result } = await gameDay(LONG, join(out, 'stop-condition'), 'stop-condition');
      expect(result.error, stderr).toBeUndefined();
      const count = (name: string) => result.calls.filter((call) => call === name).length;
      expect(count('DeleteExperimentTemplate')).toBe(count('CreateExperimentTemplate'));
      const history = historyOf(result.dir!);
      expect(history.at(-1)).toMatchObject({
        f: 'end',
        value: {
          interrupted: {
            signal: expect.stringMatching(
              /^stop-condition: experiment EXP1 in ap-northeast-1 stopped: Experiment stopped by a stop condition/,
            ),
          },
        },
      });
      expect(history.find((op) => op.f === 'stop-isolate')?.fis).toEqual([
        expect.objectContaining({ experiment: 'EXP1', status: 'stopped' }),
      ]);
    });

    it('stops its experiments and deletes its templates when the run fails', async () => {
      const { code, result } = await gameDay(SHORT, join(out, 'exception'), 'exception');
      expect(code).toBe(1);
      expect(result.error).toMatch(/DBClusterNotFoundFault/);
      expectCleanedUp(result.calls);
    });
  },
);

describe.skipIf(artilleryAbsent !== undefined)(
  'a simulated game day under --load artillery (--target aws)',
  { timeout: ARTILLERY_CHILD_MS_MAX + 30_000 },
  () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-gameday-artillery-'));
    afterAll(() => rmSync(out, { recursive: true, force: true }));

    it('drives Artillery workers at the regional endpoints, merges their logs with the FIS windows, and ends with a report', async () => {
      const { code, stderr, result } = await gameDay(
        ARTILLERY,
        join(out, 'artillery'),
        'normal',
        null,
        'artillery',
      );
      expect(code, `${stderr}\n${result.error}`).toBe(0);
      const dir = result.dir!;
      expect(existsSync(join(dir, 'report.html'))).toBe(true);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
      expect(results.valid, JSON.stringify(results.anomalyTypes)).toBe(true);
      const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
      expect(run).toMatchObject({
        target: 'aws',
        load: 'artillery',
        loadVersion: ARTILLERY_VERSION,
      });
      const history = historyOf(dir);
      // The partition is two experiments, one a region, each line written once FIS said so.
      const start = history.find((op) => op.f === 'start-partition');
      expect(start?.fis).toEqual([
        expect.objectContaining({
          experiment: 'EXP1',
          region: 'ap-northeast-1',
          status: 'running',
        }),
        expect.objectContaining({
          experiment: 'EXP2',
          region: 'ap-northeast-3',
          status: 'running',
        }),
      ]);
      const stop = history.find((op) => op.f === 'stop-partition');
      expect(stop?.fis).toEqual([
        expect.objectContaining({ experiment: 'EXP1', status: 'stopped' }),
        expect.objectContaining({ experiment: 'EXP2', status: 'stopped' }),
      ]);
      expect(history.find((op) => op.f === 'failover')?.rds).toMatchObject({ allowDataLoss: true });
      // Every client op came from a worker at a configured endpoint, before and after the faults.
      const invokes = history.filter(
        (op) => typeof op.process === 'number' && op.type === 'invoke',
      );
      expect(new Set(invokes.map((op) => op.worker)).size).toBe(2);
      const times = (f: string) => history.find((op) => op.f === f)?.time as number;
      expect(invokes.some((op) => (op.time as number) < times('start-partition'))).toBe(true);
      expect(invokes.some((op) => (op.time as number) > times('stop-partition'))).toBe(true);
      expect(history.filter((op) => op.process === 'final' && op.f === 'final-read')).toHaveLength(
        2,
      );
      expect(history.some((op) => op.f === 'ledger')).toBe(true);
      expectCleanedUp(result.calls);
      expect(result.calls).toContain('FailoverGlobalCluster');
      // The workers ran with the harness's environment: their bundle, logs and reports hold none.
      expect(
        readdirSync(join(dir, 'logs', 'artillery')).filter((n) => n.startsWith('worker-')),
      ).toHaveLength(2);
      expectNoSecretIn(dir);
    });

    it('on SIGINT stops the Artillery workers and the experiments, heals, and reads the final state', async () => {
      const { stderr, result } = await gameDay(
        ARTILLERY_LONG,
        join(out, 'artillery-sigint'),
        'normal',
        'SIGINT',
        'artillery',
      );
      expect(result.error, stderr).toBeUndefined();
      expectCleanedUp(result.calls);
      const dir = result.dir!;
      expect(historyOf(dir).at(-1)).toMatchObject({
        f: 'end',
        value: { interrupted: { signal: 'SIGINT' } },
      });
      // No worker outlives the run: none still runs the run's script.
      const script = join(dir, 'artillery');
      const running = readdirSync('/proc')
        .filter((entry) => /^\d+$/.test(entry))
        .flatMap((pid) => {
          try {
            return [readFileSync(join('/proc', pid, 'cmdline'), 'utf8')];
          } catch {
            return [];
          }
        })
        .filter((cmdline) => cmdline.includes(script));
      expect(running).toEqual([]);
    });
  },
);
