/**
 * The run layer's promise to the simulator: moving code around it changes no byte. The hash was
 * taken from `paychaos run scenarios/region-isolation.ts --seed 1` before the run layer existed
 * (issue 9) and is checked here against a real run through `paychaos run`; a change to the
 * simulator, the bank or the load driver that changes histories on purpose updates it, and says so.
 *
 * Updated on purpose once (issue 10): runs now write a `plan` setup line and an `end` final line
 * (docs/history-format.md). Without those two lines, and indices renumbered, the history is still
 * byte for byte the one recorded before the run layer; the test holds both.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

const REGION_ISOLATION_SEED_1_SHA256 =
  '59e22635e37ac56988ecff58987c87f980ff4b7cc4141b704170906b24fa926f';
/** The same history before it promised and sealed its final reads. */
const BEFORE_PLAN_AND_END_SHA256 =
  'e7d5e30eec489bd5b640753c3ab7f0410dbcb7438943201227a185646ffd38cb';

function withoutPlanAndEnd(history: string): string {
  const kept = history
    .split('\n')
    .slice(0, -1)
    .filter(
      (line) =>
        !/^\{"index":\d+,"time":\d+,"process":"(setup","type":"ok","f":"plan"|final","type":"ok","f":"end")/.test(
          line,
        ),
    );
  return kept
    .map((line, index) => `${line.replace(/^\{"index":\d+,/, `{"index":${index},`)}\n`)
    .join('');
}

const out = mkdtempSync(join(tmpdir(), 'paychaos-golden-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the history of region-isolation, seed 1', () => {
  it('is byte for byte the one recorded before the run layer', () => {
    const run = runCli(['run', 'scenarios/region-isolation.ts', '--seed', '1', '--out', out]);
    expect(run.code).toBe(0);
    const history = readFileSync(join(out, 'latest', 'history.jsonl'));
    expect(createHash('sha256').update(history).digest('hex')).toBe(REGION_ISOLATION_SEED_1_SHA256);
    const before = withoutPlanAndEnd(history.toString('utf8'));
    expect(createHash('sha256').update(before).digest('hex')).toBe(BEFORE_PLAN_AND_END_SHA256);
  }, 120_000);
});
