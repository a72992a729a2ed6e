/**
 * The harness's clock over HTTP, for the workers' samples: `GET /clock` answers
 * `{"nowNs": <the run's clock>}`, read as the request is handled, so that the time lies between
 * the worker's send and receive (history/import/clock-correction.ts). Bound to 127.0.0.1 on a
 * free port; for remote workers a harness would serve the same on an address they reach.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../load/clock.ts';

export const CLOCK_PATH = '/clock';
/** Samples in flight at once: a worker has one a second, a run a few hundred workers at most. */
const CONNECTIONS_MAX = 1_024;

export interface ClockServer {
  url: string;
  close(): Promise<void>;
}

export async function startClockServer(clock: Clock): Promise<ClockServer> {
  const server: Server = createServer((request, response) => {
    const nowNs = clock.nowNs;
    if (request.method !== 'GET' || request.url !== CLOCK_PATH) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ nowNs }));
  });
  server.maxConnections = CONNECTIONS_MAX;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${CLOCK_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
