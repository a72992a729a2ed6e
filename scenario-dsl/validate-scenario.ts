/**
 * validateScenario: a scenario as written -> a resolved scenario, or one line per problem
 * (`scenarios/x.ts: faults[2].at: 75s is after the end of the run (60s)`). Shape problems come
 * first and alone: cross-field rules run only on a scenario whose shape is right, since they
 * would otherwise repeat the same mistake in other words.
 */
import { problemLine } from './field-problem.ts';
import { resolveScenario } from './resolve-scenario.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import { scenarioSchema } from './scenario-schema.ts';
import { zodProblems } from './zod-problems.ts';

export type ScenarioValidation =
  | { ok: true; scenario: ResolvedScenario }
  | { ok: false; problems: string[] };

export function validateScenario(spec: unknown, file: string): ScenarioValidation {
  const parsed = scenarioSchema.safeParse(spec);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error.issues, spec, scenarioSchema);
    if (problems.length === 0) throw new Error('validateScenario: zod failed without an issue');
    return { ok: false, problems: problems.map((p) => problemLine(file, p)) };
  }
  const { scenario, problems } = resolveScenario(parsed.data);
  if (problems.length > 0)
    return { ok: false, problems: problems.map((p) => problemLine(file, p)) };
  return { ok: true, scenario };
}
