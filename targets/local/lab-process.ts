/**
 * The lab's server processes: each started detached in its own process group (it outlives a
 * harness that is SIGKILLed) with its output in a log file, and recorded at once in a pid file
 * — before anything waits on it — so that `lab down` finds every process the lab started. A
 * pid file holds the pid and the process's start time (from /proc), so a pid reused by an
 * unrelated process after a reboot or a crash is never signalled.
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
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
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
      env: spec.env ?? process.env,
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
