/**
 * `paychaos import jepsen <file>... [-o <file | dir/>]`: converts Jepsen histories (history.edn,
 * or the Jepsen text log) to history.jsonl. One input writes to -o (default history.jsonl);
 * several inputs need -o to be a directory, and each becomes <dir>/<input name>.jsonl.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { importJepsen } from '../../history/import/import-jepsen.ts';
import { noInputError, usageError } from '../cli-error.ts';
import { EXIT_VALID } from '../exit-codes.ts';
import { parseFlags } from '../parse-flags.ts';
import { IMPORT_USAGE } from '../usage.ts';

const FORMATS = ['jepsen'];

function isDirectoryTarget(output: string): boolean {
  return output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
}

function outputFiles(inputs: string[], output: string | undefined): string[] {
  if (output === undefined) {
    if (inputs.length > 1) throw usageError('paychaos import: several inputs need -o <dir/>');
    return ['history.jsonl'];
  }
  if (!isDirectoryTarget(output)) {
    if (inputs.length > 1)
      throw usageError(
        `paychaos import: -o ${output}: several inputs need a directory (end it with /)`,
      );
    return [output];
  }
  mkdirSync(output, { recursive: true });
  return inputs.map((input) => join(output, `${basename(input, extname(input))}.jsonl`));
}

export function runImport(args: string[]): number {
  const { values, positionals } = parseFlags('import', args, {
    output: { type: 'string', short: 'o' },
    eventual: { type: 'boolean' },
  });
  const [format, ...inputs] = positionals;
  if (format === undefined || !FORMATS.includes(format)) {
    throw usageError(
      `paychaos import: expected a format (${FORMATS.join(', ')}), got ${format ?? 'nothing'}; usage: ${IMPORT_USAGE}`,
    );
  }
  if (inputs.length === 0)
    throw usageError(`paychaos import: no input file; usage: ${IMPORT_USAGE}`);
  for (const input of inputs) {
    if (!existsSync(input)) throw noInputError(`paychaos import: ${input}: no such file`);
  }
  const outputs = outputFiles(inputs, values.output);
  inputs.forEach((input, i) => {
    const output = outputs[i]!;
    const result = importJepsen(input, output, {
      eventual: values.eventual === true,
    });
    process.stderr.write(`${input} (${result.format}) -> ${output}: ${result.opsWritten} ops\n`);
    const raised = result.timesRaised;
    if (raised.count > 0) {
      process.stderr.write(
        `warning: ${input}:${raised.lineFirst}: ${raised.count} op(s) had a :time earlier than the op before ; kept in file order, each raised to 1 ns after the op before (by up to ${raised.raisedNsMax} ns; the original in "jepsenTime")\n`,
      );
    }
  });
  return EXIT_VALID;
}
