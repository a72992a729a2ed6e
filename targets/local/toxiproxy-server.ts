/** Toxiproxy's server: its API on a free 127.0.0.1 port; proxies are made through the client. */
import { freePort } from './free-port.ts';
import { type ProcessRecord, startProcess } from './lab-process.ts';
import { ownsListeningPort } from './port-owner.ts';
import { ToxiproxyClient } from './toxiproxy-client.ts';
import { waitUntil } from './wait-until.ts';

function port(server: ToxiproxyServer): number {
  return Number(new URL(server.apiUrl).port);
}

const READY_TIMEOUT_MS = 20_000;

export interface ToxiproxyServer {
  record: ProcessRecord;
  apiUrl: string;
  client: ToxiproxyClient;
}

export async function startToxiproxy(
  dirs: { pidDir: string; logDir: string },
  serverExe: string,
): Promise<ToxiproxyServer> {
  const port = await freePort();
  const record = startProcess(dirs.pidDir, dirs.logDir, {
    name: 'toxiproxy',
    exe: serverExe,
    args: ['-host', '127.0.0.1', '-port', String(port)],
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  return { record, apiUrl, client: new ToxiproxyClient(apiUrl) };
}

export function waitToxiproxyReady(server: ToxiproxyServer): Promise<void> {
  const what = `toxiproxy at ${server.apiUrl} (log ${server.record.log})`;
  return waitUntil(what, READY_TIMEOUT_MS, async () => {
    return (
      (await server.client.version()) !== '' && ownsListeningPort(server.record.pid, port(server))
    );
  });
}
