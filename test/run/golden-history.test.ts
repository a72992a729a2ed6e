/**
 * The run layer's promise to the simulator: moving code around it changes no byte. The hash was
 * taken from `paychaos run scenarios/region-isolation.ts --seed 1` before the run layer existed
 * (issue 9) and is checked here against a real run through `paychaos run`; a change to the
 * simulator, the bank or the load driver that changes histories on purpose updates it, and says so.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const REGION_ISOLATION_SEED_1_SHA256 =
  'e7d5e30eec489bd5b640753c3ab7f0410dbcb7438943201227a185646ffd38cb';

const out = mkdtempSync(join(tmpdir(), 'paychaos-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the history of region-isolation, seed 1', () => {
  it('is byte for byte the one recorded before the run layer', () => {
    const run = runCli(['run', 'scenarios/region-isolation.ts', '--seed', '1', '--out', out]);
    expect(run.code).toBe(0);
    const history = readFileSync(join(out, 'latest', 'history.jsonl'));
    expect(createHash('sha256').update(history).digest('hex')).toBe(REGION_ISOLATION_SEED_1_SHA256);
  }, 120_000);
});
