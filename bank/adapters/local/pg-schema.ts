/**
 * The bank's SQL tables in PostgreSQL: one table of (bank table, key) -> JSON row, keys in byte
 * order (COLLATE "C": the same order as the simulator's string comparison for the bank's ASCII
 * keys), so that a scan after a key is an index range.
 */
import type pg from 'pg';

export const ROWS_TABLE = 'paychaos_rows';

export const CREATE_ROWS_TABLE = `CREATE TABLE IF NOT EXISTS ${ROWS_TABLE} (
  tbl text NOT NULL,
  k text COLLATE "C" NOT NULL,
  v jsonb NOT NULL,
  PRIMARY KEY (tbl, k)
)`;

/** Creates the bank's table on the writer (the replicas get it through the WAL). */
export async function createSqlSchema(client: pg.ClientBase): Promise<void> {
  await client.query(CREATE_ROWS_TABLE);
}
