/**
 * PostgreSQL nodes of the Aurora stand-in: a primary from a copy of the template cluster (cp -a:
 * ~0.2 s, where initdb takes 3-5 s) and a streaming replica made with pg_basebackup -R through
 * the WAL link's proxy, so that the replica's primary_conninfo goes through Toxiproxy. The server
 * refuses to run as root: it is spawned as the `postgres` user (uid/gid of the spawn, which execs
 * the postmaster itself, so the recorded pid is the postmaster's).
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { markedEnv, type ProcessRecord, startProcess } from './lab-process.ts';
import { ownsListeningPort } from './port-owner.ts';
import { waitUntil } from './wait-until.ts';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 30_000;
const BASEBACKUP_TIMEOUT_MS = 60_000;

export interface PostgresUser {
  uid: number;
  gid: number;
}

export function postgresUser(): PostgresUser {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === 'postgres') return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('no user postgres on this machine: run scripts/provision-postgres.sh');
}

export interface PostgresNode {
  record: ProcessRecord;
  port: number;
  dataDir: string;
}

/** A fresh cluster directory copied from the template (ownership and modes kept). */
export async function copyTemplate(
  pidDir: string,
  template: string,
  dataDir: string,
): Promise<void> {
  await run('cp', ['-a', template, dataDir], {
    timeout: BASEBACKUP_TIMEOUT_MS,
    env: markedEnv(pidDir),
  });
}

/** A replica's data directory, streamed from the primary as seen at `host:port`. */
export async function baseBackup(
  pidDir: string,
  pgBin: string,
  user: PostgresUser,
  dataDir: string,
  primaryPort: number,
): Promise<void> {
  mkdirSync(dataDir, { mode: 0o700 });
  chownSync(dataDir, user.uid, user.gid);
  const args = ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', dataDir];
  await run(join(pgBin, 'pg_basebackup'), [...args, '-R', '-X', 'stream', '-c', 'fast', '-N'], {
    uid: user.uid,
    gid: user.gid,
    timeout: BASEBACKUP_TIMEOUT_MS,
    env: markedEnv(pidDir),
  });
}

export async function startPostgres(
  dirs: { pidDir: string; logDir: string },
  pgBin: string,
  user: PostgresUser,
  name: string,
  dataDir: string,
  settings: readonly string[],
): Promise<PostgresNode> {
  const port = await freePort();
  const record = startProcess(dirs.pidDir, dirs.logDir, {
    name,
    exe: join(pgBin, 'postgres'),
    args: ['-D', dataDir, '-p', String(port), ...settings],
    stopSignal: 'SIGINT',
    uid: user.uid,
    gid: user.gid,
  });
  return { record, port, dataDir };
}

/** A client config for the node (or for a proxy in front of it). */
export function pgConfig(port: number, timeoutMs = 5_000): pg.ClientConfig {
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  };
}

/**
 * Whether a primary's commits that ask for remote_apply wait for its replicas: '*' (one of them,
 * whichever) or none. Set with ALTER SYSTEM, not on the command line, which ALTER SYSTEM cannot
 * override: a failover turns it off on a promoted node until it has a replica again, and on an
 * old writer that is detached and left running. Returns once a new session sees the value.
 */
export async function setSyncStandbys(port: number, on: boolean): Promise<void> {
  const value = on ? '*' : '';
  await withClient(port, async (client) => {
    await client.query(`ALTER SYSTEM SET synchronous_standby_names = '${value}'`);
    await client.query('SELECT pg_reload_conf()');
  });
  await waitUntil(`synchronous_standby_names = '${value}' on port ${port}`, READY_TIMEOUT_MS, () =>
    withClient(port, async (client) => {
      const result = await client.query<{ names: string }>('SELECT current_setting($1) AS names', [
        'synchronous_standby_names',
      ]);
      return result.rows[0]?.names === value;
    }),
  );
}

/** One connection to a node directly (the harness's control channel), closed after `fn`. */
export async function withClient<T>(
  port: number,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(pgConfig(port));
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export function waitPostgresReady(node: PostgresNode): Promise<void> {
  const what = `postgres ${node.record.name} on port ${node.port} (log ${node.record.log})`;
  return waitUntil(what, READY_TIMEOUT_MS, async () => {
    const client = new pg.Client(pgConfig(node.port, 2_000));
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return ownsListeningPort(node.record.pid, node.port);
    } finally {
      await client.end().catch(() => {});
    }
  });
}
