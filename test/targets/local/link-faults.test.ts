import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginePaths } from '../../../targets/local/engine-paths.ts';
import { type LinkSpec, linkPort } from '../../../targets/local/lab-links.ts';
import { stopProcess } from '../../../targets/local/lab-process.ts';
import { LinkFaults } from '../../../targets/local/link-faults.ts';
import {
  startToxiproxy,
  type ToxiproxyServer,
  waitToxiproxyReady,
} from '../../../targets/local/toxiproxy-server.ts';
import { enginesMissing } from './support/engines.ts';

const LINKS: LinkSpec[] = [
  { name: 'dynamodb-a', from: 'a', to: 'a' },
  { name: 'replication-a-to-b', from: 'a', to: 'b' },
];

/** One GET on a fresh connection: the body, or the error's code (or 'timeout'). */
function get(port: number, timeoutMs: number): Promise<{ body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ body }));
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ error: 'timeout' });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    req.end();
  });
}

describe.skipIf(enginesMissing !== undefined)('link faults through a real Toxiproxy', () => {
  let dir = '';
  let toxiproxy: ToxiproxyServer;
  let upstream: Server;
  let faults: LinkFaults;
  const ports = new Map<string, number>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paychaos-toxiproxy-'));
    toxiproxy = await startToxiproxy(
      { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') },
      enginePaths().toxiproxyServer,
    );
    await waitToxiproxyReady(toxiproxy);
    upstream = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const address = upstream.address();
    if (address === null || typeof address === 'string') throw new Error('no upstream port');
    for (const link of LINKS) {
      const proxy = await toxiproxy.client.createProxy(link.name, `127.0.0.1:${address.port}`);
      ports.set(link.name, linkPort(proxy));
    }
    faults = new LinkFaults(toxiproxy.client, LINKS);
  }, 30_000);

  afterAll(async () => {
    await stopProcess(join(dir, 'pids'), toxiproxy.record);
    await new Promise((resolve) => upstream.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const port = (link: string) => ports.get(link)!;

  it('passes requests when healthy', async () => {
    expect(await get(port('dynamodb-a'), 2_000)).toEqual({ body: 'pong' });
  });

  it('down refuses connections until healed', async () => {
    await faults.start('dynamodb-a', { kind: 'down' });
    expect(await get(port('dynamodb-a'), 2_000)).toEqual({ error: 'ECONNREFUSED' });
    await faults.heal('dynamodb-a');
    expect(await get(port('dynamodb-a'), 2_000)).toEqual({ body: 'pong' });
  });

  it('latency delays a round trip by about the latency', async () => {
    await faults.start('dynamodb-a', { kind: 'latency', latencyMs: 300, jitterMs: 20 });
    const startedMs = performance.now();
    expect(await get(port('dynamodb-a'), 5_000)).toEqual({ body: 'pong' });
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(250);
    await faults.heal('dynamodb-a');
    const healedMs = performance.now();
    expect(await get(port('dynamodb-a'), 5_000)).toEqual({ body: 'pong' });
    expect(performance.now() - healedMs).toBeLessThan(250);
  });

  it('reset closes the connection with an error, fast', async () => {
    await faults.start('dynamodb-a', { kind: 'reset' });
    const startedMs = performance.now();
    const result = await get(port('dynamodb-a'), 5_000);
    expect(result.body).toBeUndefined();
    expect(result.error).not.toBe('timeout');
    expect(performance.now() - startedMs).toBeLessThan(2_000);
    await faults.heal('dynamodb-a');
  });

  it('blackhole leaves the client hanging until its own timeout', async () => {
    await faults.start('dynamodb-a', { kind: 'blackhole' });
    expect(await get(port('dynamodb-a'), 700)).toEqual({ error: 'timeout' });
    await faults.heal('dynamodb-a');
    expect(await get(port('dynamodb-a'), 2_000)).toEqual({ body: 'pong' });
  });

  it('isolating a region takes down only the links that cross into or out of it', async () => {
    expect(await faults.isolate('a')).toEqual(['replication-a-to-b']);
    expect(await get(port('replication-a-to-b'), 2_000)).toEqual({ error: 'ECONNREFUSED' });
    expect(await get(port('dynamodb-a'), 2_000)).toEqual({ body: 'pong' });
    await faults.healAll();
    expect(await get(port('replication-a-to-b'), 2_000)).toEqual({ body: 'pong' });
  });

  it('refuses a link the lab does not have', async () => {
    await expect(faults.start('nope', { kind: 'down' })).rejects.toThrow(/unknown lab link "nope"/);
  });
});
