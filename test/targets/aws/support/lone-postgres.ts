/**
 * One PostgreSQL node of the lab's engine, alone (no replica, no proxy), for the tests of what a
 * game day reads from the Aurora writer. PostgreSQL has no aurora_global_db_status(): a test
 * creates a function of the same name and columns (`createAuroraStatusFunction`) whose rows it
 * sets in a table.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { enginePaths } from '../../../../targets/local/engine-paths.ts';
import { stopProcess } from '../../../../targets/local/lab-process.ts';
import {
  copyTemplate,
  pgConfig,
  postgresUser,
  startPostgres,
  waitPostgresReady,
} from '../../../../targets/local/postgres-node.ts';

export interface LonePostgres {
  port: number;
  stop(): Promise<void>;
}

export async function startLonePostgres(): Promise<LonePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-lone-pg-'));
  // The node runs as the postgres user, who must reach its directory (mkdtemp makes 0700).
  chmodSync(dir, 0o755);
  const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
  const engines = enginePaths();
  const dataDir = join(dir, 'data');
  await copyTemplate(dirs.pidDir, engines.pgTemplate, dataDir);
  const node = await startPostgres(
    dirs,
    engines.pgBin,
    postgresUser(),
    'postgres-lone',
    dataDir,
    [],
  );
  await waitPostgresReady(node);
  return {
    port: node.port,
    stop: async () => {
      await stopProcess(dirs.pidDir, node.record);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function withPg<T>(port: number, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(pgConfig(port, 10_000));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * `aurora_global_db_status()` with Aurora PostgreSQL's columns, returning the rows of the table
 * `aurora_status_rows` (which the test fills as it likes).
 */
export async function createAuroraStatusFunction(port: number): Promise<void> {
  await withPg(port, async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS aurora_status_rows (
      aws_region text, highest_lsn_written bigint, durability_lag_in_msec bigint,
      rpo_lag_in_msec bigint, last_lag_calculation_time timestamptz,
      feedback_epoch integer, feedback_xmin integer)`);
    await client.query(`CREATE OR REPLACE FUNCTION aurora_global_db_status()
      RETURNS SETOF aurora_status_rows LANGUAGE sql AS $$ SELECT * FROM aurora_status_rows $$`);
  });
}

export async function setAuroraStatusRows(
  port: number,
  rows: [region: string, durabilityLagMs: number | null, rpoLagMs: number | null][],
): Promise<void> {
  await withPg(port, async (client) => {
    await client.query('DELETE FROM aurora_status_rows');
    for (const [region, durability, rpo] of rows) {
      await client.query(
        `INSERT INTO aurora_status_rows VALUES ($1, 81985529216486895, $2, $3,
          CASE WHEN $2::bigint = -1 THEN '1970-01-01 00:00:00+00'::timestamptz ELSE '2026-12-03 10:00:00+00'::timestamptz END, NULL, NULL)`,
        [region, durability, rpo],
      );
    }
  });
}
