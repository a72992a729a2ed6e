/**
 * The final state a target writes into the history after quiescence (design.md): per region the
 * balances from that region's key-value replica and the registers (eventual keys from the
 * key-value replica, strong keys from the region's SQL node); the ledger and the saga log from
 * the SQL writer, in pages of at most FINAL_PAGE_ENTRIES_MAX.
 */
import type { FinalReadValue, LedgerEntry, SagaRecord } from '../history/op.ts';
import type { RegisterValue } from './api.ts';
import { type BankConfig, FINAL_PAGE_ENTRIES_MAX, FINAL_PAGES_MAX } from './bank-config.ts';
import type { JsonValue, SqlCluster } from './ports.ts';
import type { RegionPorts } from './region-ports.ts';
import { parseSagaRow, sagaRecord } from './saga-log.ts';
import { parseLedgerRow, parseRegisterRow, TABLE } from './sql-schema.ts';

export interface RegisterKeys {
  eventual: readonly string[];
  strong: readonly string[];
}

export interface FinalRegionRead {
  region: string;
  value: FinalReadValue;
}

export interface FinalState {
  reads: FinalRegionRead[];
  ledgerPages: LedgerEntry[][];
  sagaPages: SagaRecord[][];
}

export async function readRegionFinal(
  config: BankConfig,
  region: string,
  ports: RegionPorts,
  keys: RegisterKeys,
): Promise<FinalRegionRead> {
  const accounts: Record<string, number> = {};
  for (const name of config.accountNames) {
    const item = await ports.balances.get(name);
    if (item !== undefined) accounts[name] = item.value.balance;
  }
  const registers: Record<string, RegisterValue> = {};
  const ts: Record<string, number> = {};
  for (const key of keys.eventual) {
    const item = await ports.registers.get(key);
    registers[key] = item?.value ?? null;
    if (item !== undefined) ts[key] = item.tsUs;
  }
  for (const key of keys.strong) {
    const row = await ports.sql.readLocal((tx) => tx.get(TABLE.registers, key));
    registers[key] = row === undefined ? null : parseRegisterRow(row, key).value;
  }
  const value: FinalReadValue = { accounts };
  if (keys.eventual.length + keys.strong.length > 0) {
    value.registers = registers;
    value.ts = ts;
  }
  return { region, value };
}

/** One page of a table on the writer, in key order, after `afterKey`; `next` null on the last. */
export async function readPage<T>(
  writer: SqlCluster,
  table: string,
  parse: (row: JsonValue, key: string) => T,
  page: { afterKey: string | null; limit: number },
): Promise<{ items: T[]; next: string | null }> {
  if (!(Number.isInteger(page.limit) && page.limit >= 1 && page.limit <= FINAL_PAGE_ENTRIES_MAX)) {
    throw new Error(`a final page holds 1..${FINAL_PAGE_ENTRIES_MAX} entries, asked ${page.limit}`);
  }
  const rows = await writer.transaction(
    (tx) =>
      tx.scan(table, {
        ...(page.afterKey === null ? {} : { afterKey: page.afterKey }),
        limit: page.limit,
      }),
    { waitForReplication: true },
  );
  const last = rows.at(-1);
  return {
    items: rows.map(([key, row]) => parse(row, key)),
    next: last === undefined || rows.length < page.limit ? null : last[0],
  };
}

/** Every row of a table, page by page, each page one read transaction on the writer. */
export async function readPages<T>(
  writer: SqlCluster,
  table: string,
  parse: (row: JsonValue, key: string) => T,
): Promise<T[][]> {
  const pages: T[][] = [];
  let afterKey: string | null = null;
  for (let page = 0; page < FINAL_PAGES_MAX; page += 1) {
    const { items, next }: { items: T[]; next: string | null } = await readPage(
      writer,
      table,
      parse,
      {
        afterKey,
        limit: FINAL_PAGE_ENTRIES_MAX,
      },
    );
    if (items.length > 0) pages.push(items);
    if (next === null) return pages;
    afterKey = next;
  }
  throw new Error(`${table} holds more than ${FINAL_PAGES_MAX} pages`);
}

export const parseLedgerEntry = (row: JsonValue, key: string): LedgerEntry => {
  const { tx, account, amount } = parseLedgerRow(row, key);
  return { tx, account, amount };
};

export const parseSagaRecord = (row: JsonValue, key: string): SagaRecord =>
  sagaRecord(parseSagaRow(row, key));

export async function readFinalState(
  config: BankConfig,
  regions: readonly { region: string; ports: RegionPorts }[],
  writer: SqlCluster,
  keys: RegisterKeys,
): Promise<FinalState> {
  const reads: FinalRegionRead[] = [];
  for (const { region, ports } of regions)
    reads.push(await readRegionFinal(config, region, ports, keys));
  const ledgerPages = await readPages(writer, TABLE.ledger, parseLedgerEntry);
  const sagaPages = await readPages(writer, TABLE.sagas, parseSagaRecord);
  return { reads, ledgerPages, sagaPages };
}
