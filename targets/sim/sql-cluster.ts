/**
 * An Aurora global database: one writer node and read-only secondaries, one node per region.
 * A transaction is a synchronous function run at the writer, atomic and serializable because it
 * runs alone; its writes become one commit with the next LSN, applied locally at once and
 * shipped in LSN order to every secondary (see replication-link.ts). Failover is detach and
 * promote: the secondary becomes the writer with exactly what it had applied, and what the old
 * writer had not shipped to it is lost.
 *
 * State: per node its tables and last applied LSN; per secondary a bounded queue of the commits
 * it has not applied (the writer's commit log, kept only as far back as someone still needs it);
 * the commits awaited by `waitForReplication` callers; the lost commits.
 */
import type { SimNetwork } from './network.ts';
import { ReplicationLink } from './replication-link.ts';
import type { Scheduler } from './scheduler.ts';
import {
  applyChanges,
  type Change,
  cloneTables,
  type SqlReadTx,
  type SqlTx,
  type Tables,
  TxHandle,
} from './sql-tx.ts';

export type { JsonValue, SqlReadTx, SqlTx } from './sql-tx.ts';

const POLL_INTERVAL_MS_DEFAULT = 100;
const NS_PER_MS = 1_000_000;

export interface SqlClusterOptions {
  /** One node per region (network regions). */
  regions: readonly string[];
  writerRegion: string;
  /** false: the planted bug 'failover-without-fencing' (the old writer keeps committing). */
  fencing: boolean;
  /** Commits a secondary may lag behind by before the run fails. Also caps lostCommits(). */
  replicationQueueMax: number;
  pollIntervalMs?: number;
}

/**
 * Why a request did nothing, or (for waiters) why its outcome is unknown: 'unavailable' on a
 * commit already made means the writer died while waiting; 'replication-lost' means a failover
 * left the commit behind.
 */
export type SqlRefusal = 'read-only' | 'unavailable' | 'fenced' | 'replication-lost';

export type SqlResult<T> = { ok: true; lsn: number; value: T } | { ok: false; reason: SqlRefusal };

export interface LostCommit {
  lsn: number;
  /** The writer that committed it. */
  region: string;
  committedAtNs: number;
  reason: 'unreplicated-at-failover' | 'written-after-failover';
  changes: Change[];
}

/** 'detached-writer': an old writer left unfenced by a failover, committing into the void. */
type NodeRole = 'writer' | 'secondary' | 'fenced' | 'detached-writer';

interface SqlNode {
  region: string;
  role: NodeRole;
  tables: Tables;
  appliedLsn: number;
  killed: boolean;
}

interface Commit {
  lsn: number;
  region: string;
  timeNs: number;
  changes: Change[];
  /** Set while a waitForReplication caller waits: the secondaries still to apply it. */
  waiter?: { remaining: Set<string>; settle: (refusal: SqlRefusal | undefined) => void };
}

