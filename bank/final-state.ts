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

/** Every row of a table, page by page, each page one read transaction on the writer. */
export async function readPages<T>(
  writer: SqlCluster,
  table: string,
  parse: (row: JsonValue, key: string) => T,
): Promise<T[][]> {
  const pages: T[][] = [];
  let afterKey: string | undefined;
  for (let page = 0; page < FINAL_PAGES_MAX; page += 1) {
    const rows = await writer.transaction(
      (tx) =>
        tx.scan(table, {
          ...(afterKey === undefined ? {} : { afterKey }),
          limit: FINAL_PAGE_ENTRIES_MAX,
        }),
      { waitForReplication: true },
    );
    if (rows.length > 0) pages.push(rows.map(([key, row]) => parse(row, key)));
    const last = rows.at(-1);
    if (last === undefined || rows.length < FINAL_PAGE_ENTRIES_MAX) return pages;
    afterKey = last[0];
  }
  throw new Error(`${table} holds more than ${FINAL_PAGES_MAX} pages`);
}

export async function readFinalState(
  config: BankConfig,
  regions: readonly { region: string; ports: RegionPorts }[],
  writer: SqlCluster,
  keys: RegisterKeys,
): Promise<FinalState> {
  const reads: FinalRegionRead[] = [];
  for (const { region, ports } of regions)
    reads.push(await readRegionFinal(config, region, ports, keys));
  const ledgerPages = await readPages(writer, TABLE.ledger, (row, key): LedgerEntry => {
    const { tx, account, amount } = parseLedgerRow(row, key);
    return { tx, account, amount };
  });
  const sagaPages = await readPages(writer, TABLE.sagas, (row, key) =>
    sagaRecord(parseSagaRow(row, key)),
  );
  return { reads, ledgerPages, sagaPages };
}
