/**
 * How a client reaches a regional endpoint. The simulator's wraps
 * `SimNetwork.request(CLIENTS, region, () => endpoint.handle(request))`; the local target's is
 * HTTP; tests use a scripted fake. Either promise may never settle (a cut link loses the
 * exchange): the client bounds every wait with its own timeout.
 */
import type { BankRequest, BankResponse } from '../bank/api.ts';

export interface Transport {
  send(region: string, request: BankRequest): Promise<BankResponse>;
  /**
   * A health probe of `region`'s endpoint, as Route 53 sends one: true when it answers healthy.
   * false, a rejection, or no answer within the probe timeout count as one failed check.
   */
  probe(region: string): Promise<boolean>;
}
