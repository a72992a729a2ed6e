/**
 * The lab's orphan sweep, with no engine: a process the lab started but never recorded (its
 * harness SIGKILLed between spawn and the pid file) is found by the mark in its environment and
 * stopped by `lab down`, with its children; a neighbour lab's processes (a pid directory whose
 * path merely starts with this one's) and unmarked processes are left alone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labDirs, labDown, labStatus, labUids } from '../../../targets/local/lab.ts';
import {
  isAlive,
  LAB_MARK_VAR,
  markedProcesses,
  type ProcessRecord,
  recordedProcesses,
  startProcess,
} from '../../../targets/local/lab-process.ts';
import { waitUntil } from '../../../targets/local/wait-until.ts';

function startTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('lab down sweeps the processes it has no record of', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const step of cleanup.splice(0)) step();
  });

  function tempLab() {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-sweep-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return labDirs(dir);
  }

  function killLater(pid: number): void {
    cleanup.push(() => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    });
  }

  function unrecord(pidDir: string, record: ProcessRecord): void {
    rmSync(join(pidDir, `${record.name}.json`));
  }

  it('stops an unrecorded process and its children, and leaves a neighbour lab and unmarked ones', async () => {
    const dirs = tempLab();
    const recorded = startProcess(dirs.pidDir, dirs.logDir, {
      name: 'sleeper',
      exe: '/bin/sleep',
      args: ['60'],
    });
    // A server with a child, as the harness would leave it had it died before the pid file.
    const orphan = startProcess(dirs.pidDir, dirs.logDir, {
      name: 'orphan',
      exe: '/bin/sh',
      args: ['-c', 'sleep 60 & wait'],
    });
    unrecord(dirs.pidDir, orphan);
    killLater(orphan.pid);
    const neighbourPids = `${dirs.pidDir}2`;
    const neighbour = startProcess(neighbourPids, dirs.logDir, {
      name: 'neighbour',
      exe: '/bin/sleep',
      args: ['60'],
    });
    killLater(neighbour.pid);
    const plain: ChildProcess = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    killLater(plain.pid!);

    await waitUntil('the orphan to start its child', 5_000, () =>
      markedProcesses(dirs.pidDir, labUids()).some((found) => found.pid !== orphan.pid),
    );
    const marked = markedProcesses(dirs.pidDir, labUids());
    const orphanChild = marked.find(
      (found) => found.pgrp === orphan.pid && found.pid !== orphan.pid,
    );
    expect(orphanChild).toBeDefined();
    expect(marked.map((found) => found.pid).sort()).toEqual(
      [recorded.pid, orphan.pid, orphanChild!.pid].sort(),
    );
    expect(labStatus(dirs).unrecorded.sort()).toEqual([orphan.pid, orphanChild!.pid].sort());

    const stopped = await labDown(dirs);
    expect(stopped).toContain('sleeper');
    expect(stopped).toContain(`unrecorded pid ${orphan.pid}`);
    expect(isAlive(recorded)).toBe(false);
    expect(alive(orphan.pid)).toBe(false);
    expect(alive(orphanChild!.pid)).toBe(false);
    expect(markedProcesses(dirs.pidDir, labUids())).toEqual([]);
    expect(recordedProcesses(dirs.pidDir)).toEqual([]);
    // Not this lab's: untouched.
    expect(isAlive(neighbour)).toBe(true);
    expect(alive(plain.pid!)).toBe(true);
    expect(startTicksOf(neighbour.pid)).toBe(neighbour.startTicks);
  });

  it('never marks the harness itself, so a sweep cannot reach it or its other children', () => {
    expect(process.env[LAB_MARK_VAR]).toBeUndefined();
    const dirs = tempLab();
    const record = startProcess(dirs.pidDir, dirs.logDir, {
      name: 'marked',
      exe: '/bin/sleep',
      args: ['60'],
    });
    killLater(record.pid);
    expect(process.env[LAB_MARK_VAR]).toBeUndefined();
    const environ = readFileSync(`/proc/${record.pid}/environ`, 'latin1').split('\0');
    expect(environ).toContain(`${LAB_MARK_VAR}=${dirs.pidDir}`);
  });
});
