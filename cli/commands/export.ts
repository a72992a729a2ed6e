/**
 * `paychaos export edn <history.jsonl> [-o history.edn]`: writes a history as Jepsen EDN, one op
 * map a line, to stdout or a file.
 */
import { existsSync } from 'node:fs';
import { exportEdn } from '../../history/export/export-edn.ts';
import { noInputError, usageError } from '../cli-error.ts';
import { EXIT_VALID } from '../exit-codes.ts';
import { parseFlags } from '../parse-flags.ts';
import { openSyncOutput } from '../sync-output.ts';
import { EXPORT_USAGE } from '../usage.ts';

export function runExport(args: string[]): number {
  const { values, positionals } = parseFlags('export', args, {
    output: { type: 'string', short: 'o' },
  });
  const [format, input, ...extra] = positionals;
  if (format !== 'edn')
    throw usageError(
      `paychaos export: expected the format edn, got ${format ?? 'nothing'}; usage: ${EXPORT_USAGE}`,
    );
  if (input === undefined || extra.length > 0)
    throw usageError(`paychaos export: expected one history file; usage: ${EXPORT_USAGE}`);
  if (!existsSync(input)) throw noInputError(`paychaos export: ${input}: no such file`);
  const output = openSyncOutput(values.output);
  try {
    exportEdn(input, output.write);
  } finally {
    output.close();
  }
  return EXIT_VALID;
}
