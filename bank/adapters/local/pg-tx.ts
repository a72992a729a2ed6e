/** The SqlTx port inside one open PostgreSQL transaction (one connection, queries in turn). */
import type pg from 'pg';
import type { JsonValue, SqlTx } from '../../ports.ts';
import { ROWS_TABLE } from './pg-schema.ts';

/** The largest page a scan may ask for (the bank asks for hundreds). */
export const SCAN_ROWS_MAX = 10_000;

export class PgTx implements SqlTx {
  constructor(
    private readonly client: pg.ClientBase,
    private readonly writable: boolean,
  ) {}

  async get(table: string, key: string): Promise<JsonValue | undefined> {
    const result = await this.client.query<{ v: JsonValue }>(
      `SELECT v FROM ${ROWS_TABLE} WHERE tbl = $1 AND k = $2`,
      [table, key],
    );
    return result.rows[0]?.v;
  }

  async scan(
    table: string,
    options: { afterKey?: string; limit: number },
  ): Promise<[string, JsonValue][]> {
    const { afterKey, limit } = options;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > SCAN_ROWS_MAX) {
      throw new Error(`scan limit must be 1..${SCAN_ROWS_MAX}, got ${limit}`);
    }
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
    this.checkWritable();
    await this.client.query(
      `INSERT INTO ${ROWS_TABLE} (tbl, k, v) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (tbl, k) DO UPDATE SET v = EXCLUDED.v`,
      [table, key, JSON.stringify(row)],
    );
  }

  async delete(table: string, key: string): Promise<void> {
    this.checkWritable();
    await this.client.query(`DELETE FROM ${ROWS_TABLE} WHERE tbl = $1 AND k = $2`, [table, key]);
  }

  private checkWritable(): void {
    if (!this.writable) throw new Error('a read-only transaction cannot write');
  }
}
