/**
 * The local lab on its own (`paychaos lab up|down|status`): moto per region, a PostgreSQL primary
 * in the writer region and a streaming replica in every other, Toxiproxy with a proxy on every
 * link (lab-links.ts). Everything binds 127.0.0.1 on free ports. State under the lab directory
 * (.paychaos/lab/ by default): pids/ (one file per process, written as it starts), logs/, data/
 * (the clusters), lab.json (ports and links, written once the lab is up).
 *
 * `down` stops every process with a pid file, whether or not lab.json was written, so a harness
 * SIGKILLed halfway through `up` leaves nothing `down` cannot find.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type EnginePaths, missingEngines, PROJECT_ROOT } from './engine-paths.ts';
import { type Link, labLinks, linkPort, sqlLink, walLink } from './lab-links.ts';
import {
  isAlive,
  markedProcesses,
  type ProcessRecord,
  recordedProcesses,
  stopProcess,
  sweepMarked,
} from './lab-process.ts';
import { motoNiceness, startMoto, waitMotoReady } from './moto-server.ts';
import {
  baseBackup,
  copyTemplate,
  type PostgresNode,
  postgresUser,
  setSyncStandbys,
  startPostgres,
  waitPostgresReady,
} from './postgres-node.ts';
import { startToxiproxy, waitToxiproxyReady } from './toxiproxy-server.ts';

export const REGIONS_DEFAULT = ['ap-northeast-1', 'ap-northeast-3'] as const;
/**
 * Every node's settings. A replica whose WAL stream broke retries after
 * wal_retrieve_retry_interval (5 s by default), and a promotion asked for meanwhile waits for
 * that retry (seen: 5 s); a link that comes back is streamed from as soon.
 */
const NODE_SETTINGS = ['-c', 'wal_retrieve_retry_interval=100ms'];

export const LAB_DIR_DEFAULT = join(PROJECT_ROOT, '.paychaos', 'lab');

/**
 * The lab directory `paychaos lab` and `run --target local` use: PAYCHAOS_LAB_DIR when set (so
 * that two checkouts' runs, or two test files, keep apart), else .paychaos/lab of the checkout.
 */
export function labDirDefault(): string {
  const fromEnv = process.env.PAYCHAOS_LAB_DIR;
  return fromEnv === undefined || fromEnv === '' ? LAB_DIR_DEFAULT : fromEnv;
}

/** The lab cannot start: an engine is not provisioned, or a lab is already up there. */
export class LabUnavailable extends Error {
  override name = 'LabUnavailable';
}

export interface LabState {
  regions: string[];
  writerRegion: string;
  toxiproxyApi: string;
  /** Direct endpoints (no proxy): for the harness's own reads, never for the bank. */
  moto: Record<string, { url: string }>;
  postgres: Record<string, { port: number; role: 'primary' | 'replica' }>;
  links: Record<string, Link>;
  upMs: number;
}

export interface LabDirs {
  labDir: string;
  pidDir: string;
  logDir: string;
  dataDir: string;
  stateFile: string;
}

export function labDirs(labDir: string = labDirDefault()): LabDirs {
  return {
    labDir,
    pidDir: join(labDir, 'pids'),
    logDir: join(labDir, 'logs'),
    dataDir: join(labDir, 'data'),
    stateFile: join(labDir, 'lab.json'),
  };
}

export interface LabUpOptions {
  dirs: LabDirs;
  engines: EnginePaths;
  regions: readonly string[];
  writerRegion: string;
}

function checkTopology(regions: readonly string[], writerRegion: string): void {
  if (regions.length < 1 || new Set(regions).size !== regions.length) {
    throw new Error(`the lab needs distinct regions, got ${regions.join(', ')}`);
  }
  for (const region of regions) {
    if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`bad region name "${region}"`);
  }
  if (!regions.includes(writerRegion)) {
    throw new Error(`the writer region ${writerRegion} is not one of ${regions.join(', ')}`);
  }
}

