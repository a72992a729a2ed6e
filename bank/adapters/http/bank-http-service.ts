/**
 * One region's bank as an HTTP service (bank-http-contract.ts): node's http server in front of a
 * BankEndpoint. Binds 127.0.0.1 only. Bounds: request bodies of BODY_BYTES_MAX, at most
 * `connectionsMax` open connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { BankEndpoint } from '../../api.ts';
import { BODY_BYTES_MAX, HEALTH_PATH, kindOfPath, parseRequest } from './bank-http-contract.ts';

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

async function serve(endpoint: BankEndpoint, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '').split('?')[0]!;
  if (path === HEALTH_PATH) {
    if (req.method !== 'GET') return reply(res, 405, { error: `${path}: use GET` });
    return reply(res, 200, { status: 'ok', region: endpoint.region });
  }
  const kind = kindOfPath(path);
  if (kind === undefined) return reply(res, 404, { error: `no such path ${path}` });
  if (req.method !== 'POST') return reply(res, 405, { error: `${path}: use POST` });
  const text = await readBody(req);
  if (text === undefined) {
    res.setHeader('connection', 'close');
    return reply(res, 413, { error: `body over ${BODY_BYTES_MAX} bytes` });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return reply(res, 400, { error: `${kind}: the body is not JSON` });
  }
  const parsed = parseRequest(kind, body);
  if (!parsed.ok) return reply(res, 400, { error: parsed.error });
  return reply(res, 200, await endpoint.handle(parsed.value));
}

export function startBankHttpService(
  endpoint: BankEndpoint,
  options: { port: number; connectionsMax: number },
): Promise<BankHttpService> {
  const server: Server = createServer((req, res) => {
    serve(endpoint, req, res).catch((error: unknown) => {
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
