/**
 * A search that `stop` ends early: before any violation it says where to resume, and resuming
 * there runs exactly the candidates the uninterrupted search would have run next; while
 * shrinking, it keeps the smallest failure found so far.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SearchProgress, searchSchedules } from '../../explore/search.ts';
import type { Target } from '../../run/target.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';

const LWW = join(import.meta.dirname, '..', '..', 'scenarios', 'explore', 'lww-balance-update.ts');
const scratchDir = mkdtempSync(join(tmpdir(), 'paychaos-interrupted-search-'));
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));

/** The simulator, noting what each run ran. */
function recordingSim(): { target: Target; ran: string[] } {
  const ran: string[] = [];
  const target: Target = {
    ...simTarget,
    up: (options) => {
      ran.push(JSON.stringify([options.seed, options.scenario.faults, options.scenario.workloads]));
      return simTarget.up(options);
    },
  };
  return { target, ran };
}

async function search(
  scenario: ResolvedScenario,
  target: Target,
  runs: number,
  extra: {
    path?: string;
    stop?: AbortSignal;
    onProgress?: (progress: SearchProgress) => void;
  } = {},
) {
  return searchSchedules({
    target,
    scenario,
    runs,
    fcSeed: 2,
    shrinkStepsMax: 50,
    scratchDir,
    ...extra,
  });
}

describe('an interrupted search', () => {
  it('before any violation, resumes with exactly the candidates it had not run', async () => {
    const loaded = await loadScenario(LWW);
    const correct = { ...loaded, bank: { ...loaded.bank, bugs: [] } };
    const whole = recordingSim();
    const uninterrupted = await search(correct, whole.target, 7);
    expect(uninterrupted.found).toBe(false);
    expect(whole.ran).toHaveLength(7);

    const first = recordingSim();
    const stop = new AbortController();
    const cut = await search(correct, first.target, 7, {
      stop: stop.signal,
      onProgress: (progress) => {
        if (progress.runsDone === 3) stop.abort('SIGINT');
      },
    });
    expect(cut.found).toBe(false);
    if (cut.found) return;
    expect(cut.runsDone).toBe(3);
    expect(cut.resume?.runsLeft).toBe(4);
    const rest = recordingSim();
    const resumed = await search(correct, rest.target, 4, { path: cut.resume?.path ?? '' });
    expect(resumed.found).toBe(false);
    expect([...first.ran, ...rest.ran]).toEqual(whole.ran);
  }, 120_000);

  it('while shrinking, keeps the smallest failure found so far', async () => {
    const scenario = await loadScenario(LWW);
    const stop = new AbortController();
    const outcome = await search(scenario, simTarget, 30, {
      stop: stop.signal,
      onProgress: (progress) => {
        if (progress.phase === 'shrink') stop.abort('SIGINT');
      },
    });
    expect(outcome.found).toBe(true);
    if (!outcome.found) return;
    expect(outcome.shrinkCut).toBe(true);
    expect(outcome.shrinkSteps).toBeLessThanOrEqual(1);
    expect(outcome.anomalyTypes.length).toBeGreaterThan(0);
  }, 120_000);
});