/** Clears what a stopped (or crashed) lab left, refusing while any of its processes runs. */
function prepare(dirs: LabDirs): void {
  const alive = recordedProcesses(dirs.pidDir).filter(isAlive);
  const aliveGroups = new Set(alive.map((record) => record.pid));
  // A recorded server's own children (postgres backends) share its group: not unrecorded.
  const unrecorded = markedProcesses(dirs.pidDir, labUids()).filter(
    (found) => !aliveGroups.has(found.pgrp),
  );
  if (alive.length > 0 || unrecorded.length > 0) {
    const names = [
      ...alive.map((record) => record.name),
      ...unrecorded.map((found) => `unrecorded pid ${found.pid}`),
    ].join(', ');
    throw new LabUnavailable(
      `a lab is already up in ${dirs.labDir} (${names}); run paychaos lab down first`,
    );
  }
  rmSync(dirs.pidDir, { recursive: true, force: true });
  rmSync(dirs.logDir, { recursive: true, force: true });
  rmSync(dirs.dataDir, { recursive: true, force: true });
  rmSync(dirs.stateFile, { force: true });
  mkdirSync(dirs.dataDir, { recursive: true });
  // The clusters run as the postgres user, who must be able to reach them (mkdtemp makes 0700).
  chmodSync(dirs.labDir, 0o755);
  chmodSync(dirs.dataDir, 0o755);
}

export async function labUp(options: LabUpOptions): Promise<LabState> {
  const { dirs, engines, regions, writerRegion } = options;
  checkTopology(regions, writerRegion);
  // Read before anything starts: a bad setting is refused with nothing to undo.
  const niceness = motoNiceness();
  const missing = missingEngines(engines);
  if (missing.length > 0) throw new LabUnavailable(missing.join('; '));
  prepare(dirs);
  const startedMs = Date.now();
  try {
    const state = await bringUp(options, niceness);
    state.upMs = Date.now() - startedMs;
    writeFileSync(dirs.stateFile, `${JSON.stringify(state, null, 2)}\n`);
    return state;
  } catch (error) {
    await labDown(dirs);
    throw error;
  }
}

async function bringUp(options: LabUpOptions, niceness: number): Promise<LabState> {
  const { dirs, engines, regions, writerRegion } = options;
  const user = postgresUser();
  const primaryDir = join(dirs.dataDir, `postgres-${writerRegion}`);
  // Everything slow starts at once: moto takes seconds to import, the rest waits on nothing.
  const motos = await Promise.all(
    regions.map((r) => startMoto(dirs, engines.motoServer, r, niceness)),
  );
  const toxiproxy = await startToxiproxy(dirs, engines.toxiproxyServer);
  await copyTemplate(dirs.pidDir, engines.pgTemplate, primaryDir);
  const primary = await startPostgres(
    dirs,
    engines.pgBin,
    user,
    `postgres-${writerRegion}`,
    primaryDir,
    NODE_SETTINGS,
  );
  await Promise.all([waitToxiproxyReady(toxiproxy), waitPostgresReady(primary)]);

  const links: Record<string, Link> = {};
  const proxy = async (spec: { name: string; from: string; to: string }, upstreamPort: number) => {
    const upstream = `127.0.0.1:${upstreamPort}`;
    const made = await toxiproxy.client.createProxy(spec.name, upstream);
    links[spec.name] = { ...spec, listen: made.listen, upstream };
    return made;
  };
  const nodes = new Map<string, PostgresNode>([[writerRegion, primary]]);
  for (const region of regions) {
    if (region === writerRegion) continue;
    const wal = await proxy(
      { name: walLink(writerRegion, region), from: writerRegion, to: region },
      primary.port,
    );
    const dataDir = join(dirs.dataDir, `postgres-${region}`);
    const walPort = linkPort(wal);
    await baseBackup(dirs.pidDir, engines.pgBin, user, dataDir, walPort);
    nodes.set(
      region,
      await startPostgres(dirs, engines.pgBin, user, `postgres-${region}`, dataDir, NODE_SETTINGS),
    );
  }
  await Promise.all([...nodes.values()].map(waitPostgresReady));
  // A replica is synchronous for commits that ask for remote_apply (the bank's "wait for
  // replication"); the others commit locally. Set once the base backups are taken, so that a
  // replica, promoted, does not inherit it (a failover sets it: targets/local/lab-aurora.ts).
  if (regions.length > 1) await setSyncStandbys(primary.port, true);
  await Promise.all(motos.map(waitMotoReady));

  const motoPort = new Map(regions.map((region, i) => [region, motos[i]!.port]));
  for (const spec of labLinks(regions, writerRegion)) {
    if (links[spec.name] !== undefined) continue;
    const upstreamPort = spec.name.startsWith('sql-')
      ? nodes.get(spec.to)!.port
      : motoPort.get(spec.to)!;
    await proxy(spec, upstreamPort);
  }
  checkLinks(links, regions, writerRegion);
  return {
    regions: [...regions],
    writerRegion,
    toxiproxyApi: toxiproxy.apiUrl,
    moto: Object.fromEntries(motos.map((m, i) => [regions[i]!, { url: m.url }])),
    postgres: Object.fromEntries(
      [...nodes].map(([region, node]) => [
        region,
        { port: node.port, role: region === writerRegion ? 'primary' : 'replica' },
      ]),
    ),
    links,
    upMs: 0,
  };
}

