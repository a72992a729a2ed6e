/**
 * The correct bank passes every scenario of the library on seeds 1..20: whatever the fault, no
 * checker finds an anomaly and none is left unable to judge. retry-storm, the slowest, has its
 * own file so that it runs beside this one.
 */
import { describe, expect, it } from 'vitest';
import { correctBankSuite } from './support/correct-bank-suite.ts';
import { LIBRARY_FILES, scenarioLabel } from './support/library.ts';
import { loadLibraryScenario } from './support/run-library.ts';

const FILES = LIBRARY_FILES.filter((file) => scenarioLabel(file) !== 'retry-storm');

describe('the library scenarios', () => {
  it.each(LIBRARY_FILES.map((file) => ({ file, label: scenarioLabel(file) })))(
    '$label plants no bug',
    async ({ file }) => {
      expect((await loadLibraryScenario(file)).bank.bugs).toEqual([]);
    },
  );
});

correctBankSuite(FILES, 'correct bank, library scenarios');
