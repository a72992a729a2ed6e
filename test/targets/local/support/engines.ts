/**
 * Whether the local lab's engines are provisioned here. Suites that need them skip, saying in one
 * line what is missing and which script provisions it (.ci/run provisions them, so CI runs them).
 */
import { enginePaths, missingEngines } from '../../../../targets/local/engine-paths.ts';

const missing = missingEngines(enginePaths());

export const enginesMissing: string | undefined =
  missing.length === 0 ? undefined : missing.join('; ');

if (enginesMissing !== undefined) {
  console.warn(`local lab tests skipped: ${enginesMissing}`);
}
