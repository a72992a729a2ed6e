/**
 * The handle a SQL cluster transaction runs over: reads see the node's tables plus the
 * transaction's own writes; writes are buffered and become the commit's change list only if the
 * transaction function returns. Rows go in and come out as copies, so no caller can reach into a
 * node's tables. A handle is dead once its transaction ends (a leaked handle throws).
 */

import type { JsonValue } from '../../history/json-value.ts';
import { copyJson } from './copy-json.ts';

export type { JsonValue };

/** table -> primary key -> row. */
export type Tables = Map<string, Map<string, JsonValue>>;

/** One row written by a commit; `row` undefined is a delete. */
export interface Change {
  table: string;
  key: string;
  row: JsonValue | undefined;
}

export interface ScannedRow {
  key: string;
  row: JsonValue;
}

/** A scan returns at most this many rows: page with `afterKey` beyond it. */
export const SCAN_ROWS_MAX = 100_000;

export interface SqlReadTx {
  get(table: string, key: string): JsonValue | undefined;
  /** Rows in primary-key order, after `afterKey` when given, at most `limit`. */
  scan(table: string, limit: number, afterKey?: string): ScannedRow[];
}

export interface SqlTx extends SqlReadTx {
  put(table: string, key: string, row: JsonValue): void;
  /** Whether a row was there to delete. */
  delete(table: string, key: string): boolean;
}

export class TxHandle implements SqlTx {
  /** table -> key -> the row written, or undefined for a delete. */
  private readonly writes = new Map<string, Map<string, JsonValue | undefined>>();
  private open = true;

  constructor(
    private readonly tables: Tables,
    private readonly readOnly: boolean,
  ) {}

  get(table: string, key: string): JsonValue | undefined {
    this.checkOpen();
    const written = this.writes.get(table);
    const row = written?.has(key) ? written.get(key) : this.tables.get(table)?.get(key);
    return row === undefined ? undefined : copyJson(row);
  }

  put(table: string, key: string, row: JsonValue): void {
    this.checkWritable();
    if (row === undefined) throw new Error(`put ${table}/${key}: a row cannot be undefined`);
    this.tableWrites(table).set(key, copyJson(row));
  }

  delete(table: string, key: string): boolean {
    this.checkWritable();
    const existed = this.get(table, key) !== undefined;
    this.tableWrites(table).set(key, undefined);
    return existed;
  }

  scan(table: string, limit: number, afterKey?: string): ScannedRow[] {
    this.checkOpen();
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > SCAN_ROWS_MAX) {
      throw new Error(`scan ${table}: limit must be 1 to ${SCAN_ROWS_MAX}, got ${limit}`);
    }
    const keys = new Set(this.tables.get(table)?.keys());
    for (const key of this.writes.get(table)?.keys() ?? []) keys.add(key);
    const rows: ScannedRow[] = [];
    for (const key of [...keys].sort()) {
      if (rows.length >= limit) break;
      if (afterKey !== undefined && key <= afterKey) continue;
      const row = this.get(table, key);
      if (row !== undefined) rows.push({ key, row });
    }
    return rows;
  }

  /** Ends the transaction and returns its writes, in table then write order. */
  close(): Change[] {
    this.checkOpen();
    this.open = false;
    const changes: Change[] = [];
    for (const [table, rows] of this.writes) {
      for (const [key, row] of rows) changes.push({ table, key, row });
    }
    return changes;
  }

  private tableWrites(table: string): Map<string, JsonValue | undefined> {
    let rows = this.writes.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.writes.set(table, rows);
    }
    return rows;
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.readOnly) throw new Error('a read-only transaction cannot write');
  }

  private checkOpen(): void {
    if (!this.open) throw new Error('this transaction has ended: its handle cannot be used');
  }
}

/** Applies a commit's changes to a node's tables. Nodes share row objects: no row is ever mutated. */
export function applyChanges(tables: Tables, changes: readonly Change[]): void {
  for (const { table, key, row } of changes) {
    let rows = tables.get(table);
    if (rows === undefined) {
      rows = new Map();
      tables.set(table, rows);
    }
    if (row === undefined) rows.delete(key);
    else rows.set(key, row);
  }
}

/**
 * A rebuilt node's tables: new maps, in the same order, over the same row objects, which nodes
 * already share because no row is ever mutated (applyChanges). A deep copy of every row cost a
 * simulated failover's heal tens of milliseconds for nothing.
 */
export function cloneTables(tables: Tables): Tables {
  const copy: Tables = new Map();
  for (const [table, rows] of tables) copy.set(table, new Map(rows));
  return copy;
}
