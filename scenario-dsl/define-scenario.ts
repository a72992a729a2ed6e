/**
 * defineScenario: the typed helper a scenario file's default export goes through, as with
 * k6's options or vite's defineConfig. It returns its argument unchanged; the point is the type,
 * so that an editor completes fields and flags mistakes as they are typed. Validation, defaults
 * and durations in milliseconds come from validateScenario / loadScenario.
 *
 *   export default defineScenario({
 *     name: 'region-isolation',
 *     hypothesis: 'Cutting Tokyo off for 20 s loses no acknowledged transfer.',
 *     faults: [{ at: '20s', duration: '20s', fault: { kind: 'isolate', region: 'ap-northeast-1' } }],
 *   });
 */
import type { z } from 'zod';
import type { scenarioSchema } from './scenario-schema.ts';

/** A scenario as a person writes it: durations as '20s', most fields optional. */
export type ScenarioSpec = z.input<typeof scenarioSchema>;
export type AccountSpec = NonNullable<NonNullable<ScenarioSpec['bank']>['accounts']>[number];

export function defineScenario<const T extends ScenarioSpec>(spec: T): T {
  return spec;
}

/** `count` accounts named `${prefix}0`, `${prefix}1`, ... each holding `balance` minor units. */
export function manyAccounts(count: number, balance: number, prefix = 'acct-'): AccountSpec[] {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`manyAccounts: count ${count} is not a count`);
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i}`, balance }));
}
