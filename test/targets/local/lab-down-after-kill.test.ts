import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labDirs, labDown, labUids } from '../../../targets/local/lab.ts';
import {
  isAlive,
  markedProcesses,
  type ProcessRecord,
  recordedProcesses,
} from '../../../targets/local/lab-process.ts';
import { waitUntil } from '../../../targets/local/wait-until.ts';
import { enginesMissing } from './support/engines.ts';

const HARNESS = join(import.meta.dirname, 'support', 'lab-up-and-hang.ts');

/** Processes whose process group is one of the lab's (postgres backends included). */
function groupMembers(pgids: ReadonlySet<number>): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && pgids.has(Number(fields[2]))) members.push(Number(entry));
  }
  return members;
}

function startHarness(dir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', HARNESS, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

describe.skipIf(enginesMissing !== undefined)('lab down after the harness was SIGKILLed', () => {
  let dir = '';
  afterEach(async () => {
    if (dir !== '') {
      await labDown(labDirs(dir));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  async function killAndDown(harness: ChildProcess, records: () => ProcessRecord[]) {
    harness.kill('SIGKILL');
    await new Promise((resolve) => harness.once('exit', resolve));
    const recorded = records();
    expect(recorded.length).toBeGreaterThan(0);
    await labDown(labDirs(dir));
    for (const record of recorded) expect(isAlive(record), record.name).toBe(false);
    expect(groupMembers(new Set(recorded.map((r) => r.pid)))).toEqual([]);
    expect(recordedProcesses(labDirs(dir).pidDir)).toEqual([]);
    // Also what it started but had not recorded yet when it died: every process with the mark.
    expect(markedProcesses(labDirs(dir).pidDir, labUids())).toEqual([]);
  }

  it('stops every recorded process of a lab that was up', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paychaos-lab-'));
    const harness = startHarness(dir);
    let out = '';
    harness.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    await waitUntil('the harness to bring the lab up', 60_000, () => out.includes('up\n'));
    const { pidDir } = labDirs(dir);
    const before = recordedProcesses(pidDir);
    expect(before.map((r) => r.name).sort()).toEqual([
      'moto-ap-northeast-1',
      'moto-ap-northeast-3',
      'postgres-ap-northeast-1',
      'postgres-ap-northeast-3',
      'toxiproxy',
    ]);
    expect(before.every(isAlive)).toBe(true);
    await killAndDown(harness, () => before);
  }, 90_000);

  it('stops what a harness killed halfway through up had started', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paychaos-lab-'));
    const harness = startHarness(dir);
    const { pidDir } = labDirs(dir);
    await waitUntil('the first lab process', 30_000, () => {
      return existsSync(pidDir) && readdirSync(pidDir).length >= 2;
    });
    await killAndDown(harness, () => recordedProcesses(pidDir));
  }, 90_000);
});
