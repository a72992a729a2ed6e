/**
 * The `local` target: the scenario on real engines on this machine (docs/local-lab.md). `up`
 * brings a fresh lab up in .paychaos/lab/ — the directory `paychaos lab` uses, so that
 * `paychaos lab down` stops it after a harness that was SIGKILLed, and so that a lab already up
 * there is refused rather than shared — then the bank on it (lab-bank.ts). Clients reach each
 * region's HTTP service through its client link; time is real (real-clock.ts).
 *
 * Faults: every kind the simulator has, meaning the same there (apply-lab-nemesis.ts). A fault
 * is carried out asynchronously, in order, as inject is called (Toxiproxy's API answers in
 * milliseconds, a failover takes about a second); one that fails fails the run at heal.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FinalState } from '../../../bank/final-state.ts';
import { TABLE } from '../../../bank/sql-schema.ts';
import { FAULT_KINDS, type FaultKind } from '../../../faults/fault.ts';
import type { NemesisAction } from '../../../faults/nemesis-action.ts';
import type { Clock } from '../../../load/clock.ts';
import { HttpTransport } from '../../../load/http-transport.ts';
import { enginePaths } from '../../../targets/local/engine-paths.ts';
import {
  copyLabLogs,
  type LabDirs,
  type LabState,
  LabUnavailable,
  labDirs,
  labDown,
  labUp,
} from '../../../targets/local/lab.ts';
import { LabAurora } from '../../../targets/local/lab-aurora.ts';
import { wallNowUs } from '../../../targets/local/lab-clocks.ts';
import { LabNetwork } from '../../../targets/local/lab-network.ts';
import { LinkFaults } from '../../../targets/local/link-faults.ts';
import { ToxiproxyClient } from '../../../targets/local/toxiproxy-client.ts';
import { sleepMs, waitUntil } from '../../../targets/local/wait-until.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import type { Target, TargetSession, TargetUpOptions } from '../../target.ts';
import { applyLabNemesis, type LabFaultParts } from './apply-lab-nemesis.ts';
import { type LabBank, startLabBank } from './lab-bank.ts';
import { realClock } from './real-clock.ts';

export const LOCAL_FAULTS: readonly FaultKind[] = FAULT_KINDS;

/** Bounds of the steps that wait for the system (each a real wait). */
const BANK_INIT_MS_MAX = 60_000;
const ADVANCE_MS_MAX = 3_600_000;
const BANK_IDLE_MS_MAX = 60_000;
const QUIESCE_MS_MAX = 30_000;
const FINAL_READ_MS_MAX = 60_000;
/** An HTTP exchange's own bound; the load client's timeout, shorter, decides the history. */
const HTTP_REQUEST_TIMEOUT_MS = 30_000;
/** The harness's own log in the lab's logs/: what the heal waited for (logBankTimings). */
export const BANK_LOG = 'bank.log';
/** Fault actions waiting to be carried out: a schedule has a handful, not thousands. */
const FAULTS_QUEUED_MAX = 1_000;

