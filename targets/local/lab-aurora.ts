/**
 * The lab's PostgreSQL nodes as one Aurora global database, as the simulator's cluster means it
 * (targets/sim/sql-cluster.ts): one writer, the global writer endpoint that says which node it
 * is, and replicas that stream its WAL through the lab's `wal-W-to-R` links.
 *
 * - kill: SIGKILL to the node's postmaster and every backend; restart: the same data, port and
 *   settings — except an old writer that a failover superseded, which never comes back as a
 *   writer while fencing is on (below).
 * - failover from -> to (detach and promote): the WAL links out of `from` are deleted first, so
 *   what they held back (a lagging link's last lagMs of WAL) is lost, as Aurora's unreplicated
 *   commits are; then, with fencing, the old writer is killed if it still runs (it must never
 *   take a write once the other is promoted); then `to` is promoted and the endpoint moves to
 *   it. Its commits wait for no replica until one has re-joined it.
 * - fencing and re-joining: an old writer is re-joined as a replica of the new writer — its
 *   data replaced by a base backup through a new WAL link writer -> it, started as a standby on
 *   its old port — as soon as that link is not cut (at the failover, at its restart, when an
 *   isolation or partition that cut it ends, or at heal). While the link is cut, it is started
 *   fenced: a standby on its old data with nothing to follow (read-only, stale reads, as the
 *   simulator's fenced node). Once it streams, the writer's commits wait for it again
 *   (synchronous_standby_names). A fresh base backup rather than pg_rewind: pg_rewind needs
 *   wal_log_hints or data checksums, and the bank's tables take well under a second to copy.
 * - without fencing (the planted bug 'failover-without-fencing'), an old writer still running is
 *   detached and left a writer: its commits wait for no replica, and banks that still know it
 *   commit there until heal re-joins it, which throws those commits away.
 * - replica lag and paused replication writer -> replica: a one-way delay on the WAL link (a
 *   pause is a delay of a day, ended by removing it), so the replica is lagMs behind and a commit
 *   that waits for it waits lagMs; what the link holds is lost if a failover deletes it.
 *   (recovery_min_apply_delay or paused replay would not do: promotion applies whatever the
 *   replica had received, and the replica receives at once.)
 */
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabDirs, LabState } from './lab.ts';
import { linkPort, walLink } from './lab-links.ts';
import type { LabNetwork } from './lab-network.ts';
import { isAlive, recordedProcesses, startProcess, stopProcess } from './lab-process.ts';
import {
  baseBackup,
  postgresUser,
  setSyncStandbys,
  waitPostgresReady,
  withClient,
} from './postgres-node.ts';
import { LabSqlFaults } from './sql-faults.ts';
import { waitUntil } from './wait-until.ts';

/** A paused link holds WAL for a day: longer than any run, ended only by removing it. */
const PAUSE_DELAY_MS = 86_400_000;
const STREAMING_WAIT_MS = 30_000;

type Role = 'writer' | 'replica' | 'old-writer';

interface NodeState {
  role: Role;
  running: boolean;
}

interface PairDelay {
  lagMs: number;
  paused: boolean;
}

export interface LabAuroraOptions {
  state: LabState;
  dirs: LabDirs;
  network: LabNetwork;
  /** false: the planted bug 'failover-without-fencing' (an old writer left running). */
  fencing: boolean;
}

export class LabAurora {
  private writer: string;
  private readonly nodes = new Map<string, NodeState>();
  private readonly walListen = new Map<string, string>();
  private readonly delays = new Map<string, PairDelay>();
  private readonly sql: LabSqlFaults;
  /** How each node was started by the lab: a node comes back with the same command. */
  private readonly launch = new Map<string, { exe: string; args: string[] }>();

  constructor(private readonly options: LabAuroraOptions) {
    const { state, dirs } = options;
    this.writer = state.writerRegion;
    for (const [region, node] of Object.entries(state.postgres)) {
      this.nodes.set(region, {
        role: node.role === 'primary' ? 'writer' : 'replica',
        running: true,
      });
    }
    for (const link of Object.values(state.links)) {
      if (link.name.startsWith('wal-')) this.walListen.set(link.name, link.listen);
    }
    this.sql = new LabSqlFaults(state, dirs);
    for (const region of this.nodes.keys()) {
      const { exe, args } = this.sql.record(region);
      this.launch.set(region, { exe, args });
    }
  }

