/**
 * loadScenario: imports a scenario file (.ts under tsx, or .js), takes its default export and
 * validates it. Every failure is a ScenarioError whose problems are the lines to print, and which
 * says whether the file was missing or invalid.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeLoadFailure, hasDefaultExport } from './module-load-failure.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import { validateScenario } from './validate-scenario.ts';

export { ScenarioError };

const EXPECTED_MODULE =
  'expected a .ts or .js module whose default export is defineScenario({...})';

export async function loadScenario(path: string): Promise<ResolvedScenario> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new ScenarioError([`${path}: no such file; ${EXPECTED_MODULE}`], 'missing');
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ScenarioError([describeLoadFailure(path, error)], 'invalid');
  }
  if (!hasDefaultExport(module)) {
    throw new ScenarioError([`${path}: has no default export; ${EXPECTED_MODULE}`], 'invalid');
  }
  const validation = validateScenario(module.default, path);
  if (!validation.ok) throw new ScenarioError(validation.problems, 'invalid');
  return validation.scenario;
}