/** Rejects with `what` if `promise` has not settled within `msMax`. */
async function within<T>(promise: Promise<T>, what: string, msMax: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${msMax} ms`)), msMax);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fault actions carried out one after another, in the order asked; the first failure kept. */
class FaultQueue {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: { error: unknown; action: NemesisAction } | undefined;

  constructor(readonly parts: LabFaultParts) {}

  push(action: NemesisAction): void {
    if (this.queued >= FAULTS_QUEUED_MAX) {
      throw new Error(`over ${FAULTS_QUEUED_MAX} fault actions waiting on the lab`);
    }
    this.queued += 1;
    this.tail = this.tail
      .then(() => applyLabNemesis(this.parts, action))
      .catch((error: unknown) => {
        this.failure ??= { error, action };
      })
      .finally(() => {
        this.queued -= 1;
      });
  }

  async drain(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) {
      const { error, action } = this.failure;
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `the lab could not carry out ${action.f} (faults[${action.faultIndex}]): ${message}`,
      );
    }
  }
}

export function writerOf({ scenario }: Pick<TargetUpOptions, 'scenario'>): string {
  if (scenario.clusters.length > 1) {
    throw new Error(
      `the local lab runs one SQL cluster; the scenario declares ${scenario.clusters.length}`,
    );
  }
  const writer = scenario.clusters[0]?.writer ?? scenario.regions[0];
  if (writer === undefined) throw new Error('the scenario names no region');
  return writer;
}

/** A local session with its lab's bank, whose instruments the bench reads. */
export type LocalSession = TargetSession & { readonly labBank: LabBank };

async function up(options: TargetUpOptions): Promise<TargetSession> {
  return upLocal(options);
}

export async function upLocal(options: TargetUpOptions): Promise<LocalSession> {
  const { scenario, seed } = options;
  const dirs = labDirs();
  // The run starts as the lab is asked for: the history's times and the bank's count from here.
  const clock = realClock();
  const runOriginUs = wallNowUs();
  const copyLogs = () => {
    if (options.logsDir !== undefined) copyLabLogs(dirs, options.logsDir);
  };
  let state: LabState;
  try {
    state = await labUp({
      dirs,
      engines: enginePaths(),
      regions: scenario.regions,
      writerRegion: writerOf(options),
    });
  } catch (error) {
    // labUp took down what it had started; the logs say why a server did not come up.
    if (!(error instanceof LabUnavailable)) copyLogs();
    throw error;
  }
  let labBank: LabBank | undefined;
  try {
    const toxiproxy = new ToxiproxyClient(state.toxiproxyApi);
    const network = new LabNetwork(
      toxiproxy,
      new LinkFaults(toxiproxy, Object.values(state.links)),
    );
    // The lab fences an old writer unless the bank under test plants the bug that it does not.
    const fencing = !scenario.bank.bugs.includes('failover-without-fencing');
    const aurora = new LabAurora({ state, dirs, network, fencing });
    labBank = await within(
      startLabBank({
        state,
        network,
        scenario,
        runOriginUs,
        writerRegion: () => aurora.writerRegion,
      }),
      'the bank start-up on the lab',
      BANK_INIT_MS_MAX,
    );
    const clusterName = scenario.clusters[0]?.name ?? 'ledger';
    const faults = new FaultQueue({
      network,
      aurora,
      clusterName,
      tables: labBank.tables,
      bank: labBank,
    });
    return sessionOf({ state, dirs, labBank, clock, seed, faults, copyLogs });
  } catch (error) {
    await labBank?.close().catch(() => undefined);
    await labDown(dirs).catch(() => undefined);
    copyLogs();
    throw error;
  }
}

interface SessionParts {
  state: LabState;
  dirs: LabDirs;
  labBank: LabBank;
  clock: Clock;
  seed: number;
  faults: FaultQueue;
  /** Copies the lab's logs into the run's logs/ (after the lab is down: complete logs). */
  copyLogs(): void;
}

function sessionOf(parts: SessionParts): LocalSession {
  const { state, dirs, labBank, clock, seed, faults, copyLogs } = parts;
  const { network, aurora } = faults.parts;
  const endpoints = Object.fromEntries(
    labBank.clientLinks.map((link) => [link.to, `http://${link.listen}`]),
  );
  const clients = new HttpTransport({ endpoints, requestTimeoutMs: HTTP_REQUEST_TIMEOUT_MS });
  const { bank } = labBank;
  return {
    labBank,
    clock,
    prng: new Prng(seed),
    clients,
    endpoints,
    accounts: () => bank.accounts(),
    advance: (ms) => {
      if (!(ms >= 0 && ms <= ADVANCE_MS_MAX)) {
        throw new Error(`advance: expected 0..${ADVANCE_MS_MAX} ms, got ${ms}`);
      }
      return sleepMs(ms);
    },
    inject: (action) => faults.push(action),
    heal: async () => {
      await faults.drain();
      await network.healAll();
      endReplicationFaults(state.regions, labBank);
      // As the simulator heals a failover: each old writer re-joined, rebuilt from the writer.
      await aurora.heal();
      const idleStartMs = performance.now();
      try {
        await waitBankIdle(labBank);
      } finally {
        logBankTimings(dirs, labBank, performance.now() - idleStartMs);
      }
      for (const table of labBank.tables) await table.waitQuiesced(QUIESCE_MS_MAX);
      await aurora.waitCaughtUp(QUIESCE_MS_MAX);
    },
    readFinalState: (keys): Promise<FinalState> =>
      within(bank.readFinalState(keys), 'reading the final state', FINAL_READ_MS_MAX),
    down: async () => {
      const errors: unknown[] = [];
      await labBank.close().catch((error: unknown) => errors.push(error));
      await labDown(dirs).catch((error: unknown) => errors.push(error));
      try {
        copyLogs();
      } catch (error) {
        errors.push(error);
      }
      if (errors.length > 0) throw errors[0];
      const background = bank.backgroundErrors();
      if (background.length > 0) {
        throw new Error(`the bank's background work failed: ${String(background[0])}`);
      }
      return { lostCommits: null };
    },
  };
}

