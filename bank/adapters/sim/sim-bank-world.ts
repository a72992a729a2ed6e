/**
 * The reference bank running on the simulator: one scheduler, one seeded PRNG, the network, the
 * region clocks, the two key-value global tables (balances, eventual registers), the SQL cluster
 * (fencing off under 'failover-without-fencing'), the payment processor, and the bank connected
 * to them through the sim adapters. Faults are applied to the parts directly.
 */

import type { BugFlag } from '../../../scenario-dsl/bug-flags.ts';
import type { ResolvedAccount } from '../../../scenario-dsl/resolved-scenario.ts';
import { GlobalTable } from '../../../targets/sim/global-table.ts';
import { SimNetwork } from '../../../targets/sim/network.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import { RegionClocks } from '../../../targets/sim/region-clocks.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';
import { SqlCluster } from '../../../targets/sim/sql-cluster.ts';
import type { RegisterValue } from '../../api.ts';
import { BANK_TIMING_DEFAULT, type BankTiming } from '../../bank-config.ts';
import { type Bank, createBank } from '../../create-bank.ts';
import type { BalanceItem, RegionPorts } from '../../region-ports.ts';
import { TABLE } from '../../sql-schema.ts';
import type { PortCallDeps } from './port-call.ts';
import { SimClock } from './sim-clock.ts';
import { SimKvTable } from './sim-kv-table.ts';
import {
  PROCESSOR_BEHAVIOUR_DEFAULT,
  type ProcessorBehaviour,
  SimPaymentProcessor,
  SimPaymentService,
} from './sim-payment-processor.ts';
import { SimSqlCluster } from './sim-sql-cluster.ts';

const MS = 1_000_000;
const REPLICATION_QUEUE_MAX = 100_000;
/** A run of the world that needs more events than this per simulated second is a runaway. */
const EVENTS_PER_SECOND_MAX = 200_000;

export interface SimBankWorldOptions {
  seed: number;
  regions: readonly string[];
  writerRegion: string;
  accounts: readonly ResolvedAccount[];
  bugs?: readonly BugFlag[];
  processor?: Partial<ProcessorBehaviour>;
  /** How long a bank's store call waits before it gives up (StoreError, not definite). */
  storeTimeoutMs?: number;
  timing?: Partial<BankTiming>;
}

export interface SimBankWorld {
  scheduler: Scheduler;
  network: SimNetwork;
  clocks: RegionClocks;
  balances: GlobalTable<BalanceItem>;
  registers: GlobalTable<RegisterValue>;
  cluster: SqlCluster;
  processor: SimPaymentService;
  bank: Bank;
  /**
   * A stream for whatever drives the world (the load driver), forked from the world's one seeded
   * PRNG after the world's own forks, so that same seed still means same run.
   */
  driverPrng: Prng;
  /** Runs the simulation for `ms` more milliseconds of virtual time. */
  runForMs(ms: number): Promise<void>;
  /**
   * Runs until the stores have quiesced and the bank has nothing left to do (no outbox row, no
   * pending saga on the writer), long enough for a projector that took over to re-project.
   * Throws if that takes more than `msMax`. Heal every fault first.
   */
  settle(msMax?: number): Promise<void>;
}

export function createSimBankWorld(options: SimBankWorldOptions): SimBankWorld {
  const { regions, writerRegion } = options;
  const bugs = options.bugs ?? [];
  const scheduler = new Scheduler();
  const prng = new Prng(options.seed);
  const network = new SimNetwork(scheduler, prng.fork(), {
    regions,
    local: { baseNs: 0.2 * MS, jitterMeanNs: 0.05 * MS },
    crossRegion: { baseNs: 4 * MS, jitterMeanNs: 0.5 * MS },
    client: { baseNs: 10 * MS, jitterMeanNs: 2 * MS },
  });
  const clocks = new RegionClocks(scheduler, regions);
  const tableOptions = { replicationQueueMax: REPLICATION_QUEUE_MAX };
  const balances = new GlobalTable<BalanceItem>(scheduler, network, tableOptions);
  const registers = new GlobalTable<RegisterValue>(scheduler, network, tableOptions);
  const cluster = new SqlCluster(scheduler, network, {
    regions,
    writerRegion,
    fencing: !bugs.includes('failover-without-fencing'),
    replicationQueueMax: REPLICATION_QUEUE_MAX,
  });
  const behaviour = { ...PROCESSOR_BEHAVIOUR_DEFAULT, ...options.processor };
  const processor = new SimPaymentService(scheduler, prng.fork(), behaviour);
  const deps: PortCallDeps = { scheduler, network, timeoutMs: options.storeTimeoutMs ?? 1_000 };
  const processorDeps: PortCallDeps = { ...deps, timeoutMs: behaviour.timeoutMs };
  const connect = (region: string): RegionPorts => ({
    balances: new SimKvTable(deps, balances, region, 'balances'),
    registers: new SimKvTable(deps, registers, region, 'registers'),
    sql: new SimSqlCluster(deps, cluster, region),
    clock: new SimClock(scheduler, clocks, region),
    processor: new SimPaymentProcessor(processorDeps, processor, region),
  });
  const bank = createBank({
    regions,
    accounts: options.accounts,
    bugs,
    writerRegion,
    connect,
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  const runForMs = async (ms: number) => {
    await scheduler.run({
      untilNs: scheduler.nowNs + ms * MS,
      eventsMax: Math.max(1, Math.ceil(ms / 1000)) * EVENTS_PER_SECOND_MAX,
    });
  };
  const handoverMs = options.timing?.handoverDelayMs ?? BANK_TIMING_DEFAULT.handoverDelayMs;
  const driverPrng = prng.fork();
  const world = {
    scheduler,
    network,
    clocks,
    balances,
    registers,
    cluster,
    processor,
    bank,
    driverPrng,
  };
  return {
    ...world,
    runForMs,
    settle: (msMax = 120_000) => settle(world, runForMs, handoverMs, msMax),
  };
}

async function bankIdle(cluster: SqlCluster): Promise<boolean> {
  const result = await cluster.read(
    cluster.writerRegion,
    (tx) => tx.scan(TABLE.outbox, 1).length === 0 && tx.scan(TABLE.sagasPending, 1).length === 0,
  );
  return result.ok && result.value;
}

async function settle(
  world: Pick<SimBankWorld, 'cluster' | 'balances' | 'registers'>,
  runForMs: (ms: number) => Promise<void>,
  handoverMs: number,
  msMax: number,
): Promise<void> {
  const stepMs = 250;
  const quietMsNeeded = handoverMs + 2 * stepMs;
  let quietMs = 0;
  for (let elapsedMs = 0; elapsedMs <= msMax; elapsedMs += stepMs) {
    await runForMs(stepMs);
    const quiet =
      world.cluster.quiesced() &&
      world.balances.quiesced() &&
      world.registers.quiesced() &&
      (await bankIdle(world.cluster));
    quietMs = quiet ? quietMs + stepMs : 0;
    if (quietMs >= quietMsNeeded) return;
  }
  throw new Error(`the bank did not settle within ${msMax} ms of virtual time`);
}
