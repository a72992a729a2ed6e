/**
 * The final-state reader's parallel segmented Scan against moto's DynamoDB server (the lab's
 * engine): every item of a table larger than one page comes back exactly once, whatever the
 * number of segments, and a bad segment count is refused before any call.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanTable } from '../../../targets/aws/table-scan.ts';
import { dynamoDbClient } from '../../../targets/local/dynamodb-client.ts';
import { enginePaths } from '../../../targets/local/engine-paths.ts';
import { stopProcess } from '../../../targets/local/lab-process.ts';
import { type MotoServer, startMoto, waitMotoReady } from '../../../targets/local/moto-server.ts';
import { enginesMissing } from '../local/support/engines.ts';

const ITEMS = 1_200;
/** moto pages a Scan at 1 MB; items this large make a table of several pages. */
const PAD = 'x'.repeat(2_000);

describe.skipIf(enginesMissing !== undefined)(
  'scanTable against moto',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-scan-'));
    const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
    let moto: MotoServer;
    let client: DynamoDBClient;

    beforeAll(async () => {
      moto = await startMoto(dirs, enginePaths().motoServer, 'ap-northeast-1');
      await waitMotoReady(moto);
      client = dynamoDbClient({
        endpoint: moto.url,
        region: 'ap-northeast-1',
        requestTimeoutMs: 10_000,
      });
      await client.send(
        new CreateTableCommand({
          TableName: 'balances',
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let start = 0; start < ITEMS; start += 25) {
        const batch = Array.from({ length: 25 }, (_, i) => ({
          PutRequest: { Item: { pk: { S: `acct-${start + i}` }, pad: { S: PAD } } },
        }));
        await client.send(new BatchWriteItemCommand({ RequestItems: { balances: batch } }));
      }
    });

    afterAll(async () => {
      client?.destroy();
      if (moto !== undefined) await stopProcess(dirs.pidDir, moto.record);
      rmSync(dir, { recursive: true, force: true });
    });

    it.each([1, 4, 7])('reads every item exactly once with %i segment(s)', async (segments) => {
      const items = await scanTable(client, 'balances', segments);
      const keys = items.map((item) => item.pk?.S);
      expect(keys).toHaveLength(ITEMS);
      expect(new Set(keys).size).toBe(ITEMS);
    });

    it('refuses a segment count DynamoDB would refuse', async () => {
      await expect(scanTable(client, 'balances', 0)).rejects.toThrow('1..64 segments, got 0');
      await expect(scanTable(client, 'balances', 65)).rejects.toThrow('1..64 segments, got 65');
    });
  },
);
