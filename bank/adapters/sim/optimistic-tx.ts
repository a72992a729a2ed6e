/**
 * An async SqlTx over the simulator's synchronous transactions, optimistically: the bank's
 * transaction function runs against reads taken from the node as it asks, with its writes
 * buffered; then one synchronous transaction re-checks that every read would still return the
 * same, and applies the writes only if so (otherwise the caller runs the function again).
 *
 * State per transaction: the buffered writes, and every read with its JSON text (a few hundred
 * bytes per read; bank transactions read tens of rows).
 */
import { copyJson } from '../../../targets/sim/copy-json.ts';
import type { SqlReadTx as SimReadTx, SqlTx as SimTx } from '../../../targets/sim/sql-cluster.ts';
import { SCAN_ROWS_MAX } from '../../../targets/sim/sql-tx.ts';
import type { JsonValue, SqlTx } from '../../ports.ts';

/** Runs a synchronous read on the node, or throws StoreError when it cannot. */
export type NodeReader = <T>(fn: (tx: SimReadTx) => T) => Promise<T>;

interface SeenScan {
  table: string;
  afterKey: string | undefined;
  limit: number;
  json: string;
}

function scanNode(tx: SimReadTx, table: string, limit: number, afterKey: string | undefined) {
  return tx.scan(table, limit, afterKey).map(({ key, row }): [string, JsonValue] => [key, row]);
}

export class OptimisticTx implements SqlTx {
  private readonly writes = new Map<string, Map<string, JsonValue | undefined>>();
  private readonly seenGets: { table: string; key: string; json: string | undefined }[] = [];
  private readonly seenScans: SeenScan[] = [];

  constructor(
    private readonly readNode: NodeReader,
    private readonly writable: boolean,
  ) {}

  async get(table: string, key: string): Promise<JsonValue | undefined> {
    const written = this.writes.get(table);
    if (written?.has(key)) return copyJson(written.get(key));
    const row = await this.readNode((tx) => tx.get(table, key));
    this.seenGets.push({ table, key, json: JSON.stringify(row) });
    return row;
  }

  async scan(
    table: string,
    options: { afterKey?: string; limit: number },
  ): Promise<[string, JsonValue][]> {
    const { afterKey, limit } = options;
    const written = this.writes.get(table) ?? new Map<string, JsonValue | undefined>();
    // Enough node rows that the buffered deletes cannot leave the page short.
    const nodeLimit = Math.min(limit + written.size, SCAN_ROWS_MAX);
    const nodeRows = await this.readNode((tx) => scanNode(tx, table, nodeLimit, afterKey));
    this.seenScans.push({ table, afterKey, limit: nodeLimit, json: JSON.stringify(nodeRows) });
    const rows = new Map(nodeRows);
    for (const [key, row] of written) {
      if (afterKey !== undefined && key <= afterKey) continue;
      if (row === undefined) rows.delete(key);
      else rows.set(key, copyJson(row));
    }
    return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
  }

  async put(table: string, key: string, row: JsonValue): Promise<void> {
    this.tableWrites(table).set(key, copyJson(row));
  }

  async delete(table: string, key: string): Promise<void> {
    this.tableWrites(table).set(key, undefined);
  }

  /** Whether every read would return the same now. */
  stillValid(tx: SimReadTx): boolean {
    for (const seen of this.seenGets) {
      if (JSON.stringify(tx.get(seen.table, seen.key)) !== seen.json) return false;
    }
    for (const seen of this.seenScans) {
      const rows = scanNode(tx, seen.table, seen.limit, seen.afterKey);
      if (JSON.stringify(rows) !== seen.json) return false;
    }
    return true;
  }

  applyTo(tx: SimTx): void {
    for (const [table, rows] of this.writes) {
      for (const [key, row] of rows) {
        if (row === undefined) tx.delete(table, key);
        else tx.put(table, key, row);
      }
    }
  }

  private tableWrites(table: string): Map<string, JsonValue | undefined> {
    if (!this.writable) throw new Error('a read-only transaction cannot write');
    let rows = this.writes.get(table);
    if (rows === undefined) {
      rows = new Map();
      this.writes.set(table, rows);
    }
    return rows;
  }
}
