/**
 * `paychaos export edn <history.jsonl> [-o history.edn] [--force]`: writes a history as Jepsen
 * EDN, one op map a line, to stdout or a file. The file is never the input, never an existing
 * file without --force, and is written under a temporary name and renamed once complete.
 */
import { existsSync } from 'node:fs';
import { exportEdn } from '../../history/export/export-edn.ts';
import { planFileOutput } from '../../lib/output-path.ts';
import { noInputError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { EXPORT } from '../command-specs.ts';
import { EXIT_VALID } from '../exit-codes.ts';
import { openSyncOutput } from '../sync-output.ts';

export function runExport({ values, positionals }: CommandInput<typeof EXPORT>): number {
  const input = positionals[1]!;
  if (!existsSync(input)) throw noInputError(`paychaos export: ${input}: no such file`);
  if (values.output === undefined) {
    exportEdn(input, openSyncOutput(undefined).write);
    return EXIT_VALID;
  }
  const plan = planFileOutput(
    {
      command: 'paychaos export',
      flag: '-o',
      file: values.output,
      inputs: [input],
      force: values.force === true,
    },
    usageError,
  );
  try {
    const output = openSyncOutput(plan.temporary);
    try {
      exportEdn(input, output.write);
    } finally {
      output.close();
    }
    plan.commit();
  } finally {
    plan.discard();
  }
  return EXIT_VALID;
}
