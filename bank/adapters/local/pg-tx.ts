/**
 * The SqlTx port inside one open PostgreSQL transaction (one connection, queries in turn).
 *
 * Round trips are what a bank transaction costs on the lab (each one crosses Toxiproxy; every
 * transaction holds the ledger's sequence row for as long as it runs), so: a row read once is
 * not read again (the transaction's snapshot would return the same row: SERIALIZABLE and
 * REPEATABLE READ take one snapshot per transaction), and writes are kept and sent together by
 * `flush`, which the cluster calls before COMMIT — a transfer's ten writes are one statement.
 * Reads see the transaction's own writes from what is kept; a scan flushes first, so the server
 * answers it with them. Conflicts are the server's as before: a write that conflicts fails at
 * flush, before COMMIT, and the transaction is run again.
 */
import type pg from 'pg';
import type { JsonValue, SqlTx } from '../../ports.ts';
import { ROWS_TABLE } from './pg-schema.ts';

/** The largest page a scan may ask for (the bank asks for hundreds). */
export const SCAN_ROWS_MAX = 10_000;
/** Rows one transaction may write: the bank's biggest (a reprojection) writes none; a saga, tens. */
export const WRITES_MAX = 10_000;

/**
 * What a transaction knows of a row, read from its snapshot or written by it, as JSON text: each
 * get hands out a fresh copy, as a query would, so a caller that changes a row it got changes
 * nothing else.
 */
type Known = { json: string | undefined };

/** A write kept for flush: the row as JSON text, or undefined for a delete. */
type Write = { table: string; key: string; json: string | undefined };

export class PgTx implements SqlTx {
  private readonly known = new Map<string, Known>();
  private readonly writes = new Map<string, Write>();

  constructor(
    private readonly client: pg.ClientBase,
    private readonly writable: boolean,
  ) {}

  async get(table: string, key: string): Promise<JsonValue | undefined> {
    const id = rowId(table, key);
    const known = this.known.get(id);
    if (known !== undefined) return known.json === undefined ? undefined : JSON.parse(known.json);
    const result = await this.client.query<{ v: JsonValue }>(
      `SELECT v FROM ${ROWS_TABLE} WHERE tbl = $1 AND k = $2`,
      [table, key],
    );
    const row = result.rows[0]?.v;
    this.known.set(id, { json: row === undefined ? undefined : JSON.stringify(row) });
    return row;
  }

  async scan(
    table: string,
    options: { afterKey?: string; limit: number },
  ): Promise<[string, JsonValue][]> {
    const { afterKey, limit } = options;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > SCAN_ROWS_MAX) {
      throw new Error(`scan limit must be 1..${SCAN_ROWS_MAX}, got ${limit}`);
    }
    await this.flush();
    const result =
      afterKey === undefined
        ? await this.client.query<{ k: string; v: JsonValue }>(
            `SELECT k, v FROM ${ROWS_TABLE} WHERE tbl = $1 ORDER BY k LIMIT $2`,
            [table, limit],
          )
        : await this.client.query<{ k: string; v: JsonValue }>(
            `SELECT k, v FROM ${ROWS_TABLE} WHERE tbl = $1 AND k > $2 ORDER BY k LIMIT $3`,
            [table, afterKey, limit],
          );
    return result.rows.map((row): [string, JsonValue] => [row.k, row.v]);
  }

  async put(table: string, key: string, row: JsonValue): Promise<void> {
    this.keep({ table, key, json: JSON.stringify(row) });
  }

  async delete(table: string, key: string): Promise<void> {
    this.keep({ table, key, json: undefined });
  }

  /** Sends the kept writes, the last write of each row only: upserts, then deletes. */
  async flush(): Promise<void> {
    if (this.writes.size === 0) return;
    const writes = [...this.writes.values()];
    this.writes.clear();
    const upserts = writes.filter((w) => w.json !== undefined);
    const deletes = writes.filter((w) => w.json === undefined);
    if (upserts.length > 0) {
      await this.client.query(
        `INSERT INTO ${ROWS_TABLE} (tbl, k, v)
         SELECT tbl, k, v::jsonb FROM unnest($1::text[], $2::text[], $3::text[]) AS w(tbl, k, v)
         ON CONFLICT (tbl, k) DO UPDATE SET v = EXCLUDED.v`,
        [upserts.map((w) => w.table), upserts.map((w) => w.key), upserts.map((w) => w.json)],
      );
    }
    if (deletes.length > 0) {
      await this.client.query(
        `DELETE FROM ${ROWS_TABLE}
         WHERE (tbl, k) IN (SELECT tbl, k FROM unnest($1::text[], $2::text[]) AS w(tbl, k))`,
        [deletes.map((w) => w.table), deletes.map((w) => w.key)],
      );
    }
  }

  private keep(write: Write): void {
    if (!this.writable) throw new Error('a read-only transaction cannot write');
    const id = rowId(write.table, write.key);
    if (!this.writes.has(id) && this.writes.size >= WRITES_MAX) {
      throw new Error(`a transaction may write at most ${WRITES_MAX} rows`);
    }
    this.writes.set(id, write);
    this.known.set(id, { json: write.json });
  }
}

/** Table names are the bank's own identifiers; a NUL never occurs in them. */
function rowId(table: string, key: string): string {
  return `${table}\u0000${key}`;
}
