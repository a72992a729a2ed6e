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
 * The niceness moto runs at: 0 unless PAYCHAOS_MOTO_NICENESS says otherwise (0..19). moto stands
 * in for DynamoDB, which has machines of its own; on the lab it shares the cores, and most of its
 * work is off a bank request's path (the projector's puts and the replicators, which run flat out
 * behind a burst). Niced, it yields the cores to what a request waits for (the harness, Toxiproxy,
 * PostgreSQL). Measured on the 2-core machine at 150 transfers/s (bench/RESULTS.md §5), three
 * runs each, interleaved: at 0, p99 42-58 ms in two runs and 264-295 ms in the third (the cores
 * ~90% busy); at 10, 47-59 ms in all three. A later A/B on a slower machine showed no benefit
 * (p99 109-143 ms at 10, 78-113 ms at 0). Not the default: under other CPU-bound work (the
 * project's own test suite runs two files at once) a moto at 10 got too little CPU to answer its
 * first request within 60 s.
 */
export const MOTO_NICENESS_VAR = 'PAYCHAOS_MOTO_NICENESS';
const NICENESS_MAX = 19;

/** A lab setting from the environment that does not hold what it must (bad input, exit 64). */
export class LabSettingError extends Error {
  override name = 'LabSettingError';
}

export function motoNiceness(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[MOTO_NICENESS_VAR];
  if (text === undefined || text === '') return 0;
  const niceness = Number(text);
  if (!(Number.isSafeInteger(niceness) && niceness >= 0 && niceness <= NICENESS_MAX)) {
    throw new LabSettingError(
      `${MOTO_NICENESS_VAR}: expected a whole number 0..${NICENESS_MAX}, got "${text}"`,
    );
  }
  return niceness;
}

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
  niceness: number = motoNiceness(),
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
    args: [MOTO_SERVE, '--host', '127.0.0.1', '--port', String(port), '--nice', String(niceness)],
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
