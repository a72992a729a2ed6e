/**
 * A trivial bank endpoint for bench/artillery-vs-node.ts: every request answered `ok` at once
 * (health included), on 127.0.0.1 and a free port, which it prints; it runs until killed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const region = request.url === '/v1/health' ? 'any' : '';
    response.end(region === '' ? '{"outcome":"ok"}' : '{"status":"ok","region":"any"}');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
