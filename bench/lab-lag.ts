/**
 * The replicator's lag at rest on the lab that is up in .paychaos/lab/: a table of its own with
 * replicators polling as the local target's do, a write acknowledged in one region, then the
 * other region read back-to-back until the write shows there. No other load on that table. Each
 * direction twice: writes that nudge the replicators as the bank's do ("nudged"), and writes
 * that do not, which wait for the replicator's next poll, backed off at rest ("polled").
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbKvTable } from '../bank/adapters/local/dynamodb-kv-table.ts';
import { REPLICATOR_POLL } from '../run/targets/local/lab-bank.ts';
import { dynamoDbClient } from '../targets/local/dynamodb-client.ts';
import { labDirs, labStatus } from '../targets/local/lab.ts';
import { wallNowUs } from '../targets/local/lab-clocks.ts';
import { LabGlobalTable } from '../targets/local/lab-global-table.ts';
import { dynamodbLink, linkPort } from '../targets/local/lab-links.ts';
import type { PollIntervals } from '../targets/local/replicator.ts';
import { sleepMs } from '../targets/local/wait-until.ts';

const REQUEST_TIMEOUT_MS = 5_000;
/** A write not visible in the other region after this is reported as a failure. */
const VISIBLE_MS_MAX = 10_000;

export interface LagAtRest {
  poll: PollIntervals;
  /** Per "A -> B (nudged|polled)": each sample's ms from the write's ack to its visibility. */
  samplesMs: Record<string, number[]>;
}

export async function measureLagAtRest(samples: number): Promise<LagAtRest> {
  const { state } = labStatus(labDirs());
  if (state === undefined) throw new Error('lag at rest: no lab is up in .paychaos/lab');
  const table = 'lag-probe';
  const global = await LabGlobalTable.start(state, {
    table,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    poll: REPLICATOR_POLL,
    recordsMax: 1_000,
  });
  const clients = state.regions.map((region) => {
    const link = state.links[dynamodbLink(region)];
    if (link === undefined) throw new Error(`the lab has no link ${dynamodbLink(region)}`);
    return dynamoDbClient({
      endpoint: `http://127.0.0.1:${linkPort(link)}`,
      region,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
  });
  try {
    const samplesMs: Record<string, number[]> = {};
    for (const [i, from] of state.regions.entries()) {
      for (const [j, to] of state.regions.entries()) {
        if (i === j) continue;
        for (const nudged of [true, false]) {
          const writer = new DynamoDbKvTable<number>({
            client: clients[i]!,
            table,
            region: from,
            nowUs: wallNowUs,
            ...(nudged ? { onWritten: () => global.written(from) } : {}),
          });
          const lags: number[] = [];
          // Polled writes wait out the longest idle wait each: half as many.
          for (let n = 0; n < (nudged ? samples : Math.ceil(samples / 2)); n += 1) {
            const key = `${from}-${to}-${nudged}-${n}`;
            await writer.put(key, n);
            const ackMs = performance.now();
            await visible(clients[j]!, table, key, ackMs);
            lags.push(performance.now() - ackMs);
            // At rest between writes: the replicators back off to their longest wait.
            if (!nudged) await sleepMs(REPLICATOR_POLL.intervalMsMax * 2);
          }
          samplesMs[`${from} -> ${to} (${nudged ? 'nudged' : 'polled'})`] = lags;
        }
      }
    }
    return { poll: REPLICATOR_POLL, samplesMs };
  } finally {
    for (const client of clients) client.destroy();
    await global.stop();
  }
}

async function visible(
  client: ReturnType<typeof dynamoDbClient>,
  table: string,
  key: string,
  sinceMs: number,
): Promise<void> {
  while (performance.now() - sinceMs < VISIBLE_MS_MAX) {
    const answer = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: key } }, ConsistentRead: true }),
    );
    if (answer.Item !== undefined) return;
  }
  throw new Error(`lag at rest: ${key} not visible within ${VISIBLE_MS_MAX} ms`);
}
