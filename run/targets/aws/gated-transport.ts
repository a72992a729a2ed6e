/**
 * The clients' side of region isolation on AWS: FIS cuts a region off from the other regions,
 * but paychaos's own clients reach the region over the internet, which no FIS action cuts. So
 * paychaos cuts them itself: while a region is isolated, a request to it is lost (its promise
 * never settles; the client's timeout decides, as for a cut link on the lab) and its health probe
 * fails, so the clients' failover routing moves away as Route 53 would.
 */
import type { BankRequest, BankResponse } from '../../../bank/api.ts';
import type { Transport } from '../../../load/transport.ts';

export class GatedTransport implements Transport {
  private readonly cut = new Set<string>();

  constructor(private readonly inner: Transport) {}

  isolate(region: string): void {
    this.cut.add(region);
  }

  rejoin(region: string): void {
    this.cut.delete(region);
  }

  rejoinAll(): void {
    this.cut.clear();
  }

  send(region: string, request: BankRequest): Promise<BankResponse> {
    if (this.cut.has(region)) return new Promise<BankResponse>(() => undefined);
    return this.inner.send(region, request);
  }

  probe(region: string): Promise<boolean> {
    if (this.cut.has(region)) return Promise.resolve(false);
    return this.inner.probe(region);
  }
}
