/**
 * DynamoDB's ReplicationLatency read from CloudWatch's GetMetricData against moto's server:
 * datapoints put with PutMetricData (as DynamoDB publishes them) come back per table and
 * receiving region, the Average and the Maximum of each period; a pair with none has no
 * datapoint. The error paths (a query CloudWatch answers Forbidden, the call failing) are mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReplicationLatency } from '../../../targets/aws/replication-latency.ts';
import { enginePaths } from '../../../targets/local/engine-paths.ts';
import { stopProcess } from '../../../targets/local/lab-process.ts';
import { type MotoServer, startMoto, waitMotoReady } from '../../../targets/local/moto-server.ts';
import { enginesMissing } from '../local/support/engines.ts';

const REGION = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
const SEOUL = 'ap-northeast-2';
const MINUTE_MS = 60_000;

function latency(table: string, receivingRegion: string, timestamp: Date, value: number) {
  return {
    MetricName: 'ReplicationLatency',
    Dimensions: [
      { Name: 'TableName', Value: table },
      { Name: 'ReceivingRegion', Value: receivingRegion },
    ],
    Timestamp: timestamp,
    Value: value,
    Unit: 'Milliseconds' as const,
  };
}

describe.skipIf(enginesMissing !== undefined)(
  'readReplicationLatency against moto',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-cloudwatch-'));
    const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
    let moto: MotoServer;
    let client: CloudWatchClient;
    // Whole minutes in the past, so the periods are the ones the datapoints were put in.
    const minute0 = new Date(Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 3 * MINUTE_MS);
    const minute1 = new Date(minute0.getTime() + MINUTE_MS);

    beforeAll(async () => {
      moto = await startMoto(dirs, enginePaths().motoServer, REGION);
      await waitMotoReady(moto);
      client = new CloudWatchClient({
        region: REGION,
        endpoint: moto.url,
        credentials: { accessKeyId: 'paychaos-lab', secretAccessKey: 'paychaos-lab' },
        maxAttempts: 1,
      });
      await client.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/DynamoDB',
          MetricData: [
            latency('balances', OSAKA, new Date(minute0.getTime() + 5_000), 100),
            latency('balances', OSAKA, new Date(minute0.getTime() + 25_000), 300),
            latency('balances', OSAKA, new Date(minute1.getTime() + 5_000), 2_500),
            latency('balances', SEOUL, new Date(minute1.getTime() + 5_000), 70),
            latency('registers', OSAKA, new Date(minute0.getTime() + 5_000), 40),
          ],
        }),
      );
    });

    afterAll(async () => {
      client?.destroy();
      if (moto !== undefined) await stopProcess(dirs.pidDir, moto.record);
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads each pair: Average and Maximum per period, nothing for a pair without data', async () => {
      const pairs = [
        { table: 'balances', receivingRegion: OSAKA },
        { table: 'balances', receivingRegion: SEOUL },
        { table: 'registers', receivingRegion: OSAKA },
        { table: 'registers', receivingRegion: SEOUL },
      ];
      const read = await readReplicationLatency(client, pairs, {
        start: minute0,
        end: new Date(minute1.getTime() + MINUTE_MS),
        periodS: 60,
        callTimeoutMs: 10_000,
      });
      expect(read).toEqual([
        {
          table: 'balances',
          receivingRegion: OSAKA,
          error: null,
          datapoints: [
            { timestamp: minute0, averageMs: 200, maximumMs: 300 },
            { timestamp: minute1, averageMs: 2_500, maximumMs: 2_500 },
          ],
        },
        {
          table: 'balances',
          receivingRegion: SEOUL,
          error: null,
          datapoints: [{ timestamp: minute1, averageMs: 70, maximumMs: 70 }],
        },
        {
          table: 'registers',
          receivingRegion: OSAKA,
          error: null,
          datapoints: [{ timestamp: minute0, averageMs: 40, maximumMs: 40 }],
        },
        { table: 'registers', receivingRegion: SEOUL, error: null, datapoints: [] },
      ]);
    });
  },
);

describe('readReplicationLatency on CloudWatch errors (mocked)', () => {
  const window = {
    start: new Date('2026-12-03T10:00:00Z'),
    end: new Date('2026-12-03T10:05:00Z'),
    periodS: 60,
    callTimeoutMs: 1_000,
  };
  const pairs = [
    { table: 'balances', receivingRegion: OSAKA },
    { table: 'registers', receivingRegion: OSAKA },
  ];

  it('names the pair CloudWatch refused and still returns the other, across pages', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    const at = new Date('2026-12-03T10:01:00Z');
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'avg0', StatusCode: 'PartialData', Timestamps: [at], Values: [150] },
          {
            Id: 'avg1',
            StatusCode: 'Forbidden',
            Messages: [{ Code: 'Forbidden', Value: 'no cloudwatch:GetMetricData' }],
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 'max0', StatusCode: 'Complete', Timestamps: [at], Values: [900] },
        ],
      });
    try {
      const read = await readReplicationLatency(
        new CloudWatchClient({ region: REGION }),
        pairs,
        window,
      );
      expect(read).toEqual([
        {
          ...pairs[0],
          error: null,
          datapoints: [{ timestamp: at, averageMs: 150, maximumMs: 900 }],
        },
        {
          ...pairs[1],
          error: 'GetMetricData avg1: Forbidden (no cloudwatch:GetMetricData)',
          datapoints: [],
        },
      ]);
      expect(cloudwatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe(
        'page-2',
      );
    } finally {
      cloudwatch.restore();
    }
  });

  it('throws when the call fails, and refuses an empty window before any call', async () => {
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(GetMetricDataCommand).rejects(new Error('AccessDenied'));
    try {
      const client = new CloudWatchClient({ region: REGION });
      await expect(readReplicationLatency(client, pairs, window)).rejects.toThrow('AccessDenied');
      await expect(
        readReplicationLatency(client, pairs, { ...window, end: window.start }),
      ).rejects.toThrow('a window that ends after it starts');
      expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    } finally {
      cloudwatch.restore();
    }
  });
});
