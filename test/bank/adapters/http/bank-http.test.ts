import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINAL_LOGS,
  finalLogPath,
  parseLedgerPage,
  parseSagasPage,
  REQUEST_KINDS,
  requestBody,
} from '../../../../bank/adapters/http/bank-http-contract.ts';
import {
  type BankHttpService,
  startBankHttpService,
} from '../../../../bank/adapters/http/bank-http-service.ts';
import type { BankRequest, BankResponse } from '../../../../bank/api.ts';
import { HttpTransport } from '../../../../load/http-transport.ts';

const REGION = 'ap-northeast-1';

/** One request of every kind, with the answer the fake bank gives to it. */
const EXCHANGES: [BankRequest, BankResponse][] = [
  [{ kind: 'transfer', id: 't1', from: 'a', to: 'b', amount: 5 }, { outcome: 'ok' }],
  [
    { kind: 'deposit', id: 'd1', account: 'a', amount: 7 },
    { outcome: 'unknown', error: 'sql commit: not replicated' },
  ],
  [
    { kind: 'withdraw', id: 'w1', account: 'a', amount: 9 },
    { outcome: 'rejected', error: 'insufficient funds' },
  ],
  [
    { kind: 'balances', accounts: null, consistent: true },
    { outcome: 'ok', value: { balances: { a: 1, b: 2 }, consistent: true } },
  ],
  [
    { kind: 'balances', accounts: ['a'], consistent: false },
    { outcome: 'ok', value: { balances: { a: 1 }, consistent: false } },
  ],
  [{ kind: 'checkout', id: 'c1', from: 'a', to: 'm', amount: 3 }, { outcome: 'ok' }],
  [
    { kind: 'write', table: 'eventual', key: 'k', value: 'v1' },
    { outcome: 'ok', value: { ts: 17 } },
  ],
  [
    { kind: 'read', table: 'strong', key: 'k' },
    { outcome: 'ok', value: { key: 'k', value: null } },
  ],
  [
    { kind: 'cas', table: 'eventual', key: 'k', from: 'v1', to: 2 },
    { outcome: 'rejected', error: 'cas mismatch' },
  ],
];

const OPENAPI = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../../docs/bank-api.openapi.json'), 'utf8'),
) as {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
  >;
  components: {
    schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }>;
  };
};

