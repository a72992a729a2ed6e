/**
 * A DynamoDB global table: one table with a replica in every region. Reads and writes go to the
 * local replica and are atomic there; every local write then replicates to every other region
 * asynchronously, item by item, and each replica keeps the last writer by (tsUs, writerRegion)
 * (see lww-version.ts). Condition expressions see only the local replica, as in DynamoDB: two
 * regions can both pass a condition on the same item, and one of the writes silently loses later.
 *
 * State: per region a Map key -> version; per ordered region pair a bounded replication queue of
 * records that share the version objects (versions are immutable once written).
 */
import type { JsonValue } from '../../history/json-value.ts';
import { copyJson } from './copy-json.ts';
import { type Item, itemOf, newerThan, type Version } from './lww-version.ts';
import type { SimNetwork } from './network.ts';
import { trueNowUs } from './region-clocks.ts';
import { ReplicationLink } from './replication-link.ts';
import type { Scheduler } from './scheduler.ts';

export type { Item } from './lww-version.ts';

/** DynamoDB's limit on the items of one TransactWriteItems call. */
export const TRANSACT_ITEMS_MAX = 100;
const POLL_INTERVAL_MS_DEFAULT = 100;
const NS_PER_MS = 1_000_000;

export interface GlobalTableOptions {
  /** Regions with a replica (network regions). Default: every network region. */
  regions?: readonly string[];
  /** Records a link may hold before the run fails (a replication backlog is bounded). */
  replicationQueueMax: number;
  /** How often a link that cannot reach retries. */
  pollIntervalMs?: number;
}

/** Sees a copy of the local replica's current value (undefined: no item). */
export type Condition<V> = (current: V | undefined) => boolean;

export interface PutOptions<V> {
  condition?: Condition<V>;
  /**
   * A caller-chosen LWW timestamp. DynamoDB stamps writes itself; this exists only for the
   * planted bug 'skewed-clock-lww' (the bank stamping with its own, possibly skewed, clock).
   */
  tsUs?: number;
}

export type WriteResult = { ok: true; tsUs: number } | { ok: false; reason: 'condition-failed' };

export type TransactWriteItem<V> =
  | { kind: 'put'; key: string; value: V; condition?: Condition<V> }
  | { kind: 'delete'; key: string; condition?: Condition<V> }
  | { kind: 'condition-check'; key: string; condition: Condition<V> };

export type TransactResult =
  | { ok: true; tsUs: number }
  | { ok: false; reason: 'condition-failed'; key: string };

interface ReplicationRecord<V> {
  key: string;
  version: Version<V>;
}

export class GlobalTable<V extends JsonValue = JsonValue> {
  private readonly replicas = new Map<string, Map<string, Version<V>>>();
  private readonly links = new Map<string, ReplicationLink<ReplicationRecord<V>>>();
  /** Remote records that arrived older than the replica's version and were dropped. */
  recordsSuperseded = 0;

  constructor(
    private readonly scheduler: Scheduler,
    network: SimNetwork,
    options: GlobalTableOptions,
  ) {
    const regions = options.regions ?? network.regions;
    if (regions.length < 1) throw new Error('a global table needs at least one region');
    for (const region of regions) {
      if (!network.regions.includes(region)) throw new Error(`unknown region "${region}"`);
      if (this.replicas.has(region)) throw new Error(`region "${region}" listed twice`);
      this.replicas.set(region, new Map());
    }
    const pollIntervalNs = (options.pollIntervalMs ?? POLL_INTERVAL_MS_DEFAULT) * NS_PER_MS;
    for (const from of regions) {
      for (const to of regions) {
        if (from === to) continue;
        const link = new ReplicationLink<ReplicationRecord<V>>({
          from,
          to,
          scheduler,
          network,
          recordsMax: options.replicationQueueMax,
          pollIntervalNs,
          lagNs: 0,
          paused: false,
          canShip: () => network.canReach(from, to),
          apply: (record) => this.applyReplicated(to, record),
        });
        this.links.set(pairKey(from, to), link);
      }
    }
  }

  get regions(): readonly string[] {
    return [...this.replicas.keys()];
  }

  /** A strongly consistent read of the local replica (a copy). */
  get(region: string, key: string): Item<V> | undefined {
    return itemOf(this.replica(region).get(key));
  }

  put(region: string, key: string, value: V, options: PutOptions<V> = {}): WriteResult {
    const current = this.replica(region).get(key);
    if (options.condition !== undefined && !options.condition(currentValue(current))) {
      return { ok: false, reason: 'condition-failed' };
    }
    const tsUs = this.stampUs(region, [current], options.tsUs);
    const version: Version<V> = {
      deleted: false,
      value: copyJson(value),
      tsUs,
      writerRegion: region,
    };
    this.writeLocal(region, key, version);
    return { ok: true, tsUs };
  }

  delete(region: string, key: string, options: PutOptions<V> = {}): WriteResult {
    const current = this.replica(region).get(key);
    if (options.condition !== undefined && !options.condition(currentValue(current))) {
      return { ok: false, reason: 'condition-failed' };
    }
    const tsUs = this.stampUs(region, [current], options.tsUs);
    this.writeLocal(region, key, { deleted: true, tsUs, writerRegion: region });
    return { ok: true, tsUs };
  }