  /** The global writer endpoint: the region whose node takes writes now. */
  get writerRegion(): string {
    return this.writer;
  }

  role(region: string): Role {
    return this.node(region).role;
  }

  /** Old writers superseded by a failover and not re-joined yet. */
  oldWriters(): string[] {
    return [...this.nodes].filter(([, node]) => node.role === 'old-writer').map(([r]) => r);
  }

  async kill(region: string): Promise<void> {
    const node = this.node(region);
    if (!node.running) throw new Error(`kill ${region}: its node is not running`);
    await this.sql.kill(region);
    node.running = false;
  }

  async restart(region: string): Promise<void> {
    const node = this.node(region);
    if (node.running) throw new Error(`restart ${region}: its node is running`);
    if (node.role !== 'old-writer') {
      await this.start(region);
      return;
    }
    if (this.options.fencing) {
      await this.bringBackFenced(region);
      return;
    }
    // Unfenced, it comes back the writer it was, detached: its commits wait for no replica.
    await this.start(region);
    await setSyncStandbys(this.port(region), false);
  }

  async failover(from: string, to: string): Promise<void> {
    if (from !== this.writer)
      throw new Error(`failover from ${from}: the writer is ${this.writer}`);
    const target = this.node(to);
    if (target.role !== 'replica') throw new Error(`failover to ${to}: it is a ${target.role}`);
    if (!target.running) throw new Error(`failover to ${to}: its node is killed`);
    for (const region of this.nodes.keys()) {
      const name = walLink(from, region);
      if (this.options.network.hasLink(name)) {
        await this.options.network.removeLink(name);
        this.walListen.delete(name);
      }
    }
    const old = this.node(from);
    const oldWasRunning = old.running;
    if (oldWasRunning && this.options.fencing) await this.kill(from);
    if (oldWasRunning && !this.options.fencing) await setSyncStandbys(this.port(from), false);
    await this.sql.promote(to);
    await setSyncStandbys(this.port(to), false);
    this.writer = to;
    target.role = 'writer';
    old.role = 'old-writer';
    for (const [region, node] of this.nodes) {
      if (node.role === 'replica') await this.rejoin(region);
    }
    if (oldWasRunning && this.options.fencing) await this.bringBackFenced(from);
  }

  /** Re-joins every old writer that can be reached now (a cut that kept one out has ended). */
  async rejoinReachable(): Promise<void> {
    if (!this.options.fencing) return;
    for (const region of this.oldWriters()) {
      if (this.node(region).running && !this.walCut(region)) await this.rejoin(region);
    }
  }

  async setReplicaLagMs(from: string, to: string, lagMs: number): Promise<void> {
    const delay = this.delays.get(pair(from, to)) ?? { lagMs: 0, paused: false };
    await this.setDelay(from, to, { ...delay, lagMs });
  }

  async pauseReplication(from: string, to: string): Promise<void> {
    const delay = this.delays.get(pair(from, to)) ?? { lagMs: 0, paused: false };
    if (delay.paused) throw new Error(`ledger replication ${from} -> ${to} is already paused`);
    await this.setDelay(from, to, { ...delay, paused: true });
  }

  async resumeReplication(from: string, to: string): Promise<void> {
    const delay = this.delays.get(pair(from, to));
    if (delay?.paused !== true)
      throw new Error(`ledger replication ${from} -> ${to} is not paused`);
    await this.setDelay(from, to, { ...delay, paused: false });
  }

  /**
   * After the network is healed (every toxic gone): no lag, nothing paused, every node running,
   * every old writer re-joined (what an unfenced one took since the failover is thrown away, as
   * the simulator's heal does).
   */
  async heal(): Promise<void> {
    this.delays.clear();
    for (const [region, node] of this.nodes) {
      if (node.role === 'old-writer') await this.rejoin(region);
      else if (!node.running) await this.restart(region);
    }
  }

  /** Waits until every replica has replayed what the writer had committed when asked. */
  async waitCaughtUp(msMax: number): Promise<void> {
    const [target] = await withClient(this.port(this.writer), async (client) => {
      const result = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn');
      return result.rows.map((row) => row.lsn);
    });
    for (const region of this.nodes.keys()) {
      if (region === this.writer) continue;
      await waitUntil(`the ledger replica in ${region} to replay up to ${target}`, msMax, () =>
        withClient(this.port(region), async (client) => {
          const result = await client.query<{ done: boolean }>(
            'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
            [target],
          );
          return result.rows[0]?.done === true;
        }),
      );
    }
  }

