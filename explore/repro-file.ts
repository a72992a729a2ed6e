/**
 * The standalone scenario file of a minimal failing run: defineScenario with the fixed schedule,
 * workloads and seed, and no explore space, so that `paychaos run <file>` reproduces the
 * violation. It imports defineScenario by a path relative to where it is written, from the
 * paychaos that wrote it.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { validateScenario } from '../scenario-dsl/validate-scenario.ts';
import { sameScenario, scenarioSpecOf } from './scenario-spec.ts';

const DEFINE_SCENARIO = join(import.meta.dirname, '..', 'scenario-dsl', 'define-scenario.ts');
const NAME_CHARS_MAX = 64;
const REPRO_SUFFIX = '-repro';

export interface ReproNotes {
  /** The scenario file explored. */
  exploredFile: string;
  fcSeed: number;
  path: string;
  anomalyTypes: readonly string[];
}

export function reproName(name: string): string {
  return `${name.slice(0, NAME_CHARS_MAX - REPRO_SUFFIX.length)}${REPRO_SUFFIX}`;
}

function importPathFrom(file: string): string {
  const path = relative(dirname(file), DEFINE_SCENARIO).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

export function reproSource(failing: ResolvedScenario, file: string, notes: ReproNotes): string {
  const spec = scenarioSpecOf(failing, failing.name);
  const validation = validateScenario(spec, file);
  if (!validation.ok || !sameScenario(validation.scenario, failing)) {
    throw new Error(
      `explore: the repro of ${failing.name} does not validate back to the run it records`,
    );
  }
  return [
    '/**',
    ` * The minimal failing run paychaos explore found in ${notes.exploredFile}`,
    ` * (${notes.anomalyTypes.join(', ') || 'invalid'}): every duration in milliseconds.`,
    ` * Resume the search: paychaos explore ${notes.exploredFile} --seed ${notes.fcSeed} --path ${notes.path}`,
    ` * Reproduce it: paychaos run ${file}`,
    ' */',
    `import { defineScenario } from '${importPathFrom(file)}';`,
    '',
    `export default defineScenario(${JSON.stringify(spec, null, 2)});`,
    '',
  ].join('\n');
}

export function writeReproFile(failing: ResolvedScenario, file: string, notes: ReproNotes): void {
  writeFileSync(file, reproSource(failing, file, notes));
}
