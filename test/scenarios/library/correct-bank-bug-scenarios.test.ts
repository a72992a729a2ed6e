/**
 * Each planted bug's scenario, run with the correct bank (the same scenario with `bugs: []`), is
 * valid on seeds 1..20: what the flagged bank fails is the bug, not the scenario.
 */

import { correctBankSuite } from './support/correct-bank-suite.ts';
import { BUG_SCENARIOS } from './support/library.ts';

correctBankSuite(
  BUG_SCENARIOS.map((entry) => entry.file),
  'correct bank, bug scenarios with bugs: []',
);
