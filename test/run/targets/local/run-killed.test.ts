/**
 * `paychaos run --target local` stopped mid-run, as a user or CI stops it. A SIGINT heals, reads
 * the final state and takes the lab down, copying the lab's logs into the run's logs/ (exit 2:
 * the rest of the scenario never ran). A SIGKILL leaves a history that `paychaos check` judges
 * unknown (exit 2, never valid), and `paychaos lab down` then leaves no process of the lab: every
 * recorded pid, every member of its process group and every process with the lab's mark is gone.
 * Each run uses its own lab directory (PAYCHAOS_LAB_DIR), so it cannot meet another test's lab.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labDirs, labDown, labUids } from '../../../../targets/local/lab.ts';
import {
  isAlive,
  markedProcesses,
  type ProcessRecord,
  recordedProcesses,
} from '../../../../targets/local/lab-process.ts';
import { waitUntil } from '../../../../targets/local/wait-until.ts';
import { runCli } from '../../../support/run-cli.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'paychaos.js');
const SCENARIO = join(import.meta.dirname, 'fixtures', 'lab-isolation.ts');
const LAB_LOGS = [
  'moto-ap-northeast-1.log',
  'moto-ap-northeast-3.log',
  'postgres-ap-northeast-1.log',
  'postgres-ap-northeast-3.log',
  'toxiproxy.log',
];

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startRun(out: string, labDir: string): Started {
  const child = spawn(process.execPath, [BIN, 'run', SCENARIO, '--target', 'local', '--out', out], {
    env: { ...process.env, PAYCHAOS_LAB_DIR: labDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
}

function runDirOf(out: string): string {
  const scenarioDir = join(out, 'lab-isolation');
  const [dir] = existsSync(scenarioDir) ? readdirSync(scenarioDir) : [];
  if (dir === undefined) throw new Error(`no run directory in ${scenarioDir} yet`);
  return join(scenarioDir, dir);
}

function clientInvokes(historyFile: string): number {
  if (!existsSync(historyFile)) return 0;
  return readFileSync(historyFile, 'utf8')
    .split('\n')
    .filter((line) => /"process":\d+/.test(line) && line.includes('"type":"invoke"')).length;
}

/** Waits until the run is under way: its load has sent a few requests. */
async function waitForLoad(out: string, stderr: () => string): Promise<void> {
  await waitUntil(
    `the run to send client ops (it said: ${stderr().slice(-500)})`,
    90_000,
    () => {
      try {
        return clientInvokes(join(runDirOf(out), 'history.jsonl')) >= 10;
      } catch {
        return false;
      }
    },
    100,
  );
}

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

describe.skipIf(enginesMissing !== undefined)('paychaos run --target local stopped mid-run', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  }, 60_000);

  function temp(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  function labIn(dir: string) {
    const dirs = labDirs(dir);
    cleanup.unshift(async () => {
      await labDown(dirs).catch(() => undefined);
    });
    return dirs;
  }

  it("by SIGINT: takes the lab down and keeps its logs in the run's logs/", async () => {
    const out = temp('paychaos-run-');
    const dirs = labIn(temp('paychaos-lab-'));
    const run = startRun(out, dirs.labDir);
    await waitForLoad(out, run.stderr);
    run.child.kill('SIGINT');
    const code = await run.exited;
    // 2: healed and read within 10 s of the signal; 130: gave up (the lab's heal can take longer).
    // Either way the lab went down and its logs came along.
    expect([2, 130], run.stderr()).toContain(code);
    expect(run.stderr()).not.toMatch(/internal error|\n\s+at /);
    const dir = runDirOf(out);
    // The heal after the signal wrote the bank's line (bank.log) beside the engines' logs.
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['bank.log', ...LAB_LOGS]);
    expect(readFileSync(join(dir, 'logs', 'toxiproxy.log'), 'utf8')).toMatch(/proxy/i);
    expect(recordedProcesses(dirs.pidDir)).toEqual([]);
    expect(markedProcesses(dirs.pidDir, labUids())).toEqual([]);
  }, 180_000);

  it('by SIGKILL: a checkable history judged unknown, and lab down leaves no process of the lab', async () => {
    const out = temp('paychaos-run-');
    const dirs = labIn(temp('paychaos-lab-'));
    const run = startRun(out, dirs.labDir);
    await waitForLoad(out, run.stderr);
    const recorded: ProcessRecord[] = recordedProcesses(dirs.pidDir);
    expect(recorded.map((r) => r.name).sort()).toEqual(LAB_LOGS.map((l) => l.replace('.log', '')));
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe(null);
    // The lab outlives its harness...
    expect(recorded.filter(isAlive).length).toBe(recorded.length);

    const dir = runDirOf(out);
    const check = runCli(['check', dir]);
    expect(check.code, check.stdout + check.stderr).toBe(2);
    expect(check.stdout).toMatch(/UNKNOWN/);
    expect(check.stdout).toMatch(/the history ends before its final state was read/);

    // ...until paychaos lab down, which leaves nothing of it.
    const down = runCli(['lab', 'down', '--dir', dirs.labDir]);
    expect(down.code, down.stderr).toBe(0);
    for (const record of recorded) expect(isAlive(record), record.name).toBe(false);
    expect(groupMembers(new Set(recorded.map((r) => r.pid)))).toEqual([]);
    expect(markedProcesses(dirs.pidDir, labUids())).toEqual([]);
    expect(recordedProcesses(dirs.pidDir)).toEqual([]);
  }, 180_000);
});
