/**
 * CPU time of the lab's processes and of this process, for the lab section of the bench: each
 * lab server is the leader of its own process group (targets/local/lab-process.ts), so a server's
 * CPU is the sum over its group (PostgreSQL's backends, walsender and walreceiver included).
 * Read from /proc; Linux only, as the lab is.
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

/** CPU ms so far of every lab server (by its name) and of this process ("harness"). */
export function sampleCpuMs(pidDir: string): CpuMs {
  const nameByGroup = new Map(recordedProcesses(pidDir).map((r) => [r.pid, r.name]));
  const cpu: CpuMs = new Map([...nameByGroup.values()].map((name) => [name, 0]));
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const fields = statFields(pid);
    if (fields === undefined) continue;
    const name = nameByGroup.get(Number(fields[2]));
    if (name === undefined) continue;
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
    const ticks = Number(fields[11]) + Number(fields[12]);
    cpu.set(name, (cpu.get(name) ?? 0) + (ticks * 1000) / TICKS_PER_S);
  }
  const self = process.cpuUsage();
  cpu.set('harness', (self.user + self.system) / 1000);
  return cpu;
}

/** CPU used between two samples, as a share of one core over `wallMs`, largest first. */
export function cpuShares(before: CpuMs, after: CpuMs, wallMs: number): [string, number][] {
  return [...after]
    .map(([name, ms]): [string, number] => [name, (ms - (before.get(name) ?? 0)) / wallMs])
    .sort((a, b) => b[1] - a[1]);
}
