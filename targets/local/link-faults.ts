/**
 * Network faults on the lab's links, by link name (lab-links.ts): down, latency with jitter,
 * reset (connections closed with RST) and blackhole (Toxiproxy's timeout toxic with timeout 0 on
 * the upstream stream: requests vanish and the client hangs until its own timeout; on the
 * downstream stream the client would see a fast reset instead). Each fault kind has one toxic
 * name, so setting it again replaces it and `heal` removes exactly what was set.
 */
import { isolationLinks, type LinkSpec } from './lab-links.ts';
import type { ProxyInfo, Toxic, ToxicStream, ToxiproxyClient } from './toxiproxy-client.ts';

export type LinkFault =
  | { kind: 'down' }
  | { kind: 'latency'; latencyMs: number; jitterMs: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'reset' }
  | { kind: 'blackhole' };

const TOXIC_NAME = {
  latency: 'paychaos-latency',
  delay: 'paychaos-delay',
  reset: 'paychaos-reset',
  blackhole: 'paychaos-blackhole',
};

function toxicOf(fault: Exclude<LinkFault, { kind: 'down' }>): {
  name: string;
  stream: ToxicStream;
  toxic: Toxic;
}[] {
  switch (fault.kind) {
    case 'latency': {
      const toxic: Toxic = {
        type: 'latency',
        latencyMs: fault.latencyMs,
        jitterMs: fault.jitterMs,
      };
      // Half each way: a round trip then takes latencyMs more.
      const half = {
        ...toxic,
        latencyMs: Math.floor(fault.latencyMs / 2),
        jitterMs: Math.floor(fault.jitterMs / 2),
      };
      return [
        { name: `${TOXIC_NAME.latency}-up`, stream: 'upstream', toxic: half },
        {
          name: `${TOXIC_NAME.latency}-down`,
          stream: 'downstream',
          toxic: {
            ...half,
            latencyMs: fault.latencyMs - half.latencyMs,
            jitterMs: fault.jitterMs - half.jitterMs,
          },
        },
      ];
    }
    case 'delay':
      // One way only: what the upstream sends (a primary's WAL) arrives delayMs late, the
      // answers (the replica's feedback) do not. Toxiproxy's latency toxic holds each chunk
      // from its arrival and passes on what it holds when the toxic is removed; a proxy that is
      // deleted drops it.
      return [
        {
          name: TOXIC_NAME.delay,
          stream: 'downstream',
          toxic: { type: 'latency', latencyMs: fault.delayMs, jitterMs: 0 },
        },
      ];
    case 'reset':
      return [
        { name: TOXIC_NAME.reset, stream: 'upstream', toxic: { type: 'reset_peer', afterMs: 0 } },
      ];
    case 'blackhole':
      return [
        { name: TOXIC_NAME.blackhole, stream: 'upstream', toxic: { type: 'timeout', afterMs: 0 } },
      ];
  }
}

/** The toxic names a fault kind uses (its parameters do not change them). */
function toxicsOfKind(kind: Exclude<LinkFault['kind'], 'down'>): { name: string }[] {
  switch (kind) {
    case 'latency':
      return toxicOf({ kind, latencyMs: 0, jitterMs: 0 });
    case 'delay':
      return toxicOf({ kind, delayMs: 0 });
    default:
      return toxicOf({ kind });
  }
}

export class LinkFaults {
  private readonly links: LinkSpec[];

  constructor(
    private readonly client: ToxiproxyClient,
    links: readonly LinkSpec[],
  ) {
    this.links = [...links];
  }

  /** A link made after the lab came up (a failover's WAL link the other way). */
  addLink(spec: LinkSpec): void {
    if (this.links.some((link) => link.name === spec.name)) {
      throw new Error(`lab link ${spec.name} exists already`);
    }
    this.links.push(spec);
  }

  removeLink(name: string): void {
    this.check(name);
    this.links.splice(
      this.links.findIndex((link) => link.name === name),
      1,
    );
  }

  specs(): readonly LinkSpec[] {
    return this.links;
  }

  async start(link: string, fault: LinkFault): Promise<void> {
    this.check(link);
    if (fault.kind === 'down') {
      await this.client.setEnabled(link, false);
      return;
    }
    const proxy = await this.proxy(link);
    for (const { name, stream, toxic } of toxicOf(fault)) {
      if (proxy.toxics.some((t) => t.name === name)) await this.client.removeToxic(link, name);
      await this.client.addToxic(link, name, stream, toxic);
    }
  }

  /** Removes the toxics of one fault kind from the link; its other faults stay. */
  async clear(link: string, kind: Exclude<LinkFault['kind'], 'down'>): Promise<void> {
    this.check(link);
    const proxy = await this.proxy(link);
    for (const { name } of toxicsOfKind(kind)) {
      if (proxy.toxics.some((t) => t.name === name)) await this.client.removeToxic(link, name);
    }
  }

  /** Removes every fault from the link: enabled again, no toxic left. */
  async heal(link: string): Promise<void> {
    this.check(link);
    const proxy = await this.proxy(link);
    for (const toxic of proxy.toxics) await this.client.removeToxic(link, toxic.name);
    if (!proxy.enabled) await this.client.setEnabled(link, true);
  }

  /** Every link into and out of the region down (links inside it stay up). */
  async isolate(region: string): Promise<string[]> {
    const names = isolationLinks(this.links, region);
    if (names.length === 0) throw new Error(`no link crosses into or out of region ${region}`);
    for (const name of names) await this.client.setEnabled(name, false);
    return names;
  }

  async healAll(): Promise<void> {
    await this.client.reset();
  }

  private async proxy(link: string): Promise<ProxyInfo> {
    const proxy = (await this.client.proxies())[link];
    if (proxy === undefined) throw new Error(`toxiproxy has no proxy ${link}`);
    return proxy;
  }

  private check(link: string): void {
    if (!this.links.some((spec) => spec.name === link)) {
      throw new Error(
        `unknown lab link "${link}" (links: ${this.links.map((l) => l.name).join(', ')})`,
      );
    }
  }
}
