/** The stores and dependencies one region's bank instance is connected to. */
import type { RegisterValue } from './api.ts';
import type { BankConfig } from './bank-config.ts';
import type { Clock, KvTable, PaymentProcessor, SqlCluster } from './ports.ts';

/** A projected balance in the key-value table: the ledger's balance at `version`. */
export type BalanceItem = { balance: number; version: number };

export interface RegionPorts {
  /** The balances projection (a DynamoDB global table), this region's replica. */
  balances: KvTable<BalanceItem>;
  /** The eventually consistent register table, this region's replica. */
  registers: KvTable<RegisterValue>;
  sql: SqlCluster;
  clock: Clock;
  processor: PaymentProcessor;
}

/** What a request handler or background loop of one instance works with. */
export interface InstanceContext {
  readonly region: string;
  readonly config: BankConfig;
  readonly ports: RegionPorts;
  /** False once the instance crashed or the bank stopped: background loops end. */
  running(): boolean;
}
