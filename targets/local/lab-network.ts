/**
 * The lab's network as the faults in force leave it. A link is down while some fault cuts it —
 * the isolation of either of its regions, or a partition between its two regions — and up
 * otherwise, so that faults that overlap heal in any order, and a link made in the middle of a
 * run (a failover's WAL link the other way) starts cut if a fault in force cuts it. Links inside
 * one region are never cut; the clients' links (from the `clients` site) are cut only by the
 * isolation of their region, never by a partition. Toxics on a link (LinkFaults) are separate:
 * a cut does not remove them, and ending a cut leaves them on.
 */
import type { LinkSpec } from './lab-links.ts';
import type { LinkFault, LinkFaults } from './link-faults.ts';
import type { ToxiproxyClient } from './toxiproxy-client.ts';

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export class LabNetwork {
  private readonly isolated = new Set<string>();
  private readonly partitioned = new Set<string>();
  /** What each link is set to in Toxiproxy now (true: enabled). */
  private readonly enabled = new Map<string, boolean>();

  constructor(
    private readonly client: ToxiproxyClient,
    private readonly links: LinkFaults,
  ) {
    for (const spec of links.specs()) this.enabled.set(spec.name, true);
  }

  async isolate(region: string): Promise<void> {
    if (this.isolated.has(region)) throw new Error(`region ${region} is already isolated`);
    this.isolated.add(region);
    await this.sync();
  }

  async rejoin(region: string): Promise<void> {
    if (!this.isolated.delete(region)) throw new Error(`region ${region} is not isolated`);
    await this.sync();
  }

  async partition(a: string, b: string): Promise<void> {
    const key = pairKey(a, b);
    if (a === b) throw new Error(`a partition needs two regions, got ${a} twice`);
    if (this.partitioned.has(key)) throw new Error(`${a} and ${b} are already partitioned`);
    this.partitioned.add(key);
    await this.sync();
  }

  async healPartition(a: string, b: string): Promise<void> {
    if (!this.partitioned.delete(pairKey(a, b))) {
      throw new Error(`${a} and ${b} are not partitioned`);
    }
    await this.sync();
  }

  /** Whether a fault in force cuts the link. */
  isCut(spec: LinkSpec): boolean {
    if (spec.from === spec.to) return false;
    if (this.isolated.has(spec.from) || this.isolated.has(spec.to)) return true;
    return this.partitioned.has(pairKey(spec.from, spec.to));
  }

  /** A new proxy for `spec` to `upstream` (host:port); returns its listen address. */
  async addLink(spec: LinkSpec, upstream: string): Promise<string> {
    const made = await this.client.createProxy(spec.name, upstream);
    this.links.addLink(spec);
    this.enabled.set(spec.name, true);
    await this.sync();
    return made.listen;
  }

  /** Deletes the link's proxy: open connections close, what its toxics held back is dropped. */
  async removeLink(name: string): Promise<void> {
    this.links.removeLink(name);
    this.enabled.delete(name);
    await this.client.deleteProxy(name);
  }

  hasLink(name: string): boolean {
    return this.enabled.has(name);
  }

  startToxic(name: string, fault: Exclude<LinkFault, { kind: 'down' }>): Promise<void> {
    return this.links.start(name, fault);
  }

  clearToxic(name: string, kind: Exclude<LinkFault['kind'], 'down'>): Promise<void> {
    return this.links.clear(name, kind);
  }

  /** Every cut ended, every toxic removed. */
  async healAll(): Promise<void> {
    this.isolated.clear();
    this.partitioned.clear();
    await this.client.reset();
    for (const name of this.enabled.keys()) this.enabled.set(name, true);
  }

  /** Sets each link whose state differs from what the faults in force say. */
  private async sync(): Promise<void> {
    for (const spec of this.links.specs()) {
      const up = !this.isCut(spec);
      if (this.enabled.get(spec.name) === up) continue;
      await this.client.setEnabled(spec.name, up);
      this.enabled.set(spec.name, up);
    }
  }
}
