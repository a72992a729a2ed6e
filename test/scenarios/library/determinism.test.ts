/**
 * Same scenario, same seed: byte-identical history, for every scenario of the library and every
 * bug scenario with its bug planted.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUG_SCENARIOS, LIBRARY_FILES, scenarioLabel } from './support/library.ts';
import { loadLibraryScenario, runOnSim } from './support/run-library.ts';

const SEED = 7;
const FILES = [...LIBRARY_FILES, ...BUG_SCENARIOS.map((entry) => entry.file)];

function sha256(text: string | null): string {
  if (text === null) throw new Error('the run kept no history');
  return createHash('sha256').update(text).digest('hex');
}

describe('same scenario and seed, same history bytes', () => {
  it.each(FILES.map((file) => ({ file, label: scenarioLabel(file) })))(
    '$label',
    async ({ file }) => {
      const scenario = await loadLibraryScenario(file);
      const first = await runOnSim(scenario, SEED, true);
      const second = await runOnSim(scenario, SEED, true);
      expect(first.historyText?.length ?? 0).toBeGreaterThan(0);
      expect(sha256(second.historyText)).toBe(sha256(first.historyText));
    },
  );
});
