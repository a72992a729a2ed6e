/**
 * The Transport over HTTP, for the local lab's bank services and a team's own service: the
 * contract of bank/adapters/http/bank-http-contract.ts (docs/bank-api.openapi.json). Anything but
 * a 200 with a valid BankResponse rejects, and the load client records the attempt `info` (its
 * outcome unknown). Each exchange is also bounded by `requestTimeoutMs` (an abort signal, so
 * that a blackholed service does not keep sockets forever); the load client's own timeout,
 * shorter, decides the history.
 */

import {
  HEALTH_PATH,
  isHealthy,
  parseResponse,
  requestBody,
  requestPath,
} from '../bank/adapters/http/bank-http-contract.ts';
import type { BankRequest, BankResponse } from '../bank/api.ts';
import type { Transport } from './transport.ts';

export interface HttpTransportOptions {
  /** Base URL of each region's service, e.g. http://127.0.0.1:8080. */
  endpoints: Record<string, string>;
  requestTimeoutMs: number;
}

export class HttpTransport implements Transport {
  constructor(private readonly options: HttpTransportOptions) {
    for (const [region, url] of Object.entries(options.endpoints)) {
      if (!/^https?:\/\/[^/]+$/.test(url)) {
        throw new Error(`endpoint of ${region}: expected http(s)://host:port, got "${url}"`);
      }
    }
    if (!(options.requestTimeoutMs > 0)) throw new Error('requestTimeoutMs must be > 0');
  }

  async send(region: string, request: BankRequest): Promise<BankResponse> {
    const response = await fetch(`${this.base(region)}${requestPath(request.kind)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(requestBody(request)),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${region} ${request.kind}: HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    const parsed = parseResponse(JSON.parse(text));
    if (!parsed.ok) throw new Error(`${region} ${request.kind}: ${parsed.error}`);
    return parsed.value;
  }

  async probe(region: string): Promise<boolean> {
    const response = await fetch(`${this.base(region)}${HEALTH_PATH}`, {
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
    });
    const text = await response.text();
    return response.status === 200 && isHealthy(JSON.parse(text), region);
  }

  private base(region: string): string {
    const url = this.options.endpoints[region];
    if (url === undefined) throw new Error(`no endpoint for region ${region}`);
    return url;
  }
}
