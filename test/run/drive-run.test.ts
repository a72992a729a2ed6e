import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../history/writer.ts';
import { driveRun } from '../../run/drive-run.ts';
import type { LoadEngine } from '../../run/load-engine.ts';
import { QUIET_REPORTER, type RunProgress } from '../../run/reporter.ts';
import {
  type Target,
  TargetFailure,
  type TargetSession,
  UnsupportedFault,
} from '../../run/target.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';

const SCENARIO = join(import.meta.dirname, '..', 'cli', 'fixtures', 'short-isolation.ts');
const dir = mkdtempSync(join(tmpdir(), 'paychaos-drive-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The simulator, with `change` applied to every session it brings up, counting downs. */
function wrappedSim(change: (session: TargetSession) => Partial<TargetSession>) {
  const counts = { ups: 0, downs: 0 };
  const target: Target = {
    name: 'wrapped-sim',
    faults: simTarget.faults,
    up: async (options) => {
      counts.ups += 1;
      const session = await simTarget.up(options);
      return {
        ...session,
        down: () => {
          counts.downs += 1;
          return session.down();
        },
        ...change(session),
      };
    },
  };
  return { target, counts };
}

async function drive(target: Target, name: string, onProgress?: (p: RunProgress) => void) {
  const history = new HistoryWriter(join(dir, `${name}.jsonl`));
  const reporter = { ...QUIET_REPORTER, ...(onProgress ? { progress: onProgress } : {}) };
  try {
    return await driveRun({
      target,
      scenario: await loadScenario(SCENARIO),
      seed: 5,
      history,
      reporter,
    });
  } finally {
    history.close();
  }
}

describe('driveRun', () => {
  it('refuses a fault the target does not support, by name, before the target comes up', async () => {
    const { target, counts } = wrappedSim(() => ({}));
    const partial: Target = { ...target, name: 'no-isolate', faults: ['partition'] };
    const refusal = drive(partial, 'refused');
    await expect(refusal).rejects.toThrow(UnsupportedFault);
    await expect(drive(partial, 'refused-2')).rejects.toThrow(
      'target no-isolate cannot inject isolate (faults[0] of the scenario); it supports partition',
    );
    expect(counts.ups).toBe(0);
  });

  it('under an external load engine, refuses by name a fault the target applies only to its own clients', async () => {
    const { target, counts } = wrappedSim(() => ({}));
    const gated: Target = {
      ...target,
      name: 'gated',
      faultsRefusedUnderExternalLoad: { isolate: 'it cuts only its own clients' },
    };
    let starts = 0;
    const engine: LoadEngine = {
      name: 'elsewhere',
      version: () => '1.0.0',
      start: () => {
        starts += 1;
        return Promise.reject(new Error('the engine must not start'));
      },
    };
    const history = new HistoryWriter(join(dir, 'external-refused.jsonl'));
    const refusal = driveRun({
      target: gated,
      scenario: await loadScenario(SCENARIO),
      seed: 5,
      history,
      reporter: QUIET_REPORTER,
      load: engine,
    }).finally(() => history.close());
    await expect(refusal).rejects.toThrow(
      `target gated (--load elsewhere) cannot inject isolate (faults[0] of the scenario): it cuts only its own clients; it supports ${gated.faults.filter((kind) => kind !== 'isolate').join(', ')}`,
    );
    expect(counts.ups).toBe(0);
    expect(starts).toBe(0);
    // The same target with the load in this process injects it.
    await expect(drive(gated, 'in-process')).resolves.toMatchObject({ lostCommits: 0 });
  });

  it('reports every phase in order through the injected reporter', async () => {
    const phases: string[] = [];
    const outcome = await drive(simTarget, 'phases', (p) => {
      if (phases.at(-1) !== p.phase) phases.push(p.phase);
    });
    expect(phases).toEqual(['setup', 'load', 'settle', 'final-state']);
    expect(outcome.runMs).toBeGreaterThanOrEqual(8_000);
    expect(outcome.lostCommits).toBe(0);
  });

  it('brings the target down when the run fails, and rethrows the failure', async () => {
    const { target, counts } = wrappedSim(() => ({
      heal: () => Promise.reject(new Error('replication never quiesced')),
    }));
    await expect(drive(target, 'failing')).rejects.toThrow(
      'the target failed to heal: replication never quiesced',
    );
    await expect(drive(target, 'failing-2')).rejects.toThrow(TargetFailure);
    expect(counts).toEqual({ ups: 2, downs: 2 });
  });
});