function checkLinks(
  links: Record<string, Link>,
  regions: readonly string[],
  writerRegion: string,
): void {
  const expected = labLinks(regions, writerRegion).map((link) => link.name);
  const made = Object.keys(links);
  if (made.length !== expected.length || !expected.every((name) => links[name] !== undefined)) {
    throw new Error(`lab links: made ${made.join(', ')}; expected ${expected.join(', ')}`);
  }
  if (links[sqlLink(writerRegion, writerRegion)] === undefined) {
    throw new Error('lab links: the writer region has no link to its own primary');
  }
}

/**
 * Stops every recorded process (all at once), removes the clusters' data and lab.json, and keeps
 * the logs (a run copies them). Returns the names of the processes it found.
 */
export async function labDown(dirs: LabDirs): Promise<string[]> {
  const records = recordedProcesses(dirs.pidDir);
  const results = await Promise.allSettled(records.map((r) => stopProcess(dirs.pidDir, r)));
  const failed = results.flatMap((result, i) =>
    result.status === 'rejected' ? [`${records[i]!.name}: ${String(result.reason)}`] : [],
  );
  if (failed.length > 0) throw new Error(`lab down: could not stop ${failed.join('; ')}`);
  const swept = await sweepMarked(dirs.pidDir, labUids());
  rmSync(dirs.dataDir, { recursive: true, force: true });
  rmSync(dirs.stateFile, { force: true });
  return [...records.map((record) => record.name), ...swept.map((pid) => `unrecorded pid ${pid}`)];
}

/**
 * The users the lab's processes run as: this one, and postgres when this one is root (the
 * clusters run as postgres). A marked process of any other user is none of the lab's.
 */
export function labUids(): ReadonlySet<number> {
  const own = process.getuid?.();
  if (own === undefined) throw new Error('the lab needs a POSIX system (no process uid here)');
  const uids = new Set([own]);
  if (own === 0) {
    try {
      uids.add(postgresUser().uid);
    } catch {
      // No postgres user: no cluster can have run as one.
    }
  }
  return uids;
}

export interface LabStatus {
  state: LabState | undefined;
  processes: { record: ProcessRecord; alive: boolean }[];
  /** Live processes with the lab's mark and no pid file (a harness killed as it spawned them). */
  unrecorded: number[];
}

export function labStatus(dirs: LabDirs): LabStatus {
  const state = existsSync(dirs.stateFile)
    ? (JSON.parse(readFileSync(dirs.stateFile, 'utf8')) as LabState)
    : undefined;
  const processes = recordedProcesses(dirs.pidDir).map((record) => ({
    record,
    alive: isAlive(record),
  }));
  const recordedAlive = new Set(processes.filter((p) => p.alive).map((p) => p.record.pid));
  const unrecorded = markedProcesses(dirs.pidDir, labUids())
    .filter((found) => !recordedAlive.has(found.pgrp))
    .map((found) => found.pid);
  return { state, processes, unrecorded };
}

/**
 * Copies every process's log (logs/NAME.log) into `toDir`, made if needed; returns the files
 * copied. The lab keeps its own copy until the next `up` clears it.
 */
export function copyLabLogs(dirs: LabDirs, toDir: string): string[] {
  if (!existsSync(dirs.logDir)) return [];
  const names = readdirSync(dirs.logDir).filter((name) => name.endsWith('.log'));
  if (names.length === 0) return [];
  mkdirSync(toDir, { recursive: true });
  for (const name of names) copyFileSync(join(dirs.logDir, name), join(toDir, name));
  return names;
}