  private async setDelay(from: string, to: string, delay: PairDelay): Promise<void> {
    this.delays.set(pair(from, to), delay);
    if (from === this.writer && this.node(to).role === 'replica') await this.applyDelay(to);
  }

  /** Puts the pair's delay writer -> region on its WAL link, or clears it. */
  private async applyDelay(region: string): Promise<void> {
    const name = walLink(this.writer, region);
    if (!this.options.network.hasLink(name)) return;
    const delay = this.delays.get(pair(this.writer, region));
    const delayMs = delay?.paused ? PAUSE_DELAY_MS : (delay?.lagMs ?? 0);
    if (delayMs === 0) await this.options.network.clearToxic(name, 'delay');
    else await this.options.network.startToxic(name, { kind: 'delay', delayMs });
  }

  /** An old writer coming back with fencing on: re-joined if it can be, else read-only. */
  private async bringBackFenced(region: string): Promise<void> {
    if (!this.walCut(region)) {
      await this.rejoin(region);
      return;
    }
    const user = postgresUser();
    const signal = join(this.dataDir(region), 'standby.signal');
    writeFileSync(signal, '');
    chownSync(signal, user.uid, user.gid);
    await this.start(region);
  }

  private walCut(region: string): boolean {
    return this.options.network.isCut({
      name: walLink(this.writer, region),
      from: this.writer,
      to: region,
    });
  }

  /** Replaces the node's data with a base backup of the writer and starts it as its replica. */
  private async rejoin(region: string): Promise<void> {
    const node = this.node(region);
    if (node.running) await this.kill(region);
    const name = walLink(this.writer, region);
    let listen = this.walListen.get(name);
    if (listen === undefined) {
      listen = await this.options.network.addLink(
        { name, from: this.writer, to: region },
        `127.0.0.1:${this.port(this.writer)}`,
      );
      this.walListen.set(name, listen);
    }
    const dataDir = this.dataDir(region);
    rmSync(dataDir, { recursive: true, force: true });
    const pgBin = dirname(this.launchOf(region).exe);
    await baseBackup(
      this.options.dirs.pidDir,
      pgBin,
      postgresUser(),
      dataDir,
      linkPort({ listen }),
    );
    await this.start(region);
    node.role = 'replica';
    await this.applyDelay(region);
    await waitUntil(`the ledger replica in ${region} to stream`, STREAMING_WAIT_MS, () =>
      withClient(this.port(region), async (client) => {
        const result = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_wal_receiver WHERE status = 'streaming'",
        );
        return result.rows[0]?.n === 1;
      }),
    );
    await setSyncStandbys(this.port(this.writer), true);
  }

  /** Starts the node on its data directory and port. */
  private async start(region: string): Promise<void> {
    const name = `postgres-${region}`;
    const stale = recordedProcesses(this.options.dirs.pidDir).find((r) => r.name === name);
    if (stale !== undefined) {
      if (isAlive(stale)) throw new Error(`start ${region}: postgres there is still running`);
      await stopProcess(this.options.dirs.pidDir, stale);
    }
    const user = postgresUser();
    const port = this.port(region);
    const record = startProcess(this.options.dirs.pidDir, this.options.dirs.logDir, {
      name,
      ...this.launchOf(region),
      stopSignal: 'SIGINT',
      uid: user.uid,
      gid: user.gid,
    });
    this.node(region).running = true;
    await waitPostgresReady({ record, port, dataDir: this.dataDir(region) });
  }

  private launchOf(region: string): { exe: string; args: string[] } {
    const launch = this.launch.get(region);
    if (launch === undefined) throw new Error(`no postgres node in ${region}`);
    return launch;
  }

  private dataDir(region: string): string {
    return join(this.options.dirs.dataDir, `postgres-${region}`);
  }

  private port(region: string): number {
    const node = this.options.state.postgres[region];
    if (node === undefined) throw new Error(`no postgres node in ${region}`);
    return node.port;
  }

  private node(region: string): NodeState {
    const node = this.nodes.get(region);
    if (node === undefined) throw new Error(`no postgres node in ${region}`);
    return node;
  }
}

const pair = (from: string, to: string) => `${from}->${to}`;
