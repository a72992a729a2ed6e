/**
 * The scenario library as the tests see it: the scenarios the correct bank must pass, and one
 * scenario per planted bug with the anomalies design.md names for it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUG_FLAGS, type BugFlag } from '../../../../scenario-dsl/bug-flags.ts';

const SCENARIOS_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'scenarios');

/** Scenarios of the library proper; retry-storm is another engineer's and joins when present. */
const LIBRARY_NAMES = [
  'region-isolation',
  'cluster-loss',
  'replica-lag',
  'clock-skew',
  'retry-storm',
];

export const LIBRARY_FILES: readonly string[] = LIBRARY_NAMES.map((name) =>
  join(SCENARIOS_DIR, `${name}.ts`),
).filter((file) => existsSync(file));

/** design.md's bug table: the anomalies that catch each flag. */
export const ANOMALIES_BY_BUG: Readonly<Record<BugFlag, readonly string[]>> = {
  'lww-balance-update': ['wrong-total', 'divergence'],
  'retry-without-idempotency': ['duplicate-transfer'],
  'skip-compensation-on-timeout': ['missing-compensation', 'saga-leak'],
  'funds-check-on-replica': ['negative-balance'],
  'failover-without-fencing': ['lost-transfer', 'divergence'],
  'async-commit-ack': ['lost-transfer'],
  'skewed-clock-lww': ['lost-write', 'clock-anomaly'],
};

export interface BugScenario {
  bug: BugFlag;
  file: string;
  anomalies: readonly string[];
}

export const BUG_SCENARIOS: readonly BugScenario[] = BUG_FLAGS.map((bug) => ({
  bug,
  file: join(SCENARIOS_DIR, 'bugs', `${bug}.ts`),
  anomalies: ANOMALIES_BY_BUG[bug],
}));

/** Seeds on which the correct bank must pass every scenario. */
export const CORRECT_SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
/** Seeds on which each bug scenario must catch its bug, at least CAUGHT_SEEDS_MIN times. */
export const BUG_SEEDS = [1, 2, 3, 4, 5];
export const CAUGHT_SEEDS_MIN = 4;

export function scenarioLabel(file: string): string {
  const parts = file.split('/');
  const name = (parts.at(-1) ?? file).replace(/\.ts$/, '');
  return parts.at(-2) === 'bugs' ? `bugs/${name}` : name;
}
