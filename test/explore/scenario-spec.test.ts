import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameScenario, scenarioSpecOf } from '../../explore/scenario-spec.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { validateScenario } from '../../scenario-dsl/validate-scenario.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('a resolved scenario written back as a spec', () => {
  it.each([
    'test/scenario-dsl/fixtures/region-isolation.ts',
    'scenarios/region-isolation.ts',
    'scenarios/explore/lww-balance-update.ts',
  ])('validates back to the same run: %s', async (file) => {
    const scenario = { ...(await loadScenario(join(ROOT, file))), explore: null };
    const validation = validateScenario(scenarioSpecOf(scenario, scenario.name), file);
    if (!validation.ok) throw new Error(validation.problems.join('\n'));
    expect(sameScenario(validation.scenario, scenario)).toBe(true);
  });

  it('keeps spikes, per-region slo budgets, lags and skews', () => {
    const validation = validateScenario(
      {
        name: 'rich',
        hypothesis: 'Everything survives the round trip.',
        duration: '30s',
        workloads: [
          { kind: 'checkout', rate: 3, spikes: [{ at: '5s', duration: '2s', factor: 4 }] },
        ],
        faults: [
          {
            at: '1s',
            duration: '2s',
            fault: {
              kind: 'replica-lag',
              from: 'ap-northeast-1',
              to: 'ap-northeast-3',
              lag: '750ms',
            },
          },
          {
            at: '4s',
            duration: '2s',
            fault: { kind: 'clock-skew', region: 'ap-northeast-3', skew: '-1.5s' },
          },
        ],
        slo: {
          before: { successRate: 0.99 },
          rto: '10s',
          regions: { 'ap-northeast-3': { during: { p99Latency: '300ms' } } },
        },
      },
      'rich.ts',
    );
    if (!validation.ok) throw new Error(validation.problems.join('\n'));
    const again = validateScenario(scenarioSpecOf(validation.scenario, 'rich'), 'rich.ts');
    if (!again.ok) throw new Error(again.problems.join('\n'));
    expect(sameScenario(again.scenario, validation.scenario)).toBe(true);
    expect(sameScenario(again.scenario, { ...validation.scenario, seed: 2 })).toBe(false);
  });
});
