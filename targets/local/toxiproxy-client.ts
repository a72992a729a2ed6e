/**
 * A small client of Toxiproxy's HTTP API (plain JSON REST), over fetch: proxies and toxics. Every
 * call is bounded by a timeout; an answer of the wrong shape or status throws with the path.
 *
 * Toxics the lab uses (Toxiproxy's own names): `latency` (latency and jitter, ms), `reset_peer`
 * (close with RST after `timeout` ms), `timeout` (stop all data; with timeout 0 the connection
 * stays open and silent: a blackhole). A proxy disabled is a link down: it closes its
 * connections and refuses new ones.
 */
import { z } from 'zod';

const REQUEST_TIMEOUT_MS_DEFAULT = 5_000;

const proxySchema = z.object({
  name: z.string(),
  listen: z.string(),
  upstream: z.string(),
  enabled: z.boolean(),
  toxics: z.array(z.object({ name: z.string(), type: z.string(), stream: z.string() })),
});

export type ProxyInfo = z.infer<typeof proxySchema>;

export type ToxicStream = 'upstream' | 'downstream';

export type Toxic =
  | { type: 'latency'; latencyMs: number; jitterMs: number }
  | { type: 'reset_peer'; afterMs: number }
  | { type: 'timeout'; afterMs: number };

function toxicAttributes(toxic: Toxic): Record<string, number> {
  switch (toxic.type) {
    case 'latency':
      return { latency: toxic.latencyMs, jitter: toxic.jitterMs };
    case 'reset_peer':
      return { timeout: toxic.afterMs };
    case 'timeout':
      return { timeout: toxic.afterMs };
  }
}

function checkMs(what: string, ms: number): void {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new Error(`${what} must be a whole number of ms >= 0, got ${ms}`);
  }
}

export class ToxiproxyClient {
  constructor(
    readonly apiUrl: string,
    private readonly requestTimeoutMs = REQUEST_TIMEOUT_MS_DEFAULT,
  ) {}

  async version(): Promise<string> {
    return (await this.call('GET', '/version', undefined, [200])).trim();
  }

  /** Creates a proxy; listen on port 0 lets Toxiproxy choose a free port (read it back). */
  async createProxy(name: string, upstream: string, listen = '127.0.0.1:0'): Promise<ProxyInfo> {
    const body = { name, listen, upstream, enabled: true };
    return proxySchema.parse(JSON.parse(await this.call('POST', '/proxies', body, [201])));
  }

  async proxies(): Promise<Record<string, ProxyInfo>> {
    const text = await this.call('GET', '/proxies', undefined, [200]);
    return z.record(z.string(), proxySchema).parse(JSON.parse(text));
  }

  /** Removes a proxy: its connections close, and whatever its toxics held back is dropped. */
  async deleteProxy(proxy: string): Promise<void> {
    await this.call('DELETE', `/proxies/${encodeURIComponent(proxy)}`, undefined, [204]);
  }

  /** Disabled: the link is down (connections closed, new ones refused). */
  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', `/proxies/${encodeURIComponent(proxy)}`, { enabled }, [200]);
  }

  async addToxic(proxy: string, name: string, stream: ToxicStream, toxic: Toxic): Promise<void> {
    const attributes = toxicAttributes(toxic);
    for (const [field, ms] of Object.entries(attributes)) checkMs(`${toxic.type} ${field}`, ms);
    const body = { name, type: toxic.type, stream, toxicity: 1, attributes };
    await this.call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, body, [200]);
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    const path = `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`;
    await this.call('DELETE', path, undefined, [204]);
  }

  /** Every proxy enabled and every toxic removed: all faults healed. */
  async reset(): Promise<void> {
    await this.call('POST', '/reset', undefined, [204]);
  }

  private async call(
    method: string,
    path: string,
    body: unknown,
    statuses: readonly number[],
  ): Promise<string> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      signal: AbortSignal.timeout(this.requestTimeoutMs),
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!statuses.includes(response.status)) {
      throw new Error(`toxiproxy ${method} ${path}: HTTP ${response.status}: ${text.trim()}`);
    }
    return text;
  }
}