describe('the bank over HTTP', () => {
  let service: BankHttpService;
  const received: BankRequest[] = [];

  beforeAll(async () => {
    service = await startBankHttpService(
      {
        region: REGION,
        handle: async (request) => {
          received.push(request);
          const exchange = EXCHANGES.find(([r]) => JSON.stringify(r) === JSON.stringify(request));
          if (exchange === undefined) throw new Error(`unexpected ${JSON.stringify(request)}`);
          return exchange[1];
        },
      },
      { port: 0, connectionsMax: 16, requestsInFlightMax: 16 },
    );
  });

  afterAll(async () => {
    await service.close();
  });

  const transport = () =>
    new HttpTransport({ endpoints: { [REGION]: service.url }, requestTimeoutMs: 2_000 });

  it('carries every request kind and its answer unchanged', async () => {
    for (const [request, response] of EXCHANGES) {
      expect(await transport().send(REGION, request)).toEqual(response);
    }
    expect(received).toEqual(EXCHANGES.map(([request]) => request));
    expect(new Set(received.map((r) => r.kind))).toEqual(new Set(REQUEST_KINDS));
  });

  it('answers the health probe for its own region only', async () => {
    expect(await transport().probe(REGION)).toBe(true);
    const elsewhere = new HttpTransport({ endpoints: { x: service.url }, requestTimeoutMs: 2_000 });
    expect(await elsewhere.probe('x')).toBe(false);
  });

  it('refuses a body that does not validate with 400 naming the field', async () => {
    const response = await fetch(`${service.url}/v1/transfer`, {
      method: 'POST',
      body: JSON.stringify({ id: 't', from: 'a', to: 'b', amount: -1 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^transfer: amount:/);
    const extra = await fetch(`${service.url}/v1/read`, {
      method: 'POST',
      body: JSON.stringify({ table: 'eventual', key: 'k', kind: 'read' }),
    });
    expect(extra.status).toBe(400);
  });

  it('answers 404, 405 and 413 where the contract says so', async () => {
    expect((await fetch(`${service.url}/v1/nope`, { method: 'POST', body: '{}' })).status).toBe(
      404,
    );
    expect((await fetch(`${service.url}/v1/transfer`)).status).toBe(405);
    const big = await fetch(`${service.url}/v1/deposit`, {
      method: 'POST',
      body: 'x'.repeat(70 * 1024),
    });
    expect(big.status).toBe(413);
  });

  it('refuses requests past its in-flight bound at once as overloaded, before the bank sees them', async () => {
    const releases: (() => void)[] = [];
    let handled = 0;
    const held = await startBankHttpService(
      {
        region: REGION,
        handle: () => {
          handled += 1;
          return new Promise<BankResponse>((resolve) =>
            releases.push(() => resolve({ outcome: 'ok' })),
          );
        },
      },
      { port: 0, connectionsMax: 16, requestsInFlightMax: 2 },
    );
    try {
      const client = new HttpTransport({
        endpoints: { [REGION]: held.url },
        requestTimeoutMs: 5_000,
      });
      const deposit = (id: string): BankRequest => ({
        kind: 'deposit',
        id,
        account: 'a',
        amount: 1,
      });
      const first = client.send(REGION, deposit('d1'));
      const second = client.send(REGION, deposit('d2'));
      for (let waitedMs = 0; handled < 2 && waitedMs < 5_000; waitedMs += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(handled).toBe(2);
      expect(await client.send(REGION, deposit('d3'))).toEqual({
        outcome: 'rejected',
        error: 'overloaded: 2 requests in flight, this one was not started',
      });
      expect(handled).toBe(2);
      for (const release of releases) release();
      expect(await Promise.all([first, second])).toEqual([{ outcome: 'ok' }, { outcome: 'ok' }]);
      const fourth = client.send(REGION, deposit('d4'));
      for (let waitedMs = 0; handled < 3 && waitedMs < 5_000; waitedMs += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      releases[2]?.();
      expect(await fourth).toEqual({ outcome: 'ok' });
      expect(handled).toBe(3);
    } finally {
      for (const release of releases) release();
      await held.close();
    }
  });

  it('rejects, so the client records unknown, any answer that is not a BankResponse', async () => {
    const broken = await startBankHttpService(
      {
        region: REGION,
        handle: async () => ({ outcome: 'maybe' }) as unknown as BankResponse,
      },
      { port: 0, connectionsMax: 4, requestsInFlightMax: 4 },
    );
    try {
      const t = new HttpTransport({ endpoints: { [REGION]: broken.url }, requestTimeoutMs: 2_000 });
      await expect(t.send(REGION, EXCHANGES[0]![0])).rejects.toThrow(/response: outcome/);
    } finally {
      await broken.close();
    }
  });

  it('documents every request kind in the OpenAPI file with the fields it sends', () => {
    for (const [request] of EXCHANGES) {
      const post = OPENAPI.paths[`/v1/${request.kind}`]?.post;
      expect(post, request.kind).toBeDefined();
      const ref = post!.requestBody!.content['application/json']!.schema.$ref;
      const schema = OPENAPI.components.schemas[ref.replace('#/components/schemas/', '')]!;
      expect(Object.keys(schema.properties!).sort(), request.kind).toEqual(
        Object.keys(requestBody(request)).sort(),
      );
      expect([...schema.required!].sort()).toEqual(Object.keys(requestBody(request)).sort());
    }
    expect(Object.keys(OPENAPI.paths).sort()).toEqual(
      [
        ...REQUEST_KINDS.map((kind) => `/v1/${kind}`),
        '/v1/health',
        ...FINAL_LOGS.map(finalLogPath),
      ].sort(),
    );
    for (const log of FINAL_LOGS) expect(OPENAPI.paths[finalLogPath(log)]?.post).toBeDefined();
    const pageRequest = OPENAPI.components.schemas.FinalPageRequest!;
    expect([...pageRequest.required!].sort()).toEqual(['after', 'limit']);
    expect(OPENAPI.paths['/v1/health']?.get).toBeDefined();
  });

  it('serves the final logs a page at a time where it has them, and 404 where it has none', async () => {
    const pages = await startBankHttpService(
      { region: REGION, handle: async () => ({ outcome: 'ok' }) },
      {
        port: 0,
        connectionsMax: 4,
        requestsInFlightMax: 4,
        finalLogs: {
          ledger: async ({ after, limit }) => ({
            items: [{ tx: `t-${after ?? 'first'}`, account: 'a', amount: -limit }],
            next: after === null ? 'k1' : null,
          }),
          sagas: async () => ({
            items: [
              {
                id: 'c1',
                status: 'completed',
                steps: [{ name: 'reserve', status: 'done', at: 5 }],
              },
            ],
            next: null,
          }),
        },
      },
    );
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) });
    try {
      const first = await post(pages.url, '/v1/final/ledger', { after: null, limit: 3 });
      expect(parseLedgerPage(await first.json())).toEqual({
        ok: true,
        value: { items: [{ tx: 't-first', account: 'a', amount: -3 }], next: 'k1' },
      });
      const second = await post(pages.url, '/v1/final/ledger', { after: 'k1', limit: 3 });
      expect(((await second.json()) as { next: unknown }).next).toBeNull();
      const sagas = await post(pages.url, '/v1/final/sagas', { after: null, limit: 10 });
      expect(parseSagasPage(await sagas.json()).ok).toBe(true);
      const bad = await post(pages.url, '/v1/final/ledger', { after: null, limit: 0 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^final\/ledger: limit:/);
      expect((await fetch(`${pages.url}/v1/final/sagas`)).status).toBe(405);
    } finally {
      await pages.close();
    }
    expect((await post(service.url, '/v1/final/ledger', { after: null, limit: 3 })).status).toBe(
      404,
    );
  });
});
