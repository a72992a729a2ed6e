/**
 * The reference bank on a lab that is up: the global tables (balances, registers) with their
 * replicators in this process, the ledger's schema on the primary, one bank instance per region
 * reaching its stores through the lab's links (the SQL writer wherever the global writer
 * endpoint says it is), and per region an HTTP service with a client link (`client-R`, a
 * Toxiproxy proxy from the clients to R) in front of it. A crash of a region's bank (the
 * crash-bank fault) is its instance's and its HTTP service's: in-flight work is dropped, open
 * connections are closed and new ones refused until the restart, which serves on the same port.
 * `close` stops what this started, everything it can even when a part fails, and throws the
 * first failure after.
 */
import pg from 'pg';
import { DynamoDbKvTable } from '../../../bank/adapters/local/dynamodb-kv-table.ts';
import { createSqlSchema } from '../../../bank/adapters/local/pg-schema.ts';
import { PgSqlCluster } from '../../../bank/adapters/local/pg-sql-cluster.ts';
import type { SqlCallTimings } from '../../../bank/adapters/local/sql-call-timings.ts';
import { type Bank, createBank } from '../../../bank/create-bank.ts';
import type { JsonValue, SqlReadTx } from '../../../bank/ports.ts';
import type { BalanceItem, RegionPorts } from '../../../bank/region-ports.ts';
import type { DurationSummaryMs } from '../../../lib/duration-histogram.ts';
import type { ResolvedScenario } from '../../../scenario-dsl/resolved-scenario.ts';
import { DynamoDbCallCounts } from '../../../targets/local/dynamodb-call-counts.ts';
import { dynamoDbClient } from '../../../targets/local/dynamodb-client.ts';
import type { LabState } from '../../../targets/local/lab.ts';
import { LabClocks, wallNowUs } from '../../../targets/local/lab-clocks.ts';
import { LabGlobalTable } from '../../../targets/local/lab-global-table.ts';
import {
  dynamodbLink,
  type LinkSpec,
  linkPort,
  sqlLink,
} from '../../../targets/local/lab-links.ts';
import type { LabNetwork } from '../../../targets/local/lab-network.ts';
import { pgConfig } from '../../../targets/local/postgres-node.ts';
import type { PollIntervals } from '../../../targets/local/replicator.ts';
import { sleepMs } from '../../../targets/local/wait-until.ts';
import { WALL_TIME } from '../../../targets/local/wall-time.ts';
import { AnsweringProcessor } from './answering-processor.ts';
import { RegionServices, type SlowRequest } from './region-services.ts';

export const GLOBAL_TABLES = ['balances', 'registers'] as const;
/** The clients' side of a client link: not a region, so isolating a region cuts it. */
export const CLIENTS_SITE = 'clients';
export const clientLink = (region: string) => `client-${region}`;

/** Bounds of the bank's store calls: a hang is an unknown outcome within these. */
const STORE_REQUEST_TIMEOUT_MS = 5_000;
const SQL_TIMEOUT_MS = 10_000;
const SQL_POOL_MAX = 8;
/**
 * The replicators' polls (targets/local/replicator.ts): at once while records flow or a bank
 * write nudges them, otherwise after waits doubling from 20 ms to 320 ms — an idle table costs
 * about 3 polls a second per direction instead of 50 (issue 11: those polls were most of moto's
 * CPU), and a write made behind the bank's back (none is, in a run) waits at most 320 ms more.
 */
export const REPLICATOR_POLL: PollIntervals = { intervalMsMin: 20, intervalMsMax: 320 };
const REPLICATOR_RECORDS_MAX = 100_000;

