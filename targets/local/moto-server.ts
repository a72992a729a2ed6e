/**
 * moto's server as one region's DynamoDB API: one process per region, on 127.0.0.1, started
 * through moto_serialized.py (one request at a time: moto's threads take no lock around a
 * conditional write) with the python of moto's virtualenv.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { type ProcessRecord, startProcess } from './lab-process.ts';
import { ownsListeningPort } from './port-owner.ts';
import { waitUntil } from './wait-until.ts';

/** Seen: 3-4.5 s on the 2-core machine; more while other processes start beside it. */
const READY_TIMEOUT_MS = 60_000;

const SERIALIZED_LAUNCHER = fileURLToPath(new URL('./moto_serialized.py', import.meta.url));

export interface MotoServer {
  record: ProcessRecord;
  port: number;
  url: string;
}

export async function startMoto(
  dirs: { pidDir: string; logDir: string },
  motoServer: string,
  region: string,
): Promise<MotoServer> {
  const port = await freePort();
  const record = startProcess(dirs.pidDir, dirs.logDir, {
    name: `moto-${region}`,
    exe: join(dirname(motoServer), 'python'),
    args: [SERIALIZED_LAUNCHER, '-H', '127.0.0.1', '-p', String(port)],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  return { record, port, url: `http://127.0.0.1:${port}` };
}

/** Ready once it answers HTTP at all (moto's own dashboard path answers without AWS auth). */
export function waitMotoReady(moto: MotoServer): Promise<void> {
  return waitUntil(`moto at ${moto.url} (log ${moto.record.log})`, READY_TIMEOUT_MS, async () => {
    const response = await fetch(`${moto.url}/moto-api/data.json`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.ok && ownsListeningPort(moto.record.pid, moto.port);
  });
}
