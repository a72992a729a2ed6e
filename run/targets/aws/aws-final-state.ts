/**
 * The game day's final state: each region's balances and eventual registers from a parallel
 * segmented Scan of its replica of each global table (items laid out as the reference bank's,
 * targets/local/kv-item.ts), and the ledger and saga log from the Aurora writer by the config's
 * queries, in pages of FINAL_PAGE_ENTRIES_MAX. Strong registers live in the SQL cluster and are
 * not read here (docs/game-day.md).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { FINAL_PAGE_ENTRIES_MAX } from '../../../bank/bank-config.ts';
import type { FinalRegionRead, FinalState, RegisterKeys } from '../../../bank/final-state.ts';
import type { FinalReadValue } from '../../../history/op.ts';
import { readLedger, readSagas } from '../../../targets/aws/aurora-reads.ts';
import { scanTable } from '../../../targets/aws/table-scan.ts';
import { kvRecordOf } from '../../../targets/local/kv-item.ts';
import type { AwsConfig } from './aws-config.ts';

export interface FinalStateSources {
  config: AwsConfig;
  regions: readonly string[];
  dynamodb: (region: string) => DynamoDBClient;
  writerSql: () => pg.ClientConfig;
}

export async function readAwsFinalState(
  sources: FinalStateSources,
  keys: RegisterKeys,
): Promise<FinalState> {
  const reads = await Promise.all(
    sources.regions.map((region) => readRegion(sources, region, keys)),
  );
  const { ledger, sagas } = await readWriter(sources);
  return { reads, ledgerPages: pages(ledger), sagaPages: pages(sagas) };
}

async function readRegion(
  { config, dynamodb }: FinalStateSources,
  region: string,
  keys: RegisterKeys,
): Promise<FinalRegionRead> {
  const client = dynamodb(region);
  const segments = config.dynamodb.scanSegments;
  const [balanceItems, registerItems] = await Promise.all([
    scanTable(client, config.dynamodb.balancesTable, segments),
    scanTable(client, config.dynamodb.registersTable, segments),
  ]);
  const accounts: Record<string, number> = {};
  for (const item of balanceItems) {
    const record = kvRecordOf(item);
    const balance = (JSON.parse(record.valueJson) as { balance?: unknown }).balance;
    if (typeof balance !== 'number' || !Number.isSafeInteger(balance)) {
      throw new Error(
        `${config.dynamodb.balancesTable} in ${region}: ${record.key} has no integer balance`,
      );
    }
    accounts[record.key] = balance;
  }
  const value: FinalReadValue = { accounts };
  if (keys.eventual.length > 0) {
    const eventual = new Set(keys.eventual);
    const registers: Record<string, unknown> = Object.fromEntries(
      keys.eventual.map((k) => [k, null]),
    );
    const ts: Record<string, number> = {};
    for (const item of registerItems) {
      const record = kvRecordOf(item);
      if (!eventual.has(record.key)) continue;
      registers[record.key] = JSON.parse(record.valueJson);
      ts[record.key] = record.tsUs;
    }
    value.registers = registers;
    value.ts = ts;
  }
  return { region, value };
}

async function readWriter({ config, writerSql }: FinalStateSources) {
  if (config.aurora === undefined) {
    throw new Error('the config has no aurora section: the ledger and the saga log cannot be read');
  }
  const client = new pg.Client(writerSql());
  await client.connect();
  try {
    const ledger = await readLedger(client, config.aurora.ledgerQuery);
    const sagas = await readSagas(client, config.aurora.sagasQuery);
    return { ledger, sagas };
  } finally {
    await client.end();
  }
}

function pages<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += FINAL_PAGE_ENTRIES_MAX) {
    out.push(items.slice(i, i + FINAL_PAGE_ENTRIES_MAX));
  }
  return out;
}