export interface LabBank {
  readonly bank: Bank;
  readonly tables: readonly LabGlobalTable[];
  /** The client links, from CLIENTS_SITE to each region, with their proxies' listen addresses. */
  readonly clientLinks: readonly (LinkSpec & { listen: string })[];
  /** A connection to the ledger over the nodes' direct ports, for the harness's own reads. */
  readonly ledger: PgSqlCluster;
  /** The regions' bank clocks: the clock-skew fault sets a region's skew. */
  readonly clocks: LabClocks;
  /**
   * Requests the services are still handling. A client that gave up on one does not stop it:
   * it may still commit, seconds later (a SQL call waits up to its own timeout).
   */
  requestsInFlight(): Record<string, number>;
  /** The slowest requests the services handled, slowest first (at most SLOWEST_KEPT, region-services.ts). */
  slowestRequests(): readonly SlowRequest[];
  /** The bank's and the replicators' calls to moto, by caller and command (the bench's). */
  readonly dynamoDbCalls: DynamoDbCallCounts;
  /** Per region, the time its bank took per request since the last take (the bench's). */
  takeHandledMs(): Record<string, DurationSummaryMs>;
  /** Per region, where its SQL write transactions spent their time. */
  sqlTimings(): Record<string, ReturnType<SqlCallTimings['snapshot']>>;
  /** Per region, each phase of its SQL write transactions since the last take (the bench's). */
  takeSqlWindows(): Record<string, ReturnType<SqlCallTimings['takeWindow']>>;
  /**
   * Reads on the SQL writer wherever it is now, outside the writer's queue of write transactions
   * (pg-sql-cluster.ts): a probe that waits for the bank must not queue behind the bank.
   */
  readAtWriter<T>(fn: (tx: SqlReadTx) => Promise<T>): Promise<T>;
  /** The crash-bank fault: the region's instance and its HTTP service stop at once. */
  crashBank(region: string): Promise<void>;
  restartBank(region: string): Promise<void>;
  close(): Promise<void>;
}

/** Everything started so far, stopped in reverse on close or on a failed start. */
class Started {
  private readonly closers: (() => Promise<void> | void)[] = [];

  add(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    this.closers.length = 0;
    if (errors.length > 0) throw errors[0];
  }
}

export interface LabBankOptions {
  state: LabState;
  network: LabNetwork;
  scenario: ResolvedScenario;
  /** The global writer endpoint: where the SQL writer is now (it moves with a failover). */
  writerRegion: () => string;
  /**
   * The wall clock, in µs, when the run started. The bank's clock and the tables' timestamps
   * count from it: the saga log's step times are ns on the bank's clock and the history says
   * they are ns of the run (design.md), and an epoch in ns does not fit a JSON integer.
   */
  runOriginUs: number;
}

export async function startLabBank(options: LabBankOptions): Promise<LabBank> {
  const started = new Started();
  try {
    return await start(options, started);
  } catch (error) {
    await started.closeAll().catch(() => undefined);
    throw error;
  }
}

