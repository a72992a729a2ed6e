/**
 * The harness's own requests to a team's service (--endpoint): the health probe, the reads that
 * take the initial and the final state, and the pages of the writer's ledger and saga log. Unlike
 * the load's clients, which record what they hear, these must succeed: anything but an `ok` within
 * the bound fails the step, naming the region, the path and what came back.
 */
import {
  type FinalLog,
  type FinalPage,
  finalLogPath,
  parseLedgerPage,
  parseSagasPage,
} from '../../../bank/adapters/http/bank-http-contract.ts';
import type { BankRequest } from '../../../bank/api.ts';
import type { LedgerEntry, SagaRecord } from '../../../history/op.ts';
import { HttpTransport } from '../../../load/http-transport.ts';

export class EndpointClient {
  private readonly transport: HttpTransport;

  constructor(
    private readonly endpoints: Readonly<Record<string, string>>,
    private readonly requestTimeoutMs: number,
  ) {
    this.transport = new HttpTransport({ endpoints: { ...endpoints }, requestTimeoutMs });
  }

  healthy(region: string): Promise<boolean> {
    return this.transport.probe(region);
  }

  /** The `ok` value of a request the harness itself needs answered. */
  async okValue(region: string, request: BankRequest): Promise<unknown> {
    const response = await this.transport.send(region, request);
    if (response.outcome !== 'ok') {
      throw new Error(
        `${this.endpoints[region]} (${region}) answered ${request.kind} ${response.outcome}: ${response.error}`,
      );
    }
    return response.value;
  }

  ledgerPage(region: string, after: string | null, limit: number): Promise<FinalPage<LedgerEntry>> {
    return this.finalPage(region, 'ledger', after, limit, parseLedgerPage);
  }

  sagasPage(region: string, after: string | null, limit: number): Promise<FinalPage<SagaRecord>> {
    return this.finalPage(region, 'sagas', after, limit, parseSagasPage);
  }

  private async finalPage<T>(
    region: string,
    log: FinalLog,
    after: string | null,
    limit: number,
    parse: (body: unknown) => { ok: true; value: FinalPage<T> } | { ok: false; error: string },
  ): Promise<FinalPage<T>> {
    const url = `${this.endpoints[region]}${finalLogPath(log)}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ after, limit }),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${url} (${region}): HTTP ${response.status}: ${text.slice(0, 200)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${url} (${region}): the answer is not JSON`);
    }
    const parsed = parse(body);
    if (!parsed.ok) throw new Error(`${url} (${region}): ${parsed.error}`);
    return parsed.value;
  }
}
