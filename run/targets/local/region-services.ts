/**
 * Each region's bank as an HTTP service (bank/adapters/http), with the requests it is still
 * handling, and the crash-bank fault on it: the region's instance crashes and its service closes
 * (open connections closed, new ones refused); the restart is a new instance served on the same
 * port, so the client link in front of it need not change.
 */
import {
  type BankHttpService,
  startBankHttpService,
} from '../../../bank/adapters/http/bank-http-service.ts';
import type { BankEndpoint } from '../../../bank/api.ts';
import type { Bank } from '../../../bank/create-bank.ts';
import { DurationHistogram, type DurationSummaryMs } from '../../../lib/duration-histogram.ts';

const HTTP_CONNECTIONS_MAX = 512;
/**
 * Bank requests one region's service handles at once; more are refused as overloaded
 * (bank-http-service.ts). At 120 transfers/s (p50 ~55 ms) about 4 are in flight per region, at
 * 150/s (p50 ~0.5 s, the writer's queue) about 40; the bound is above that, and far below the
 * hundreds an overloaded machine piled up.
 */
const REQUESTS_IN_FLIGHT_MAX = 64;

export interface SlowRequest {
  region: string;
  kind: string;
  ms: number;
}

/** Slow requests kept for the log: enough to see which kinds and regions, not a history. */
const SLOWEST_KEPT = 10;

/**
 * Each region's HTTP service, with the requests it is still handling. A crashed instance never
 * answers (bank/crash-guard.ts): its requests are dropped from the count at the crash, and
 * requests are not counted while it is down.
 */
export class RegionServices {
  private readonly services = new Map<string, { service: BankHttpService; port: number }>();
  /** Requests being handled, by `region kind`. */
  private readonly inFlight = new Map<string, number>();
  private readonly crashed = new Set<string>();
  /** Slowest first, at most SLOWEST_KEPT. */
  private readonly slowest: SlowRequest[] = [];
  /** How long each region's bank took to handle a request, since the bench last took them. */
  private readonly handled = new Map<string, DurationHistogram>();

  constructor(private readonly bank: Bank) {}

  /** Serves the region on `port` (0: any free port); returns its URL. */
  async start(region: string, port: number): Promise<string> {
    const endpoint = this.bank.endpoint(region);
    const counted: BankEndpoint = {
      region,
      handle: async (request) => {
        if (this.crashed.has(region)) return endpoint.handle(request);
        const key = `${region} ${request.kind}`;
        this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
        const startedMs = performance.now();
        try {
          return await endpoint.handle(request);
        } finally {
          // A crash dropped the count of its region's requests (they never settle; these did).
          const count = this.inFlight.get(key) ?? 0;
          if (count > 0) this.inFlight.set(key, count - 1);
          const handledMs = performance.now() - startedMs;
          this.handledWindow(region).recordMs(handledMs);
          this.keepSlowest({ region, kind: request.kind, ms: Math.round(handledMs) });
        }
      },
    };
    const service = await startBankHttpService(counted, {
      port,
      connectionsMax: HTTP_CONNECTIONS_MAX,
      requestsInFlightMax: REQUESTS_IN_FLIGHT_MAX,
      finalLogs: {
        ledger: ({ after, limit }) => this.bank.ledgerPage({ afterKey: after, limit }),
        sagas: ({ after, limit }) => this.bank.sagasPage({ afterKey: after, limit }),
      },
    });
    const servedPort = Number(new URL(service.url).port);
    if (port !== 0 && servedPort !== port) throw new Error(`${region}: served on ${servedPort}`);
    this.services.set(region, { service, port: servedPort });
    return service.url;
  }

  async crash(region: string): Promise<void> {
    const served = this.services.get(region);
    if (served === undefined || this.crashed.has(region)) {
      throw new Error(`crash-bank ${region}: its bank is not running`);
    }
    // In one go, so that no request reaches the crashed instance before its service is closed.
    this.bank.crash(region);
    this.crashed.add(region);
    for (const key of this.inFlight.keys()) {
      if (key.startsWith(`${region} `)) this.inFlight.delete(key);
    }
    await served.service.close();
  }

  async restart(region: string): Promise<void> {
    const served = this.services.get(region);
    if (served === undefined || !this.crashed.has(region)) {
      throw new Error(`restart-bank ${region}: its bank has not crashed`);
    }
    this.bank.restart(region);
    this.crashed.delete(region);
    await this.start(region, served.port);
  }

  /** Requests being handled, by `region kind` (only those with some). */
  requestsInFlight(): Record<string, number> {
    return Object.fromEntries([...this.inFlight].filter(([, count]) => count > 0));
  }

  /** The slowest requests handled so far, slowest first. */
  slowestRequests(): readonly SlowRequest[] {
    return [...this.slowest];
  }

  /** Per region, the time its bank took per request since the last take (bench's steps). */
  takeHandledMs(): Record<string, DurationSummaryMs> {
    return Object.fromEntries([...this.handled].map(([region, w]) => [region, w.takeSummaryMs()]));
  }

  private handledWindow(region: string): DurationHistogram {
    let window = this.handled.get(region);
    if (window === undefined) {
      window = new DurationHistogram();
      this.handled.set(region, window);
    }
    return window;
  }

  private keepSlowest(request: SlowRequest): void {
    if (this.slowest.length === SLOWEST_KEPT && request.ms <= this.slowest.at(-1)!.ms) return;
    this.slowest.push(request);
    this.slowest.sort((a, b) => b.ms - a.ms);
    this.slowest.length = Math.min(this.slowest.length, SLOWEST_KEPT);
  }

  async closeAll(): Promise<void> {
    for (const [region, { service }] of this.services) {
      if (!this.crashed.has(region)) await service.close();
    }
  }
}