/** No lag, nothing paused: what the schedule left on is undone, as Toxiproxy's reset does. */
function endReplicationFaults(regions: readonly string[], labBank: LabBank): void {
  for (const table of labBank.tables) {
    for (const from of regions) {
      for (const to of regions) {
        if (from === to) continue;
        table.setReplicaLagMs(from, to, 0);
        if (table.replicator(from, to).isPaused) table.resumeReplication(from, to);
      }
    }
  }
}

/**
 * What the heal waited for, and why it may have been long: the heal's wait for the bank, the
 * slowest requests the services handled, and where each region's SQL transactions spent their
 * time — appended to the lab's logs/bank.log (kept by `lab down`).
 */
function logBankTimings(dirs: LabDirs, labBank: LabBank, idleWaitMs: number): void {
  const line = {
    at: new Date().toISOString(),
    healWaitedForBankMs: Math.round(idleWaitMs),
    slowestRequests: labBank.slowestRequests(),
    sql: labBank.sqlTimings(),
  };
  appendFileSync(join(dirs.logDir, BANK_LOG), `${JSON.stringify(line)}\n`);
}

/** Rows counted per probe of the outbox and the pending sagas (the most a scan returns). */
const BACKLOG_COUNTED_MAX = 10_000;
/** The drain may take long after a heavy run, but not without progress. */
const DRAIN_MS_MAX = 300_000;
const DRAIN_STALL_MS_MAX = 30_000;
const DRAIN_POLL_MS = 250;

/**
 * Waits until the outbox is drained and no saga is pending, read on the writer wherever it is
 * now. After a run the lab could not keep up with, the projector may have thousands of rows to
 * take: the wait goes on while the backlog shrinks, and gives up when it has not shrunk for
 * DRAIN_STALL_MS_MAX, or after DRAIN_MS_MAX, naming the backlog.
 */
async function waitDrained(labBank: LabBank): Promise<void> {
  const startedMs = Date.now();
  let smallestBacklog = Number.POSITIVE_INFINITY;
  let progressAtMs = startedMs;
  let last = 'not read yet';
  for (;;) {
    try {
      const backlog = await labBank.readAtWriter(async (tx) => ({
        outbox: (await tx.scan(TABLE.outbox, { limit: BACKLOG_COUNTED_MAX })).length,
        pending: (await tx.scan(TABLE.sagasPending, { limit: BACKLOG_COUNTED_MAX })).length,
      }));
      if (backlog.outbox === 0 && backlog.pending === 0) return;
      last = `${backlog.outbox} outbox rows, ${backlog.pending} sagas pending`;
      if (backlog.outbox + backlog.pending < smallestBacklog) {
        smallestBacklog = backlog.outbox + backlog.pending;
        progressAtMs = Date.now();
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    const nowMs = Date.now();
    if (nowMs - progressAtMs >= DRAIN_STALL_MS_MAX || nowMs - startedMs >= DRAIN_MS_MAX) {
      throw new Error(
        `the bank to drain its outbox and end its pending sagas: no progress for ${Math.round((nowMs - progressAtMs) / 1000)} s, ${Math.round((nowMs - startedMs) / 1000)} s in all (${last})`,
      );
    }
    await sleepMs(DRAIN_POLL_MS);
  }
}

/**
 * The bank is idle once no request is still being handled (the clients stopped waiting, the bank
 * did not: a late commit after the final read would make the regions and the ledger disagree),
 * its outbox is drained and no saga is pending on the writer (waitDrained).
 */
async function waitBankIdle(labBank: LabBank): Promise<void> {
  await waitUntil(
    'the bank to finish the requests it is still handling',
    BANK_IDLE_MS_MAX,
    () => {
      const inFlight = Object.entries(labBank.requestsInFlight());
      if (inFlight.length === 0) return true;
      // Thrown, so that the wait's failure says what the bank was still handling.
      throw new Error(`still handling ${inFlight.map(([key, n]) => `${n} ${key}`).join(', ')}`);
    },
    100,
  );
  await waitDrained(labBank);
  // The projector writes the balances after it takes an outbox row: let its last write land
  // before the replicators are asked whether they are done.
  await sleepMs(200);
}

export const localTarget: Target = { name: 'local', faults: LOCAL_FAULTS, up };
