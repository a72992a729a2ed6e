/**
 * CPU time of the lab's processes and of this process, for the lab section of the bench: a
 * server's CPU is the sum over it and its descendants (PostgreSQL's backends, walsender and
 * walreceiver included). Read from /proc; Linux only, as the lab is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { recordedProcesses } from '../targets/local/lab-process.ts';

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

export type CpuMs = Map<string, number>;

/** Fields of /proc/PID/stat after the command: [state, ppid, pgrp, ...]. */
function statFields(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU ms so far of every lab server (by its name) and of this process ("harness"). A server's
 * processes are it and its descendants: PostgreSQL's backends each start a session of their own
 * (setsid), so neither the process group nor the session finds them, the parent links do.
 */
export function sampleCpuMs(pidDir: string): CpuMs {
  const nameByPid = new Map(recordedProcesses(pidDir).map((r) => [r.pid, r.name]));
  const cpu: CpuMs = new Map([...nameByPid.values()].map((name) => [name, 0]));
  const parentOf = new Map<number, number>();
  const ticksOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === undefined) continue;
    const pid = Number(entry);
    parentOf.set(pid, Number(fields[1]));
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command. A server
    // also counts its children that exited and were reaped (cutime and cstime, 16 and 17): a
    // PostgreSQL backend whose connection closed between two samples took its CPU with it,
    // and the server's share came out negative.
    const reapedTicks = nameByPid.has(pid) ? Number(fields[13]) + Number(fields[14]) : 0;
    ticksOf.set(pid, Number(fields[11]) + Number(fields[12]) + reapedTicks);
  }
  for (const [pid, ticks] of ticksOf) {
    const name = serverOf(pid, parentOf, nameByPid);
    if (name !== undefined) cpu.set(name, (cpu.get(name) ?? 0) + (ticks * 1000) / TICKS_PER_S);
  }
  const self = process.cpuUsage();
  cpu.set('harness', (self.user + self.system) / 1000);
  return cpu;
}

/** Process trees are shallow; a longer walk is a cycle in a snapshot taken while pids moved. */
const ANCESTORS_MAX = 64;

function serverOf(
  pid: number,
  parentOf: Map<number, number>,
  nameByPid: Map<number, string>,
): string | undefined {
  let at: number | undefined = pid;
  for (let depth = 0; at !== undefined && at > 1 && depth < ANCESTORS_MAX; depth += 1) {
    const name = nameByPid.get(at);
    if (name !== undefined) return name;
    at = parentOf.get(at);
  }
  return undefined;
}

/** CPU used between two samples, as a share of one core over `wallMs`, largest first. */
export function cpuShares(before: CpuMs, after: CpuMs, wallMs: number): [string, number][] {
  return [...after]
    .map(([name, ms]): [string, number] => [name, (ms - (before.get(name) ?? 0)) / wallMs])
    .sort((a, b) => b[1] - a[1]);
}
