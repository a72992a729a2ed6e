/**
 * createBank: the reference bank, one instance per region, written only against the ports.
 * `connect(region)` opens a region's stores; it is called again for a restarted instance and for
 * the final-state reader, as a new process opens new connections (and so finds the current SQL
 * writer afresh).
 */

import type { LedgerEntry, SagaRecord } from '../history/op.ts';
import type { BugFlag } from '../scenario-dsl/bug-flags.ts';
import type { ResolvedAccount } from '../scenario-dsl/resolved-scenario.ts';
import type { BankEndpoint, BankRequest, BankResponse } from './api.ts';
import { type BankConfig, type BankTiming, bankConfig } from './bank-config.ts';
import { BankInstance } from './bank-instance.ts';
import {
  type FinalState,
  parseLedgerEntry,
  parseSagaRecord,
  type RegisterKeys,
  readFinalState,
  readPage,
} from './final-state.ts';
import type { SqlCluster } from './ports.ts';
import type { RegionPorts } from './region-ports.ts';
import { TABLE } from './sql-schema.ts';

/** Where a page starts (the `next` of the one before, null first) and how many it holds. */
export interface FinalPageOf {
  afterKey: string | null;
  limit: number;
}

export interface BankOptions {
  regions: readonly string[];
  /** The scenario's accounts; the bank adds its system accounts (the hold). */
  accounts: readonly ResolvedAccount[];
  bugs: readonly BugFlag[];
  /** The SQL writer's region at start: the home of the system accounts. */
  writerRegion: string;
  connect(region: string): RegionPorts;
  timing?: Partial<BankTiming>;
}

export interface Bank {
  readonly endpoints: readonly BankEndpoint[];
  endpoint(region: string): BankEndpoint;
  /** Every account the bank keeps, system accounts included: what `init` must declare. */
  accounts(): ResolvedAccount[];
  /** Writes the accounts into the stores and starts the background work. */
  init(): Promise<void>;
  /** The crash-bank fault: the region's instance stops; its in-flight work is lost. */
  crash(region: string): void;
  restart(region: string): void;
  /** Ends the background loops of every instance (at their next wake-up). */
  stop(): void;
  readFinalState(keys: RegisterKeys): Promise<FinalState>;
  /** One page of the writer's ledger or saga log (what the HTTP service's final paths serve). */
  ledgerPage(page: FinalPageOf): Promise<{ items: LedgerEntry[]; next: string | null }>;
  sagasPage(page: FinalPageOf): Promise<{ items: SagaRecord[]; next: string | null }>;
  /** Unexpected errors of background loops (a bank bug, never a store failure). */
  backgroundErrors(): readonly unknown[];
}

export function createBank(options: BankOptions): Bank {
  if (!options.regions.includes(options.writerRegion)) {
    throw new Error(`the writer region ${options.writerRegion} is not a bank region`);
  }
  const config = bankConfig(options.accounts, options.bugs, options.writerRegion, options.timing);
  return new ReferenceBank(config, options);
}

class ReferenceBank implements Bank {
  readonly endpoints: readonly BankEndpoint[];
  private readonly instances = new Map<string, BankInstance>();
  private readonly errors: unknown[] = [];
  private running = true;
  private pageWriter: SqlCluster | undefined;

  constructor(
    private readonly config: BankConfig,
    private readonly options: BankOptions,
  ) {
    for (const region of options.regions) this.instances.set(region, this.newInstance(region));
    this.endpoints = options.regions.map((region) => ({
      region,
      handle: (request: BankRequest): Promise<BankResponse> =>
        this.instance(region).handle(request),
    }));
  }

  endpoint(region: string): BankEndpoint {
    const endpoint = this.endpoints.find((e) => e.region === region);
    if (endpoint === undefined) throw new Error(`no bank endpoint in ${region}`);
    return endpoint;
  }

  accounts(): ResolvedAccount[] {
    return [...this.config.accounts.values()].map((account) => ({ ...account }));
  }

  async init(): Promise<void> {
    const anyInstance = this.instance(this.options.writerRegion);
    await anyInstance.context.ports.sql.transaction(
      async (tx) => {
        for (const account of this.config.accounts.values()) {
          await tx.put(TABLE.accounts, account.name, { balance: account.balance, version: 0 });
        }
      },
      { waitForReplication: true },
    );
    // Each balance starts out in its home region's replica; replication takes it everywhere.
    for (const account of this.config.accounts.values()) {
      await this.instance(account.home).context.ports.balances.put(
        account.name,
        { balance: account.balance, version: 0 },
        { condition: (current) => current === undefined },
      );
    }
    for (const instance of this.instances.values()) instance.startBackground();
  }

  crash(region: string): void {
    const instance = this.instance(region);
    if (!instance.alive) throw new Error(`the bank in ${region} has already crashed`);
    instance.crash();
  }

  restart(region: string): void {
    if (this.instance(region).alive) throw new Error(`restart ${region}: the bank is running`);
    const instance = this.newInstance(region);
    this.instances.set(region, instance);
    instance.startBackground();
  }

  stop(): void {
    this.running = false;
  }

  readFinalState(keys: RegisterKeys): Promise<FinalState> {
    const regions = this.options.regions.map((region) => ({
      region,
      ports: this.options.connect(region),
    }));
    const writer = this.options.connect(this.options.writerRegion).sql;
    return readFinalState(this.config, regions, writer, keys);
  }

  ledgerPage(page: FinalPageOf): Promise<{ items: LedgerEntry[]; next: string | null }> {
    return readPage(this.pageReader(), TABLE.ledger, parseLedgerEntry, page);
  }

  sagasPage(page: FinalPageOf): Promise<{ items: SagaRecord[]; next: string | null }> {
    return readPage(this.pageReader(), TABLE.sagas, parseSagaRecord, page);
  }

  /**
   * One connection for every page: a harness polls the pages while it waits for quiescence, and
   * a connect per page would open a pool per page until the bank stops.
   */
  private pageReader(): SqlCluster {
    this.pageWriter ??= this.options.connect(this.options.writerRegion).sql;
    return this.pageWriter;
  }

  backgroundErrors(): readonly unknown[] {
    return this.errors;
  }

  private newInstance(region: string): BankInstance {
    return new BankInstance(
      region,
      this.config,
      this.options.connect(region),
      () => this.running,
      (error) => this.errors.push(error),
    );
  }

  private instance(region: string): BankInstance {
    const instance = this.instances.get(region);
    if (instance === undefined) throw new Error(`no bank instance in ${region}`);
    return instance;
  }
}
