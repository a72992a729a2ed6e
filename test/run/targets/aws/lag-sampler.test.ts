/**
 * The game day's lag sampler: against the lab's PostgreSQL (a stand-in aurora_global_db_status()
 * of Aurora's columns, since PostgreSQL has none) with CloudWatch mocked, it writes each sample
 * of each secondary, stops at lag.samplesMax, and at finish reads ReplicationLatency per table
 * and region pair into lag.jsonl. Every failure is a gap line and none ends the run: a writer
 * that refuses connections, a query over its time limit, CloudWatch failing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLagFile } from '../../../../history/lag-samples.ts';
import type { AwsConfigInput } from '../../../../run/targets/aws/aws-config.ts';
import { LagSampler, latencyWindow } from '../../../../run/targets/aws/lag-sampler.ts';
import { validateAwsConfig } from '../../../../run/targets/aws/load-aws-config.ts';
import { realClock } from '../../../../run/targets/local/real-clock.ts';
import { freePort } from '../../../../targets/local/free-port.ts';
import { pgConfig } from '../../../../targets/local/postgres-node.ts';
import { waitUntil } from '../../../../targets/local/wait-until.ts';
import {
  createAuroraStatusFunction,
  type LonePostgres,
  setAuroraStatusRows,
  startLonePostgres,
} from '../../../targets/aws/support/lone-postgres.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';
import { OSAKA, TOKYO, testConfig } from './aws-test-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-lag-sampler-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function configWith(lag: AwsConfigInput['lag'], lagQuery?: string) {
  const spec = testConfig();
  spec.aurora = {
    database: 'postgres',
    userEnv: 'PAYCHAOS_AURORA_USER',
    passwordEnv: 'PAYCHAOS_AURORA_PASSWORD',
    ledgerQuery: 'SELECT 1',
    sagasQuery: 'SELECT 1',
    ...(lagQuery === undefined ? {} : { lagQuery }),
  };
  spec.lag = lag;
  return validateAwsConfig(spec, 'lag-sampler.test');
}

function sampler(
  config: ReturnType<typeof configWith>,
  writerSql: (region: string) => ReturnType<typeof pgConfig>,
) {
  const file = join(dir, `lag-${files++}.jsonl`);
  return {
    file,
    sampler: new LagSampler({
      config,
      regions: [TOKYO, OSAKA],
      clock: realClock(),
      writerRegion: () => TOKYO,
      writerSql,
      cloudwatch: (region) => new CloudWatchClient({ region }),
      file,
    }),
  };
}

const cloudwatch = mockClient(CloudWatchClient);
afterEach(() => cloudwatch.reset());
afterAll(() => cloudwatch.restore());

describe.skipIf(enginesMissing !== undefined)(
  'LagSampler on PostgreSQL',
  { timeout: 120_000 },
  () => {
    let node: LonePostgres;

    beforeAll(async () => {
      node = await startLonePostgres();
      await createAuroraStatusFunction(node.port);
      await setAuroraStatusRows(node.port, [
        [TOKYO, -1, -1],
        [OSAKA, 35, 120],
      ]);
    });

    afterAll(async () => {
      await node?.stop();
    });

    it('samples each secondary until samplesMax, then reads ReplicationLatency per pair', async () => {
      const at = new Date();
      cloudwatch.on(GetMetricDataCommand).callsFake((input) => ({
        MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({
          Id: q.Id,
          StatusCode: 'Complete',
          Timestamps: [at],
          Values: [q.Id.startsWith('avg') ? 250 : 900],
        })),
      }));
      const config = configWith({ sampleMs: 100, samplesMax: 3, callTimeoutMs: 5_000 });
      const { file, sampler: lag } = sampler(config, () => pgConfig(node.port, 5_000));
      await waitUntil('three samples', 30_000, () => lag.samplesTaken >= 3, 50);
      await lag.finish();
      await lag.finish();
      const lines = readLagFile(file);
      const samples = lines.filter((l) => l.source === 'aurora-global-db-status' && !('gap' in l));
      expect(samples).toHaveLength(3);
      expect(samples[0]).toMatchObject({
        writer: TOKYO,
        region: OSAKA,
        durabilityLagMs: 35,
        rpoLagMs: 120,
        highestLsnWritten: '81985529216486895',
      });
      expect(lines).toContainEqual(
        expect.objectContaining({ gap: 'sampling stopped after lag.samplesMax (3) samples' }),
      );
      const latency = lines.filter((l) => l.source === 'dynamodb-replication-latency');
      expect(latency.map((l) => [l.table, l.region, l.receivingRegion])).toEqual([
        ['balances', TOKYO, OSAKA],
        ['registers', TOKYO, OSAKA],
        ['balances', OSAKA, TOKYO],
        ['registers', OSAKA, TOKYO],
      ]);
      expect(latency[0]).toMatchObject({ averageMs: 250, maximumMs: 900, periodS: 60 });
      const calls = cloudwatch.commandCalls(GetMetricDataCommand);
      expect(calls).toHaveLength(2);
      const window = calls[0]!.args[0].input;
      expect(window.StartTime!.getTime() % 60_000).toBe(0);
      expect(window.EndTime!.getTime()).toBeGreaterThan(at.getTime());
    });

    it('records a query over its time limit as a gap and goes on sampling', async () => {
      cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
      const config = configWith(
        { sampleMs: 100, samplesMax: 2, callTimeoutMs: 300 },
        'SELECT * FROM aurora_global_db_status(), pg_sleep(2)',
      );
      const { file, sampler: lag } = sampler(config, () => pgConfig(node.port, 5_000));
      await waitUntil('two samples', 30_000, () => lag.samplesTaken >= 2, 50);
      await lag.finish();
      const gaps = readLagFile(file).filter((l) => 'gap' in l);
      expect(gaps.filter((g) => g.source === 'aurora-global-db-status')).toEqual([
        expect.objectContaining({ gap: expect.stringMatching(/timeout|took over 300 ms/i) }),
        expect.objectContaining({ gap: expect.stringMatching(/timeout|took over 300 ms/i) }),
        expect.objectContaining({ gap: 'sampling stopped after lag.samplesMax (2) samples' }),
      ]);
      expect(gaps.filter((g) => g.source === 'dynamodb-replication-latency')).toHaveLength(4);
      expect(gaps.at(-1)).toMatchObject({ gap: expect.stringMatching(/^no datapoint from /) });
    });
  },
);

describe('LagSampler when nothing answers', () => {
  it('writes a gap for a writer that refuses connections and for CloudWatch failing, and never throws', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(new Error('AccessDeniedException: not allowed'));
    const port = await freePort();
    const config = configWith({ sampleMs: 100, samplesMax: 1_000, callTimeoutMs: 1_000 });
    const { file, sampler: lag } = sampler(config, () => pgConfig(port, 1_000));
    await waitUntil('two samples', 30_000, () => lag.samplesTaken >= 2, 50);
    await lag.finish();
    const lines = readLagFile(file);
    const aurora = lines.filter((l) => l.source === 'aurora-global-db-status');
    expect(aurora.length).toBeGreaterThanOrEqual(2);
    for (const line of aurora)
      expect(line).toMatchObject({ gap: expect.stringMatching(/ECONNREFUSED/) });
    expect(lines.filter((l) => l.source === 'dynamodb-replication-latency')).toEqual(
      [
        ['balances', TOKYO, OSAKA],
        ['registers', TOKYO, OSAKA],
        ['balances', OSAKA, TOKYO],
        ['registers', OSAKA, TOKYO],
      ].map(([table, region, receivingRegion]) => ({
        source: 'dynamodb-replication-latency',
        table,
        region,
        receivingRegion,
        gap: 'Error: AccessDeniedException: not allowed',
      })),
    );
  });

  it('stops at a full file, saying so in its last line, and goes on without writing', async () => {
    cloudwatch.on(GetMetricDataCommand).rejects(new Error('AccessDeniedException: not allowed'));
    const port = await freePort();
    const config = configWith({ sampleMs: 100, samplesMax: 1_000, callTimeoutMs: 1_000 });
    const file = join(dir, `lag-${files++}.jsonl`);
    const lag = new LagSampler({
      config,
      regions: [TOKYO, OSAKA],
      clock: realClock(),
      writerRegion: () => TOKYO,
      writerSql: () => pgConfig(port, 1_000),
      cloudwatch: (region) => new CloudWatchClient({ region }),
      file,
      fileBounds: { linesMax: 4, bytesMax: 1_000_000 },
    });
    await waitUntil('the file to fill', 30_000, () => lag.samplesTaken >= 4, 50);
    const samplesTaken = lag.samplesTaken;
    await lag.finish();
    expect(samplesTaken).toBe(4);
    const lines = readLagFile(file);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toMatchObject({
      gap: 'lag.jsonl is full (3 lines): nothing more was recorded',
    });
  });

  it('says so once when the config has no aurora section', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const spec = testConfig();
    const config = validateAwsConfig(spec, 'lag-sampler.test');
    const { file, sampler: lag } = sampler(config, () => pgConfig(1, 1_000));
    await lag.finish();
    const aurora = readLagFile(file).filter((l) => l.source === 'aurora-global-db-status');
    expect(aurora).toEqual([
      expect.objectContaining({
        gap: 'the config has no aurora section: Aurora lag is not sampled',
      }),
    ]);
    expect(lag.samplesTaken).toBe(0);
  });

  it('widens the CloudWatch window to whole periods, one at least', () => {
    const lag = { sampleMs: 5_000, samplesMax: 10, callTimeoutMs: 5_000, periodS: 60 };
    const window = latencyWindow(
      new Date('2026-12-03T10:00:30Z'),
      new Date('2026-12-03T10:02:10Z'),
      lag,
    );
    expect([window.start.toISOString(), window.end.toISOString()]).toEqual([
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T10:03:00.000Z',
    ]);
    const same = latencyWindow(
      new Date('2026-12-03T10:00:00Z'),
      new Date('2026-12-03T10:00:00Z'),
      lag,
    );
    expect(same.end.getTime() - same.start.getTime()).toBe(60_000);
  });
});