export class SqlCluster {
  private readonly nodes = new Map<string, SqlNode>();
  /** Live replication links, writer -> each secondary. */
  private readonly links = new Map<string, ReplicationLink<Commit>>();
  private readonly lagNsByPair = new Map<string, number>();
  private readonly pausedPairs = new Set<string>();
  private readonly waiting = new Set<Commit>();
  private readonly lost: LostCommit[] = [];
  private writer: string;
  private lsnLast = 0;
  commitsTotal = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly network: SimNetwork,
    private readonly options: SqlClusterOptions,
  ) {
    if (!options.regions.includes(options.writerRegion)) {
      throw new Error(`the writer region "${options.writerRegion}" has no node`);
    }
    for (const region of options.regions) {
      if (!network.regions.includes(region)) throw new Error(`unknown region "${region}"`);
      if (this.nodes.has(region)) throw new Error(`region "${region}" listed twice`);
      const role = region === options.writerRegion ? 'writer' : 'secondary';
      this.nodes.set(region, { region, role, tables: new Map(), appliedLsn: 0, killed: false });
    }
    this.writer = options.writerRegion;
    for (const region of options.regions) {
      if (region !== this.writer) this.attach(region);
    }
  }

  get writerRegion(): string {
    return this.writer;
  }

  /**
   * Runs `fn` atomically on the region's node if it is a writer. With waitForReplication the
   * promise resolves once every secondary has applied the commit; without it, at once.
   * If `fn` throws, nothing commits and the promise rejects with its error.
   */
  transaction<T>(
    region: string,
    fn: (tx: SqlTx) => T,
    options: { waitForReplication: boolean },
  ): Promise<SqlResult<T>> {
    const node = this.node(region);
    const refusal = writeRefusal(node);
    if (refusal !== undefined) return Promise.resolve({ ok: false, reason: refusal });
    const tx = new TxHandle(node.tables, false);
    let value: T;
    try {
      value = runSync(fn, tx);
    } catch (error) {
      tx.close();
      return Promise.reject(error);
    }
    const changes = tx.close();
    if (changes.length === 0) return Promise.resolve({ ok: true, lsn: node.appliedLsn, value });
    const commit = this.commit(node, changes);
    const done: SqlResult<T> = { ok: true, lsn: commit.lsn, value };
    const secondaries = this.secondariesOf(region);
    if (!options.waitForReplication || secondaries.length === 0) return Promise.resolve(done);
    return new Promise((resolve) => {
      commit.waiter = {
        remaining: new Set(secondaries),
        settle: (why) => resolve(why === undefined ? done : { ok: false, reason: why }),
      };
      this.waiting.add(commit);
    });
  }

  /** Runs a read-only `fn` on the region's node: on a secondary, as of what it has applied. */
  read<T>(region: string, fn: (tx: SqlReadTx) => T): Promise<SqlResult<T>> {
    const node = this.node(region);
    if (node.killed) return Promise.resolve({ ok: false, reason: 'unavailable' });
    const tx = new TxHandle(node.tables, true);
    try {
      const value = runSync(fn, tx);
      return Promise.resolve({ ok: true, lsn: node.appliedLsn, value });
    } catch (error) {
      return Promise.reject(error);
    } finally {
      tx.close();
    }
  }

  /** The node stops answering; callers waiting on its commits learn 'unavailable'. */
  kill(region: string): void {
    const node = this.node(region);
    if (node.killed) throw new Error(`the node in ${region} is already killed`);
    node.killed = true;
    for (const commit of [...this.waiting]) {
      if (commit.region === region) this.settle(commit, 'unavailable');
    }
  }

  /** The node comes back with every commit it had (Aurora's storage is durable). */
  restart(region: string): void {
    const node = this.node(region);
    if (!node.killed) throw new Error(`restart ${region}: the node is not killed`);
    node.killed = false;
    for (const link of this.links.values()) link.pump();
  }

  /**
   * Detach and promote: `to` becomes the writer with exactly the commits it had applied. The
   * commits `from` had not shipped to it are lost; their waiters fail 'replication-lost'; the
   * other waiters succeed (their commits live on in the new writer). Other secondaries are
   * rebuilt from the new writer. `from` is fenced, or with fencing off left committing alone.
   */
  failover(from: string, to: string): void {
    if (from !== this.writer)
      throw new Error(`failover from ${from}: the writer is ${this.writer}`);
    const target = this.node(to);
    if (target.role !== 'secondary') throw new Error(`failover to ${to}: it is not a secondary`);
    if (target.killed) throw new Error(`failover to ${to}: its node is killed`);
    for (const commit of this.closeLink(from, to))
      this.loseCommit(commit, 'unreplicated-at-failover');
    for (const region of this.secondariesOf(from)) this.closeLink(from, region);
    for (const commit of [...this.waiting]) {
      if (commit.region === from) this.settle(commit, undefined);
    }
    this.node(from).role = this.options.fencing ? 'fenced' : 'detached-writer';
    target.role = 'writer';
    this.writer = to;
    for (const node of this.nodes.values()) {
      if (node.role === 'secondary') this.rebuild(node);
    }
  }

  /** Regions whose node is an old writer left behind by a failover (fenced or not). */
  oldWriters(): string[] {
    return [...this.nodes.values()]
      .filter((node) => node.role === 'fenced' || node.role === 'detached-writer')
      .map((node) => node.region);
  }

  /** Re-adds a fenced or detached old writer as a secondary, rebuilt from the writer. */
  rejoin(region: string): void {
    const node = this.node(region);
    if (node.role !== 'fenced' && node.role !== 'detached-writer') {
      throw new Error(`rejoin ${region}: its node is a ${node.role}, not an old writer`);
    }
    node.role = 'secondary';
    this.rebuild(node);
  }

  setReplicaLagMs(from: string, to: string, lagMs: number): void {
    if (!(Number.isFinite(lagMs) && lagMs >= 0)) {
      throw new Error(`replica lag must be a finite number >= 0, got ${lagMs} ms`);
    }
    const lagNs = lagMs * NS_PER_MS;
    this.lagNsByPair.set(this.pairKey(from, to), lagNs);
    this.links.get(this.pairKey(from, to))?.setLagNs(lagNs);
  }

  pauseReplication(from: string, to: string): void {
    const key = this.pairKey(from, to);
    if (this.pausedPairs.has(key))
      throw new Error(`replication ${from} -> ${to} is already paused`);
    this.pausedPairs.add(key);
    this.links.get(key)?.pause();
  }

  resumeReplication(from: string, to: string): void {
    const key = this.pairKey(from, to);
    if (!this.pausedPairs.delete(key)) {
      throw new Error(`resume ${from} -> ${to}: replication is not paused`);
    }
    this.links.get(key)?.resume();
  }

  /** How far the furthest-behind secondary is: the age of the oldest commit it lacks (RPO). */
  replicationLagUs(): number {
    let lagNs = 0;
    for (const link of this.links.values()) {
      const oldest = link.oldest();
      if (oldest !== undefined) lagNs = Math.max(lagNs, this.scheduler.nowNs - oldest.timeNs);
    }
    return Math.floor(lagNs / 1000);
  }

  quiesced(): boolean {
    for (const link of this.links.values()) if (link.backlog > 0) return false;
    return true;
  }

  /** The LSN of the last commit the region's node has applied. */
  appliedLsn(region: string): number {
    return this.node(region).appliedLsn;
  }

  lostCommits(): LostCommit[] {
    return structuredClone(this.lost);
  }

  private commit(node: SqlNode, changes: Change[]): Commit {
    applyChanges(node.tables, changes);
    this.lsnLast += 1;
    this.commitsTotal += 1;
    node.appliedLsn = this.lsnLast;
    const commit: Commit = {
      lsn: this.lsnLast,
      region: node.region,
      timeNs: this.scheduler.nowNs,
      changes,
    };
    if (node.role === 'detached-writer') this.loseCommit(commit, 'written-after-failover');
    for (const region of this.secondariesOf(node.region)) {
      this.link(node.region, region).enqueue(commit);
    }
    return commit;
  }

  private applyReplicated(region: string, commit: Commit): void {
    const node = this.node(region);
    if (commit.lsn <= node.appliedLsn) {
      throw new Error(`${region} got LSN ${commit.lsn} after applying ${node.appliedLsn}`);
    }
    applyChanges(node.tables, commit.changes);
    node.appliedLsn = commit.lsn;
    const waiter = commit.waiter;
    if (waiter === undefined) return;
    waiter.remaining.delete(region);
    if (waiter.remaining.size === 0) this.settle(commit, undefined);
  }

  private settle(commit: Commit, refusal: SqlRefusal | undefined): void {
    const waiter = commit.waiter;
    if (waiter === undefined) throw new Error(`LSN ${commit.lsn} has no waiter to settle`);
    commit.waiter = undefined;
    this.waiting.delete(commit);
    waiter.settle(refusal);
  }

  private loseCommit(commit: Commit, reason: LostCommit['reason']): void {
    if (this.lost.length >= this.options.replicationQueueMax) {
      throw new Error(`more than ${this.options.replicationQueueMax} lost commits`);
    }
    const { lsn, region, timeNs, changes } = commit;
    this.lost.push({ lsn, region, committedAtNs: timeNs, reason, changes });
    if (commit.waiter !== undefined) this.settle(commit, 'replication-lost');
  }

  /** Replaces a secondary's data with the writer's and replicates to it from the writer. */
  private rebuild(node: SqlNode): void {
    const writer = this.node(this.writer);
    node.tables = cloneTables(writer.tables);
    node.appliedLsn = writer.appliedLsn;
    this.attach(node.region);
  }

  private attach(region: string): void {
    const from = this.writer;
    const key = this.pairKey(from, region);
    if (this.links.has(key)) throw new Error(`replication ${from} -> ${region} already exists`);
    const link = new ReplicationLink<Commit>({
      from,
      to: region,
      scheduler: this.scheduler,
      network: this.network,
      recordsMax: this.options.replicationQueueMax,
      pollIntervalNs: (this.options.pollIntervalMs ?? POLL_INTERVAL_MS_DEFAULT) * NS_PER_MS,
      lagNs: this.lagNsByPair.get(key) ?? 0,
      paused: this.pausedPairs.has(key),
      canShip: () =>
        !this.node(from).killed && !this.node(region).killed && this.network.canReach(from, region),
      apply: (commit) => this.applyReplicated(region, commit),
    });
    this.links.set(key, link);
  }

  private closeLink(from: string, to: string): Commit[] {
    const key = this.pairKey(from, to);
    const unapplied = this.link(from, to).close();
    this.links.delete(key);
    return unapplied;
  }

  /** The regions `region` replicates to (none unless it is the current writer). */
  private secondariesOf(region: string): string[] {
    const regions: string[] = [];
    for (const to of this.nodes.keys()) {
      if (to !== region && this.links.has(this.pairKey(region, to))) regions.push(to);
    }
    return regions;
  }

  private link(from: string, to: string): ReplicationLink<Commit> {
    const link = this.links.get(this.pairKey(from, to));
    if (link === undefined) throw new Error(`no replication from ${from} to ${to}`);
    return link;
  }

  private pairKey(from: string, to: string): string {
    this.node(from);
    this.node(to);
    if (from === to) throw new Error(`no replication from ${from} to itself`);
    return `${from}->${to}`;
  }

  private node(region: string): SqlNode {
    const node = this.nodes.get(region);
    if (node === undefined) {
      throw new Error(`no SQL node in "${region}" (regions: ${[...this.nodes.keys()].join(', ')})`);
    }
    return node;
  }
}

function writeRefusal(node: SqlNode): SqlRefusal | undefined {
  if (node.killed) return 'unavailable';
  if (node.role === 'secondary') return 'read-only';
  if (node.role === 'fenced') return 'fenced';
  return undefined;
}

/** Runs a transaction function, refusing an async one: atomicity needs it to finish in one go. */
function runSync<Tx, T>(fn: (tx: Tx) => T, tx: Tx): T {
  const value = fn(tx);
  if (typeof (value as { then?: unknown } | null)?.then === 'function') {
    throw new Error('a transaction function must be synchronous (it returned a promise)');
  }
  return value;
}
