/**
 * The SqlTx port inside one open PostgreSQL transaction (one connection, queries in turn), which
 * the writer's batches share among their members (pg-write-batch.ts).
 *
 * Round trips are what a bank transaction costs on the lab (each one crosses Toxiproxy, and the
 * writer runs its batches one at a time), so: rows named in advance arrive with the transaction's
 * start (`know`), a row read once is not read again (the transaction's snapshot would return the
 * same row: SERIALIZABLE and REPEATABLE READ take one snapshot per transaction), and writes are
 * kept and sent together, as one INSERT and one DELETE: with the batch's COMMIT, in its round
 * trip (`takeWriteStatements`), or by `flush` when a scan must see them first. Reads see the
 * transaction's own writes from what is kept. Conflicts are the server's as before: a write that
 * conflicts fails before COMMIT runs, and the batch is run again.
 *
 * Members: each bank function in a batch runs in a member layer of its own (`startMember`), whose
 * writes join the batch's only when it returns (`keepMember`); a member that throws has its
 * writes dropped (`dropMember`) unless a scan already sent them (`memberFlushed`), and then the
 * batch must roll back. A query the server failed aborts the whole transaction: `serverFailure`
 * keeps the first such error whatever the bank's function did with it.
 */
import type pg from 'pg';
import type { JsonValue, SqlTx } from '../../ports.ts';
import { ROWS_TABLE } from './pg-schema.ts';

/** The largest page a scan may ask for (the bank asks for hundreds). */
export const SCAN_ROWS_MAX = 10_000;
/** Rows one member may write: the bank's biggest (a reprojection) writes none; a saga, tens. */
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
  /** The snapshot's rows and the writes of the members kept so far. */
  private readonly known = new Map<string, Known>();
  private readonly writes = new Map<string, Write>();
  /** The open member's writes, over the batch's. */
  private readonly memberKnown = new Map<string, Known>();
  private readonly memberWrites = new Map<string, Write>();
  private memberOpen = false;
  /** Whether a flush sent the open member's writes (a scan flushes): they cannot be dropped. */
  memberFlushed = false;
  /** The first query the server (or the connection) failed: the transaction is aborted. */
  serverFailure: unknown = undefined;

  constructor(
    private readonly client: pg.ClientBase,
    private readonly writable: boolean,
  ) {}

  /** Rows read with the transaction's start, from its snapshot (`undefined`: no such row). */
  know(table: string, key: string, json: string | undefined): void {
    if (this.memberOpen || this.writes.size > 0)
      throw new Error('rows are known before any member');
    this.known.set(rowId(table, key), { json });
  }

  startMember(): void {
    if (this.memberOpen) throw new Error('a member is already open');
    this.memberOpen = true;
    this.memberFlushed = false;
  }

  /** The open member returned: its writes are the batch's. */
  keepMember(): void {
    this.assertMemberOpen();
    for (const [id, write] of this.memberWrites) this.writes.set(id, write);
    for (const [id, known] of this.memberKnown) this.known.set(id, known);
    this.closeMember();
  }

  /** The open member threw: its writes are forgotten. Only before a flush sent them. */
  dropMember(): void {
    this.assertMemberOpen();
    if (this.memberFlushed) throw new Error('a member whose writes were sent cannot be dropped');
    this.closeMember();
  }

  async get(table: string, key: string): Promise<JsonValue | undefined> {
    const id = rowId(table, key);
    const known = this.memberKnown.get(id) ?? this.known.get(id);
    if (known !== undefined) return known.json === undefined ? undefined : JSON.parse(known.json);
    const result = await this.query<{ v: JsonValue }>(
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
        ? await this.query<{ k: string; v: JsonValue }>(
            `SELECT k, v FROM ${ROWS_TABLE} WHERE tbl = $1 ORDER BY k LIMIT $2`,
            [table, limit],
          )
        : await this.query<{ k: string; v: JsonValue }>(
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

  /** Sends the kept writes of the batch and of the open member, the last write of each row only. */
  async flush(): Promise<void> {
    if (this.memberWrites.size > 0) this.memberFlushed = true;
    const pending = new Map(this.writes);
    for (const [id, write] of this.memberWrites) pending.set(id, write);
    this.writes.clear();
    this.memberWrites.clear();
    const statements = this.writeStatements([...pending.values()]);
    if (statements !== '') await this.query(statements, []);
  }

  /**
   * The kept writes of the batch as statements to send with its COMMIT, in the same round trip;
   * '' when there are none. The open member must have been kept or dropped.
   */
  takeWriteStatements(): string {
    if (this.memberOpen) throw new Error('a member is still open');
    const statements = this.writeStatements([...this.writes.values()]);
    this.writes.clear();
    return statements;
  }

  /**
   * Upserts, then deletes, as simple-query statements (values as literals, so that they can share
   * a round trip with other statements); '' for no writes. One write per row: the kept maps hold
   * the last of each.
   */
  private writeStatements(writes: readonly Write[]): string {
    const literal = (text: string) => this.client.escapeLiteral(text);
    const upserts = writes.filter((w) => w.json !== undefined);
    const deletes = writes.filter((w) => w.json === undefined);
    let statements = '';
    if (upserts.length > 0) {
      const rows = upserts
        .map((w) => `(${literal(w.table)}, ${literal(w.key)}, ${literal(w.json!)}::jsonb)`)
        .join(', ');
      statements += `INSERT INTO ${ROWS_TABLE} (tbl, k, v) VALUES ${rows} ON CONFLICT (tbl, k) DO UPDATE SET v = EXCLUDED.v; `;
    }
    if (deletes.length > 0) {
      const keys = deletes.map((w) => `(${literal(w.table)}, ${literal(w.key)})`).join(', ');
      statements += `DELETE FROM ${ROWS_TABLE} WHERE (tbl, k) IN (VALUES ${keys}); `;
    }
    return statements;
  }

  private async query<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.client.query<R>(text, values);
    } catch (error) {
      this.serverFailure ??= error;
      throw error;
    }
  }

  private keep(write: Write): void {
    if (!this.writable) throw new Error('a read-only transaction cannot write');
    const id = rowId(write.table, write.key);
    const [known, writes] = this.memberOpen
      ? [this.memberKnown, this.memberWrites]
      : [this.known, this.writes];
    if (!writes.has(id) && writes.size >= WRITES_MAX) {
      throw new Error(`a transaction may write at most ${WRITES_MAX} rows`);
    }
    writes.set(id, write);
    known.set(id, { json: write.json });
  }

  private assertMemberOpen(): void {
    if (!this.memberOpen) throw new Error('no member is open');
  }

  private closeMember(): void {
    this.memberKnown.clear();
    this.memberWrites.clear();
    this.memberOpen = false;
    this.memberFlushed = false;
  }
}

/** Table names are the bank's own identifiers; a NUL never occurs in them. */
function rowId(table: string, key: string): string {
  return `${table}\u0000${key}`;
}
