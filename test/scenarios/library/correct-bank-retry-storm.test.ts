/** The correct bank passes retry-storm (when the scenario exists) on seeds 1..20. */

import { correctBankSuite } from './support/correct-bank-suite.ts';
import { LIBRARY_FILES, scenarioLabel } from './support/library.ts';

correctBankSuite(
  LIBRARY_FILES.filter((file) => scenarioLabel(file) === 'retry-storm'),
  'correct bank, retry-storm',
);
