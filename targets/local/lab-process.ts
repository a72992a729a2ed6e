/**
 * The lab's server processes: each started detached in its own process group (it outlives a
 * harness that is SIGKILLed) with its output in a log file, and recorded at once in a pid file
 * — before anything waits on it — so that `lab down` finds every process the lab started. A
 * pid file holds the pid and the process's start time (from /proc), so a pid reused by an
 * unrelated process after a reboot or a crash is never signalled.
 *
 * The pid file is written by the harness after spawn returns; a harness SIGKILLed in between
 * leaves a server with no record. So every process is also started with a mark in its
 * environment, LAB_MARK_VAR=<the lab's pid directory>, set by the kernel at exec (before the
 * server runs a single instruction) and inherited by its children: `sweepMarked` finds, through
 * /proc/PID/environ, the processes of the given uids whose environment holds exactly that entry.
 * The harness never puts the mark in its own environment, so it and its other children (other
 * labs of the same test process) never carry it.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { sleepMs, waitUntil } from './wait-until.ts';

export interface ProcessRecord {
  name: string;
  pid: number;
  /** Clock ticks since boot at which the process started (/proc/PID/stat field 22). */
  startTicks: number;
  exe: string;
  args: string[];
  log: string;
  /** The signal that shuts it down cleanly (postgres: SIGINT, its fast shutdown). */
  stopSignal: NodeJS.Signals;
}

export interface ProcessSpec {
  name: string;
  exe: string;
  args: string[];
  stopSignal?: NodeJS.Signals;
  /** Run as this user (postgres refuses root). */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9.-]*$/;
/** How long a stopped process may take before it and its group are SIGKILLed. */
const STOP_GRACE_MS = 5_000;
const KILL_WAIT_MS = 5_000;

/** The environment variable that marks a process as this lab's (see the file's comment). */
export const LAB_MARK_VAR = 'PAYCHAOS_LAB_PIDS';

/**
 * The environment of a lab process, or of a short-lived command the lab runs for itself (cp of
 * the template, pg_basebackup): marked, so that `lab down` after a SIGKILLed harness also finds a
 * copy still writing into the data directory it is about to remove.
 */
export function markedEnv(pidDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, [LAB_MARK_VAR]: resolve(pidDir) };
}

function markEntry(pidDir: string): string {
  return `${LAB_MARK_VAR}=${resolve(pidDir)}`;
}

function pidFile(pidDir: string, name: string): string {
  return join(pidDir, `${name}.json`);
}

/** /proc/PID/stat fields after the command name: state, ppid, pgrp, ... starttime (22nd). */
function procStat(pid: number): { state: string; pgrp: number; startTicks: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0]!, pgrp: Number(fields[2]), startTicks: Number(fields[19]) };
}

