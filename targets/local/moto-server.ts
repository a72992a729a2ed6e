/**
 * moto's server as one region's DynamoDB API: one process per region, on 127.0.0.1. moto's own
 * application on waitress (moto-serve.py), not `moto_server`, whose server closes the connection
 * after every request: the SDK's keep-alive agents then reuse their connections. It handles one
 * request at a time: moto takes no lock around a conditional write.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WAITRESS_STAMP } from './engine-paths.ts';
import { freePort } from './free-port.ts';
import { type ProcessRecord, startProcess } from './lab-process.ts';
import { ownsListeningPort } from './port-owner.ts';
import { waitUntil } from './wait-until.ts';

/**
 * moto runs at this niceness, below the processes a bank request waits for (the harness with the
 * bank and the load driver, Toxiproxy, PostgreSQL). It stands in for DynamoDB, which has machines
 * of its own; on the lab it shares the cores, and most of its work is off the request path (the
 * projector's puts and the replicators, which run flat out behind a burst). Measured on the
 * 2-core machine at 150 transfers/s (bench/RESULTS.md §5), three runs each, interleaved: at
 * niceness 0, p99 42-58 ms in two runs and 264-295 ms in the third (the cores ~90% busy); at 10,
 * 47-59 ms in all three. moto still gets every idle cycle: it answers no slower when the cores
 * are free, and under contention a balance read waits for them.
 */
export const MOTO_NICENESS = 10;

/** Seen: 3-4.5 s on the 2-core machine; more while other processes start beside it. */
const READY_TIMEOUT_MS = 60_000;

export interface MotoServer {
  record: ProcessRecord;
  port: number;
  url: string;
}

const MOTO_SERVE = join(import.meta.dirname, 'moto-serve.py');

/** `motoServer` is the virtualenv's moto_server (EnginePaths): its python serves moto-serve.py. */
export async function startMoto(
  dirs: { pidDir: string; logDir: string },
  motoServer: string,
  region: string,
): Promise<MotoServer> {
  const venv = dirname(dirname(motoServer));
  if (!existsSync(join(venv, WAITRESS_STAMP))) {
    // labUp checks it first (missingEngines); this is for callers that start moto alone.
    throw new Error(
      `moto's keep-alive server (waitress) is not provisioned in ${venv}: run scripts/provision-moto.sh`,
    );
  }
  const port = await freePort();
  const record = startProcess(dirs.pidDir, dirs.logDir, {
    name: `moto-${region}`,
    // The virtualenv's own python (not a script's #! line: a copied virtualenv keeps the
    // original's absolute path there).
    exe: join(venv, 'bin', 'python'),
    args: [
      MOTO_SERVE,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--nice',
      String(MOTO_NICENESS),
    ],
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
