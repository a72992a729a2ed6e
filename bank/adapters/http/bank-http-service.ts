/**
 * One region's bank as an HTTP service (bank-http-contract.ts): node's http server in front of a
 * BankEndpoint. Binds 127.0.0.1 only. Bounds: request bodies of BODY_BYTES_MAX, at most
 * `connectionsMax` open connections, at most `requestsInFlightMax` bank requests being handled.
 *
 * Past `requestsInFlightMax` a request is answered at once as rejected (`overloaded: ...`),
 * before the bank sees it: nothing was done, so the client records a definite failure. Without
 * this bound an overloaded lab collapsed instead of slowing down: every request waited out its
 * client's timeout for a SQL connection or the writer's queue, the clients retried, and the work
 * done for clients already gone starved the few transactions that could still commit (seen on
 * the 2-core machine at load average 10: 2 transactions a second, 95% of ops unknown).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LedgerEntry, SagaRecord } from '../../../history/op.ts';
import type { BankEndpoint, BankRequest, BankResponse } from '../../api.ts';
import { rejected } from '../../responses.ts';
import {
  BODY_BYTES_MAX,
  type FinalLog,
  type FinalPage,
  type FinalPageRequest,
  finalLogOfPath,
  HEALTH_PATH,
  kindOfPath,
  parseFinalPageRequest,
  parseRequest,
} from './bank-http-contract.ts';

/** Pages of the writer's ledger and saga log, for the harness's final read. */
export interface FinalLogSource {
  ledger(page: FinalPageRequest): Promise<FinalPage<LedgerEntry>>;
  sagas(page: FinalPageRequest): Promise<FinalPage<SagaRecord>>;
}

export interface BankHttpServiceOptions {
  port: number;
  connectionsMax: number;
  requestsInFlightMax: number;
  /** Serves /v1/final/ledger and /v1/final/sagas; without it they answer 404. */
  finalLogs?: FinalLogSource;
}

export interface BankHttpService {
  readonly url: string;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > BODY_BYTES_MAX) {
        // Answered 413 at once; the rest of the body is dropped as it arrives, then the
        // connection closes.
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

type JsonBody = { ok: true; body: unknown } | { ok: false };

/** The request's JSON body, or false once a 413 or 400 has been answered. */
async function jsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  what: string,
): Promise<JsonBody> {
  const text = await readBody(req);
  if (text === undefined) {
    res.setHeader('connection', 'close');
    reply(res, 413, { error: `body over ${BODY_BYTES_MAX} bytes` });
    return { ok: false };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    reply(res, 400, { error: `${what}: the body is not JSON` });
    return { ok: false };
  }
}

async function serveFinalLog(
  source: FinalLogSource,
  log: FinalLog,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const read = await jsonBody(req, res, `final/${log}`);
  if (!read.ok) return;
  const parsed = parseFinalPageRequest(log, read.body);
  if (!parsed.ok) return reply(res, 400, { error: parsed.error });
  const page = log === 'ledger' ? source.ledger(parsed.value) : source.sagas(parsed.value);
  return reply(res, 200, await page);
}

/** The answer to a bank request past the in-flight bound: definite, nothing was done. */
export function overloadedResponse(requestsInFlightMax: number): BankResponse {
  return rejected(
    `overloaded: ${requestsInFlightMax} requests in flight, this one was not started`,
  );
}

class InFlightBound {
  private count = 0;

  constructor(readonly max: number) {
    if (!(Number.isSafeInteger(max) && max >= 1)) {
      throw new Error(`requestsInFlightMax must be a whole number >= 1, got ${max}`);
    }
  }

  async handle(endpoint: BankEndpoint, request: BankRequest): Promise<BankResponse> {
    if (this.count >= this.max) return overloadedResponse(this.max);
    this.count += 1;
    try {
      return await endpoint.handle(request);
    } finally {
      this.count -= 1;
    }
  }
}

async function serve(
  endpoint: BankEndpoint,
  bound: InFlightBound,
  finalLogs: FinalLogSource | undefined,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const path = (req.url ?? '').split('?')[0]!;
  if (path === HEALTH_PATH) {
    if (req.method !== 'GET') return reply(res, 405, { error: `${path}: use GET` });
    return reply(res, 200, { status: 'ok', region: endpoint.region });
  }
  const kind = kindOfPath(path);
  const log = finalLogOfPath(path);
  if (kind === undefined && (log === undefined || finalLogs === undefined)) {
    return reply(res, 404, { error: `no such path ${path}` });
  }
  if (req.method !== 'POST') return reply(res, 405, { error: `${path}: use POST` });
  if (kind === undefined) return serveFinalLog(finalLogs!, log!, req, res);
  const read = await jsonBody(req, res, kind);
  if (!read.ok) return;
  const parsed = parseRequest(kind, read.body);
  if (!parsed.ok) return reply(res, 400, { error: parsed.error });
  return reply(res, 200, await bound.handle(endpoint, parsed.value));
}

export function startBankHttpService(
  endpoint: BankEndpoint,
  options: BankHttpServiceOptions,
): Promise<BankHttpService> {
  const bound = new InFlightBound(options.requestsInFlightMax);
  const server: Server = createServer((req, res) => {
    serve(endpoint, bound, options.finalLogs, req, res).catch((error: unknown) => {
      // A bank bug: the client hears a 500 (no answer, unknown outcome); the server lives on.
      if (!res.headersSent) reply(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.maxConnections = options.connectionsMax;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('the bank service has no port'));
        return;
      }
      resolve({
        url: `http://127.0.0.1:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
