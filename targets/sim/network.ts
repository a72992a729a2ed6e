/**
 * The simulated network between regions and the clients outside them. A message takes a sampled
 * latency (a fixed base for the link plus exponential jitter); a cut link drops it, as a real
 * partition drops packets, so the caller learns of it only through its own timeout.
 *
 * Links: client -> region (clients are on the internet, not in a region; a client has a home
 * region it routes to) and region <-> region. `isolate(R)` cuts every link to and from R,
 * clients included; `partition(A, B)` cuts only the links between A and B.
 */
import type { Prng } from './prng.ts';
import type { Scheduler } from './scheduler.ts';

export const CLIENTS = 'clients';
/** A region name, or CLIENTS for the clients' side of a link. */
export type Site = string;

export interface LinkLatency {
  baseNs: number;
  jitterMeanNs: number;
}

export interface NetworkOptions {
  regions: readonly string[];
  /** Latency inside a region (bank to its local stores). */
  local: LinkLatency;
  /** Latency between two regions (Tokyo to Osaka: about 4 ms one way). */
  crossRegion: LinkLatency;
  /** Latency from a client to a region's endpoint. */
  client: LinkLatency;
}

function linkKey(a: Site, b: Site): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

export class SimNetwork {
  private readonly cutLinks = new Map<string, number>();
  private readonly isolated = new Set<string>();
  messagesSent = 0;
  messagesDropped = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly options: NetworkOptions,
  ) {
    if (options.regions.length < 1) throw new Error('a network needs at least one region');
  }

  get regions(): readonly string[] {
    return this.options.regions;
  }

  /** Cuts the links between two sites (both directions) until `heal`. Cuts nest. */
  partition(a: Site, b: Site): void {
    this.checkSite(a);
    this.checkSite(b);
    const key = linkKey(a, b);
    this.cutLinks.set(key, (this.cutLinks.get(key) ?? 0) + 1);
  }

  heal(a: Site, b: Site): void {
    const key = linkKey(a, b);
    const cuts = this.cutLinks.get(key) ?? 0;
    if (cuts === 0) throw new Error(`heal ${a} <-> ${b}: the link is not cut`);
    if (cuts === 1) this.cutLinks.delete(key);
    else this.cutLinks.set(key, cuts - 1);
  }

  /** Cuts every link to and from `region`, its clients' included. */
  isolate(region: string): void {
    this.checkSite(region);
    if (this.isolated.has(region)) throw new Error(`${region} is already isolated`);
    this.isolated.add(region);
  }

  rejoin(region: string): void {
    if (!this.isolated.delete(region)) throw new Error(`rejoin ${region}: it is not isolated`);
  }

  canReach(from: Site, to: Site): boolean {
    // Inside a region everything still talks: isolation cuts a region off from the outside.
    if (from === to) return true;
    if (this.isolated.has(from) || this.isolated.has(to)) return false;
    return !this.cutLinks.has(linkKey(from, to));
  }

  /** A one-way latency sample for a message from `from` to `to`. */
  latencyNs(from: Site, to: Site): number {
    const link = this.linkLatency(from, to);
    return Math.round(link.baseNs + this.prng.exponential(Math.max(link.jitterMeanNs, 1)));
  }

  /**
   * Delivers `deliver` at `to` after a latency sample, unless the link is cut when the message
   * is sent or when it would arrive. Returns whether it was sent at all.
   */
  send(from: Site, to: Site, deliver: () => void): boolean {
    this.messagesSent += 1;
    if (!this.canReach(from, to)) {
      this.messagesDropped += 1;
      return false;
    }
    this.scheduler.after(this.latencyNs(from, to), () => {
      if (this.canReach(from, to)) deliver();
      else this.messagesDropped += 1;
    });
    return true;
  }

  /**
   * A request and its response over the network: `handle` runs at `to`, its result travels back.
   * A cut link in either direction loses the exchange: the promise never settles, and the caller
   * must bound its wait with a timeout, as a real client does.
   */
  request<T>(from: Site, to: Site, handle: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.send(from, to, () => {
        handle().then(
          (value) => this.send(to, from, () => resolve(value)),
          (error: unknown) => this.send(to, from, () => reject(error)),
        );
      });
    });
  }

  private linkLatency(from: Site, to: Site): LinkLatency {
    if (from === to) return this.options.local;
    if (from === CLIENTS || to === CLIENTS) return this.options.client;
    return this.options.crossRegion;
  }

  private checkSite(site: Site): void {
    if (site !== CLIENTS && !this.options.regions.includes(site)) {
      throw new Error(`unknown site "${site}" (regions: ${this.options.regions.join(', ')})`);
    }
  }
}
