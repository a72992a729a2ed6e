import type { ScenarioSpec } from '../../scenario-dsl/define-scenario.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';
import { validateScenario } from '../../scenario-dsl/validate-scenario.ts';

export const FILE = 'scenarios/x.ts';

/** The smallest valid scenario; tests spread their one change over it. */
export const BASE = { name: 'x', hypothesis: 'Nothing breaks.' } satisfies ScenarioSpec;

export function problemsOf(spec: unknown): string[] {
  const result = validateScenario(spec, FILE);
  if (result.ok) return [];
  return result.problems;
}

export function resolved(spec: unknown): ResolvedScenario {
  const result = validateScenario(spec, FILE);
  if (!result.ok) throw new Error(`expected a valid scenario:\n${result.problems.join('\n')}`);
  return result.scenario;
}