/** Whether the recorded process is still running (a zombie counts as gone). */
export function isAlive(record: Pick<ProcessRecord, 'pid' | 'startTicks'>): boolean {
  const stat = procStat(record.pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTicks === record.startTicks;
}

/** Live processes of a process group (a postmaster's backends share its group). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
}

export function startProcess(pidDir: string, logDir: string, spec: ProcessSpec): ProcessRecord {
  if (!NAME_PATTERN.test(spec.name)) throw new Error(`bad lab process name "${spec.name}"`);
  mkdirSync(pidDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  if (existsSync(pidFile(pidDir, spec.name))) {
    throw new Error(`lab process ${spec.name} is already recorded in ${pidDir}`);
  }
  const log = join(logDir, `${spec.name}.log`);
  const fd = openSync(log, 'a');
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(spec.exe, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: markedEnv(pidDir, spec.env),
      ...(spec.uid === undefined ? {} : { uid: spec.uid }),
      ...(spec.gid === undefined ? {} : { gid: spec.gid }),
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.exe} for ${spec.name}`);
  child.on('error', () => {});
  child.unref();
  const stat = procStat(pid);
  if (stat === undefined) throw new Error(`${spec.name} (pid ${pid}) exited at once; see ${log}`);
  const record: ProcessRecord = {
    name: spec.name,
    pid,
    startTicks: stat.startTicks,
    exe: spec.exe,
    args: spec.args,
    log,
    stopSignal: spec.stopSignal ?? 'SIGTERM',
  };
  writeFileSync(pidFile(pidDir, spec.name), `${JSON.stringify(record)}\n`);
  return record;
}

export function recordedProcesses(pidDir: string): ProcessRecord[] {
  if (!existsSync(pidDir)) return [];
  return readdirSync(pidDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(pidDir, name), 'utf8')) as ProcessRecord);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Stops a recorded process: its stop signal, then SIGKILL to its whole group after the grace
 * time; waits until no process of the group is left and removes the pid file.
 */
export async function stopProcess(pidDir: string, record: ProcessRecord): Promise<void> {
  if (isAlive(record)) {
    // Only the recorded process is signalled gracefully; its group (whose id is its pid, as it
    // was started detached) is killed only while the recorded process is still the leader.
    process.kill(record.pid, record.stopSignal);
    const deadlineMs = Date.now() + STOP_GRACE_MS;
    while (isAlive(record) && Date.now() < deadlineMs) await sleepMs(20);
    signalGroup(record.pid, 'SIGKILL');
  }
  // A leader that died (SIGKILLed postmaster) may leave members behind. The kernel never reuses a
  // pid that is still some group's id, so while no process has the recorded pid, members of that
  // group are the recorded process's own; a pid taken by another process means ours are gone.
  const ownGroup = () => {
    const stat = procStat(record.pid);
    return stat === undefined || stat.startTicks === record.startTicks;
  };
  if (ownGroup() && groupMembers(record.pid).length > 0) signalGroup(record.pid, 'SIGKILL');
  await waitUntil(`${record.name} (pid ${record.pid}) to exit`, KILL_WAIT_MS, () => {
    return !isAlive(record) && (!ownGroup() || groupMembers(record.pid).length === 0);
  });
  rmSync(pidFile(pidDir, record.name), { force: true });
}

/** A live process that carries a lab's mark. */
export interface MarkedProcess {
  pid: number;
  startTicks: number;
  uid: number;
  /** Its process group: a recorded server's own children share the server's. */
  pgrp: number;
}

function environOf(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    // Gone, or not ours to read: either way not a process this lab can stop.
    return undefined;
  }
}

/**
 * Live processes owned by one of `uids` whose environment holds this lab's mark exactly (another
 * lab's directory, even one whose path starts with this one's, is a different entry). The
 * calling process is never among them.
 */
export function markedProcesses(pidDir: string, uids: ReadonlySet<number>): MarkedProcess[] {
  const entry = markEntry(pidDir);
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let uid: number;
    try {
      uid = statSync(`/proc/${name}`).uid;
    } catch {
      continue;
    }
    if (!uids.has(uid)) continue;
    const stat = procStat(pid);
    if (stat === undefined || stat.state === 'Z') continue;
    if (environOf(pid)?.includes(entry) !== true) continue;
    found.push({ pid, startTicks: stat.startTicks, uid, pgrp: stat.pgrp });
  }
  return found;
}

/**
 * SIGKILLs every process that carries the lab's mark (each that leads a process group, its
 * group too) and waits until none is left. Meant for after the recorded processes were stopped:
 * what it finds had no record. Returns the pids it killed.
 */
export async function sweepMarked(pidDir: string, uids: ReadonlySet<number>): Promise<number[]> {
  const marked = markedProcesses(pidDir, uids);
  for (const found of marked) {
    const stat = procStat(found.pid);
    // Checked again right before the signal: the pid must still be the process that was marked.
    if (stat === undefined || stat.startTicks !== found.startTicks) continue;
    if (stat.pgrp === found.pid) signalGroup(found.pid, 'SIGKILL');
    else signalPid(found.pid, 'SIGKILL');
  }
  await waitUntil(
    `the lab's unrecorded processes (${marked.map((m) => m.pid).join(', ')}) to exit`,
    KILL_WAIT_MS,
    () => marked.every((found) => !isAlive(found)),
  );
  return marked.map((found) => found.pid);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
