/**
 * moto's server as the lab starts it: answering, at the niceness asked for — every thread of it,
 * since Linux's niceness is per thread and waitress's threads inherit it only if it is set
 * before they start — and PAYCHAOS_MOTO_NICENESS read as a whole number 0..19.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enginePaths } from '../../../targets/local/engine-paths.ts';
import { stopProcess } from '../../../targets/local/lab-process.ts';
import {
  MOTO_NICENESS_VAR,
  type MotoServer,
  motoNiceness,
  startMoto,
  waitMotoReady,
} from '../../../targets/local/moto-server.ts';
import { enginesMissing } from './support/engines.ts';

/** Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command's closing parenthesis. */
function niceness(statText: string): number {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  return Number(fields[16]);
}

describe('PAYCHAOS_MOTO_NICENESS', () => {
  it('is 0 when unset or empty, and a whole number 0..19 when set', () => {
    expect(motoNiceness({})).toBe(0);
    expect(motoNiceness({ [MOTO_NICENESS_VAR]: '' })).toBe(0);
    expect(motoNiceness({ [MOTO_NICENESS_VAR]: '10' })).toBe(10);
    for (const bad of ['-1', '20', '2.5', 'low']) {
      expect(() => motoNiceness({ [MOTO_NICENESS_VAR]: bad })).toThrow(
        `PAYCHAOS_MOTO_NICENESS: expected a whole number 0..19, got "${bad}"`,
      );
    }
  });
});

describe.skipIf(enginesMissing !== undefined)("moto's server", () => {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-moto-'));
  const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
  let moto: MotoServer | undefined;

  afterAll(async () => {
    if (moto !== undefined) await stopProcess(dirs.pidDir, moto.record);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers, every thread of it at the niceness asked for', async () => {
    moto = await startMoto(dirs, enginePaths().motoServer, 'ap-northeast-1', 10);
    await waitMotoReady(moto);
    const tasks = readdirSync(`/proc/${moto.record.pid}/task`);
    // waitress's threads are up once it answers: more than the main thread.
    expect(tasks.length).toBeGreaterThan(1);
    for (const tid of tasks) {
      const stat = readFileSync(`/proc/${moto.record.pid}/task/${tid}/stat`, 'utf8');
      expect(niceness(stat)).toBe(10);
    }
  }, 60_000);
});
