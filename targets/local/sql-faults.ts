/**
 * Faults on the lab's PostgreSQL nodes (the Aurora global stand-in), by region: kill (SIGKILL
 * to the postmaster and its group, as a crashed instance), restart (the same data directory,
 * port and settings), replica lag (recovery_min_apply_delay, or replay paused), and promotion of a
 * replica (pg_promote: detach and promote). Network faults on the SQL and WAL links are
 * LinkFaults'; failover as a whole — the writer endpoint, fencing and re-joining an old
 * primary as a replica — is LabAurora's (lab-aurora.ts), on these pieces.
 */
import pg from 'pg';
import type { LabDirs, LabState } from './lab.ts';
import {
  isAlive,
  type ProcessRecord,
  recordedProcesses,
  startProcess,
  stopProcess,
} from './lab-process.ts';
import { pgConfig, postgresUser, waitPostgresReady } from './postgres-node.ts';

const APPLY_DELAY_MS_MAX = 3_600_000;
const PROMOTE_WAIT_S = 30;

export class LabSqlFaults {
  constructor(
    private readonly state: LabState,
    private readonly dirs: LabDirs,
  ) {}

  /** SIGKILL to the node's postmaster and every backend: nothing is shut down cleanly. */
  async kill(region: string): Promise<void> {
    const record = this.record(region);
    if (!isAlive(record)) throw new Error(`postgres in ${region} is not running`);
    process.kill(-record.pid, 'SIGKILL');
    await stopProcess(this.dirs.pidDir, record);
  }

  /** Starts a killed node again on its data directory, port and settings. */
  async restart(region: string, killed: ProcessRecord): Promise<ProcessRecord> {
    if (recordedProcesses(this.dirs.pidDir).some((r) => r.name === killed.name)) {
      throw new Error(`restart ${region}: postgres there is still recorded as running`);
    }
    const user = postgresUser();
    const record = startProcess(this.dirs.pidDir, this.dirs.logDir, {
      name: killed.name,
      exe: killed.exe,
      args: killed.args,
      stopSignal: killed.stopSignal,
      uid: user.uid,
      gid: user.gid,
    });
    await waitPostgresReady({ record, port: this.port(region), dataDir: '' });
    return record;
  }

  /** Replica lag: each commit is applied on the replica no earlier than `lagMs` after it. */
  async setApplyDelayMs(region: string, lagMs: number): Promise<void> {
    if (!(Number.isSafeInteger(lagMs) && lagMs >= 0 && lagMs <= APPLY_DELAY_MS_MAX)) {
      throw new Error(`apply delay must be a whole number of ms in 0..${APPLY_DELAY_MS_MAX}`);
    }
    await this.sql(region, [
      `ALTER SYSTEM SET recovery_min_apply_delay = '${lagMs}ms'`,
      'SELECT pg_reload_conf()',
    ]);
  }

  async pauseReplay(region: string): Promise<void> {
    await this.sql(region, ['SELECT pg_wal_replay_pause()']);
  }

  async resumeReplay(region: string): Promise<void> {
    await this.sql(region, ['SELECT pg_wal_replay_resume()']);
  }

  /** Detach and promote: the replica becomes a writer with what it had applied. */
  async promote(region: string): Promise<void> {
    const [result] = await this.sql(
      region,
      [`SELECT pg_promote(true, ${PROMOTE_WAIT_S}) AS done`],
      (PROMOTE_WAIT_S + 5) * 1000,
    );
    if (result?.rows[0]?.done !== true) {
      throw new Error(`postgres in ${region} was not promoted within ${PROMOTE_WAIT_S} s`);
    }
  }

  record(region: string): ProcessRecord {
    const name = `postgres-${region}`;
    const record = recordedProcesses(this.dirs.pidDir).find((r) => r.name === name);
    if (record === undefined) throw new Error(`no postgres recorded in ${region}`);
    return record;
  }

  private port(region: string): number {
    const node = this.state.postgres[region];
    if (node === undefined) throw new Error(`no postgres node in ${region}`);
    return node.port;
  }

  /** Runs statements on the node directly (no proxy: the harness's own control channel). */
  private async sql(
    region: string,
    statements: readonly string[],
    timeoutMs?: number,
  ): Promise<pg.QueryResult[]> {
    const client = new pg.Client(pgConfig(this.port(region), timeoutMs));
    client.on('error', () => {});
    await client.connect();
    try {
      const results: pg.QueryResult[] = [];
      for (const statement of statements) results.push(await client.query(statement));
      return results;
    } finally {
      await client.end().catch(() => {});
    }
  }
}
