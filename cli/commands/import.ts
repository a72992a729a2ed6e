/**
 * `paychaos import jepsen <file>... [-o <file | dir/>] [--force] [--eventual]`: converts Jepsen
 * histories (history.edn, or the Jepsen text log) to history.jsonl. One input writes to -o
 * (default history.jsonl in the current directory, and it says so); several inputs need -o to be
 * a directory, and each becomes <dir>/<input name>.jsonl. An input is never written over, nor an
 * existing file without --force; each output is written under a temporary name and renamed once
 * complete, so a failed import leaves what was there before.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { importJepsen } from '../../history/import/import-jepsen.ts';
import { noInputError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { IMPORT } from '../command-table.ts';
import { EXIT_VALID } from '../exit-codes.ts';
import { makeDirectories, planFileOutput } from '../output-path.ts';

const DEFAULT_OUTPUT = 'history.jsonl';

function isDirectoryTarget(output: string): boolean {
  return output.endsWith('/') || (existsSync(output) && statSync(output).isDirectory());
}

function outputFiles(inputs: string[], output: string | undefined): string[] {
  if (output === undefined) {
    if (inputs.length > 1) throw usageError('paychaos import: several inputs need -o <dir/>');
    return [DEFAULT_OUTPUT];
  }
  if (!isDirectoryTarget(output)) {
    if (inputs.length > 1)
      throw usageError(
        `paychaos import: -o ${output}: several inputs need a directory (end it with /)`,
      );
    return [output];
  }
  makeDirectories(output);
  const outputs = inputs.map((input) => join(output, `${basename(input, extname(input))}.jsonl`));
  const twice = outputs.find((file, i) => outputs.indexOf(file) !== i);
  if (twice !== undefined)
    throw usageError(`paychaos import: two inputs would both be written to ${twice}`);
  return outputs;
}

export function runImport({ values, positionals }: CommandInput<typeof IMPORT>): number {
  const [, ...inputs] = positionals;
  for (const input of inputs) {
    if (!existsSync(input)) throw noInputError(`paychaos import: ${input}: no such file`);
  }
  const outputs = outputFiles(inputs, values.output);
  const plans = outputs.map((file) =>
    planFileOutput(
      {
        command: 'paychaos import',
        flag: values.output === undefined ? '(no -o: the default)' : '-o',
        file,
        inputs,
        force: values.force === true,
      },
      usageError,
    ),
  );
  try {
    inputs.forEach((input, i) => {
      const { opsWritten, format } = importJepsen(input, plans[i]!.temporary, {
        eventual: values.eventual === true,
      });
      plans[i]!.commit();
      const where = values.output === undefined ? ` (no -o given: ${resolve(outputs[i]!)})` : '';
      process.stderr.write(`${input} (${format}) -> ${outputs[i]}: ${opsWritten} ops${where}\n`);
    });
  } finally {
    for (const plan of plans) plan.discard();
  }
  return EXIT_VALID;
}