async function start(options: LabBankOptions, started: Started): Promise<LabBank> {
  const { state, network, scenario, runOriginUs } = options;
  const { regions, writerRegion } = state;
  const tables: LabGlobalTable[] = [];
  const dynamoDbCalls = new DynamoDbCallCounts();
  for (const table of GLOBAL_TABLES) {
    const global = await LabGlobalTable.start(state, {
      table,
      requestTimeoutMs: STORE_REQUEST_TIMEOUT_MS,
      poll: REPLICATOR_POLL,
      recordsMax: REPLICATOR_RECORDS_MAX,
      calls: dynamoDbCalls,
    });
    started.add(() => global.stop());
    tables.push(global);
  }
  const schemaClient = new pg.Client(pgConfig(state.postgres[writerRegion]!.port));
  await schemaClient.connect();
  try {
    await createSqlSchema(schemaClient);
  } finally {
    await schemaClient.end();
  }

  const clocks = new LabClocks(regions);
  const processor = new AnsweringProcessor();
  const linkPortOf = (name: string) => {
    const link = state.links[name];
    if (link === undefined) throw new Error(`the lab has no link ${name}`);
    return linkPort(link);
  };
  const sqlByRegion = new Map<string, PgSqlCluster>();
  const connect = (region: string): RegionPorts => {
    const client = dynamoDbClient({
      endpoint: `http://127.0.0.1:${linkPortOf(dynamodbLink(region))}`,
      region,
      requestTimeoutMs: STORE_REQUEST_TIMEOUT_MS,
      calls: { counts: dynamoDbCalls, caller: 'bank' },
    });
    const sql = new PgSqlCluster({
      region,
      nodePorts: Object.fromEntries(
        regions.map((node) => [node, linkPortOf(sqlLink(region, node))]),
      ),
      writerRegion: options.writerRegion,
      timeoutMs: SQL_TIMEOUT_MS,
      poolMax: SQL_POOL_MAX,
      // Past the clients' timeout nobody waits for the answer (pg-sql-cluster.ts).
      queueWaitMsMax: Math.min(scenario.clients.timeoutMs, SQL_TIMEOUT_MS),
      time: WALL_TIME,
    });
    sqlByRegion.set(region, sql);
    started.add(() => client.destroy());
    started.add(() => sql.close());
    // As in the simulator (targets/sim/global-table.ts, bank/adapters/sim/sim-clock.ts): the
    // tables stamp last-writer-wins timestamps with the store's true clock, as DynamoDB does;
    // the clock-skew fault skews the region's bank clock, which only the planted bug
    // 'skewed-clock-lww' stamps writes with. Both count from the run's start, on one scale.
    const storeNowUs = () => wallNowUs() - runOriginUs;
    const bankNowUs = () => clocks.nowUs(region) - runOriginUs;
    // The bank's writes nudge the table's replicators out of the region (replicator.ts).
    const kvTable = <V extends JsonValue>(table: (typeof GLOBAL_TABLES)[number]) => {
      const global = tables.find((t) => t.table === table);
      if (global === undefined) throw new Error(`no global table ${table}`);
      return new DynamoDbKvTable<V>({
        client,
        table,
        region,
        nowUs: storeNowUs,
        onWritten: () => global.written(region),
      });
    };
    return {
      balances: kvTable<BalanceItem>('balances'),
      registers: kvTable('registers'),
      sql,
      clock: { nowUs: bankNowUs, sleep: (ms) => sleepMs(ms) },
      processor,
    };
  };
  const ledger = new PgSqlCluster({
    region: writerRegion,
    nodePorts: Object.fromEntries(regions.map((node) => [node, state.postgres[node]!.port])),
    writerRegion: options.writerRegion,
    timeoutMs: SQL_TIMEOUT_MS,
    poolMax: 2,
    queueWaitMsMax: SQL_TIMEOUT_MS,
    time: WALL_TIME,
  });
  started.add(() => ledger.close());

  const bank = createBank({
    regions,
    accounts: scenario.bank.accounts,
    bugs: scenario.bank.bugs,
    writerRegion,
    connect,
  });
  // Stopped before the stores it uses close (closers run in reverse), and given a moment for
  // the work it had in flight to notice.
  started.add(async () => {
    bank.stop();
    await sleepMs(100);
  });
  await bank.init();

  const services = new RegionServices(bank);
  started.add(() => services.closeAll());
  const clientLinks: (LinkSpec & { listen: string })[] = [];
  for (const region of regions) {
    const url = await services.start(region, 0);
    const spec = { name: clientLink(region), from: CLIENTS_SITE, to: region };
    const listen = await network.addLink(spec, url.replace(/^http:\/\//, ''));
    clientLinks.push({ ...spec, listen });
  }
  return {
    bank,
    tables,
    clientLinks,
    ledger,
    clocks,
    dynamoDbCalls,
    requestsInFlight: () => services.requestsInFlight(),
    slowestRequests: () => services.slowestRequests(),
    takeHandledMs: () => services.takeHandledMs(),
    takeSqlWindows: () =>
      Object.fromEntries(
        [...sqlByRegion].map(([region, sql]) => [region, sql.timings.takeWindow()]),
      ),
    sqlTimings: () =>
      Object.fromEntries([...sqlByRegion].map(([region, sql]) => [region, sql.timings.snapshot()])),
    readAtWriter: (fn) => {
      const writer = options.writerRegion();
      const sql = sqlByRegion.get(writer);
      if (sql === undefined) throw new Error(`the SQL writer ${writer} is not a region of the lab`);
      return sql.readLocal(fn);
    },
    crashBank: (region) => services.crash(region),
    restartBank: (region) => services.restart(region),
    close: () => started.closeAll(),
  };
}