  /**
   * TransactWriteItems: every condition is checked on the local replica first, then every write
   * applies at once under one timestamp, or nothing does. Each item then replicates on its own:
   * another region can see some of a transaction's items before the rest.
   */
  transactWrite(
    region: string,
    writes: readonly TransactWriteItem<V>[],
    options: { tsUs?: number } = {},
  ): TransactResult {
    checkTransactItems(writes);
    const replica = this.replica(region);
    const currents = writes.map((write) => replica.get(write.key));
    for (const [i, write] of writes.entries()) {
      if (write.condition !== undefined && !write.condition(currentValue(currents[i]))) {
        return { ok: false, reason: 'condition-failed', key: write.key };
      }
    }
    const tsUs = this.stampUs(region, currents, options.tsUs);
    for (const write of writes) {
      if (write.kind === 'put') {
        const value = copyJson(write.value);
        this.writeLocal(region, write.key, { deleted: false, value, tsUs, writerRegion: region });
      } else if (write.kind === 'delete') {
        this.writeLocal(region, write.key, { deleted: true, tsUs, writerRegion: region });
      }
    }
    return { ok: true, tsUs };
  }

  /** The replica-lag fault: extra delay on records shipped from `from` to `to` from now on. */
  setReplicaLagMs(from: string, to: string, lagMs: number): void {
    this.link(from, to).setLagNs(lagMs * NS_PER_MS);
  }

  pauseReplication(from: string, to: string): void {
    const link = this.link(from, to);
    if (link.paused) throw new Error(`replication ${from} -> ${to} is already paused`);
    link.pause();
  }

  resumeReplication(from: string, to: string): void {
    const link = this.link(from, to);
    if (!link.paused) throw new Error(`resume ${from} -> ${to}: replication is not paused`);
    link.resume();
  }

  /** Records written but not yet applied in some other region (one per record and region). */
  replicationBacklog(): number {
    let records = 0;
    for (const link of this.links.values()) records += link.backlog;
    return records;
  }

  quiesced(): boolean {
    return this.replicationBacklog() === 0;
  }

  /** The region's items, key order, values copied: what a final read sees. */
  snapshot(region: string): Map<string, V> {
    const values = new Map<string, V>();
    for (const [key, item] of this.snapshotItems(region)) values.set(key, item.value);
    return values;
  }

  /** As `snapshot`, with each item's replication timestamp and writer region. */
  snapshotItems(region: string): Map<string, Item<V>> {
    const replica = this.replica(region);
    const items = new Map<string, Item<V>>();
    for (const key of [...replica.keys()].sort()) {
      const item = itemOf(replica.get(key));
      if (item !== undefined) items.set(key, item);
    }
    return items;
  }

  /**
   * The timestamp of a local write. A caller's timestamp is taken as is (and may lose to the
   * version already there). The store's own is its true clock, raised past any version it must
   * replace: a write acknowledged in a region is what the next read there returns.
   */
  private stampUs(
    region: string,
    currents: readonly (Version<V> | undefined)[],
    callerTsUs: number | undefined,
  ): number {
    if (callerTsUs !== undefined) {
      if (!Number.isSafeInteger(callerTsUs)) {
        throw new Error(`tsUs must be an integer, got ${callerTsUs}`);
      }
      return callerTsUs;
    }
    let tsUs = trueNowUs(this.scheduler);
    for (const current of currents) {
      if (!newerThan({ tsUs, writerRegion: region }, current)) tsUs = (current?.tsUs ?? 0) + 1;
    }
    return tsUs;
  }

  /** Applies a local write (last writer wins here too) and ships it if it took. */
  private writeLocal(region: string, key: string, version: Version<V>): void {
    const replica = this.replica(region);
    if (!newerThan(version, replica.get(key))) return;
    replica.set(key, version);
    for (const to of this.replicas.keys()) {
      if (to !== region) this.link(region, to).enqueue({ key, version });
    }
  }

  private applyReplicated(region: string, record: ReplicationRecord<V>): void {
    const replica = this.replica(region);
    if (newerThan(record.version, replica.get(record.key))) replica.set(record.key, record.version);
    else this.recordsSuperseded += 1;
  }

  private replica(region: string): Map<string, Version<V>> {
    const replica = this.replicas.get(region);
    if (replica === undefined) {
      throw new Error(`no replica in "${region}" (regions: ${this.regions.join(', ')})`);
    }
    return replica;
  }

  private link(from: string, to: string): ReplicationLink<ReplicationRecord<V>> {
    const link = this.links.get(pairKey(from, to));
    if (link === undefined) throw new Error(`no replication from "${from}" to "${to}"`);
    return link;
  }
}

function pairKey(from: string, to: string): string {
  return `${from}->${to}`;
}

function currentValue<V extends JsonValue>(version: Version<V> | undefined): V | undefined {
  return version === undefined || version.deleted ? undefined : copyJson(version.value);
}

function checkTransactItems<V>(writes: readonly TransactWriteItem<V>[]): void {
  if (writes.length < 1 || writes.length > TRANSACT_ITEMS_MAX) {
    throw new Error(`a transaction holds 1 to ${TRANSACT_ITEMS_MAX} items, got ${writes.length}`);
  }
  const keys = new Set<string>();
  for (const write of writes) {
    // DynamoDB rejects a transaction naming one item twice (ValidationException).
    if (keys.has(write.key)) throw new Error(`a transaction names item "${write.key}" twice`);
    keys.add(write.key);
  }
}
