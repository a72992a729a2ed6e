/**
 * `paychaos import artillery <op log | dir>... [-o FILE] [--force]`: every op log named (a
 * directory gives its `*.jsonl` files) merged into one history (history/import/import-artillery.ts).
 * Prints, per worker, where its clock was placed and by how much its ops were widened, and warns
 * of a worker whose clock samples disagree (its offset moved during the run).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { importArtillery, opLogFiles } from '../../history/import/import-artillery.ts';
import { planFileOutput } from '../../lib/output-path.ts';
import { noInputError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { IMPORT } from '../command-specs.ts';
import { EXIT_VALID } from '../exit-codes.ts';

const DEFAULT_OUTPUT = 'history.jsonl';
const JEPSEN_ONLY_FLAGS = ['eventual', 'accounts', 'total', 'nil-read'] as const;

function ms(ns: number): string {
  return `${(ns / 1_000_000).toFixed(3)} ms`;
}

export function runImportArtillery({ values, positionals }: CommandInput<typeof IMPORT>): number {
  for (const flag of JEPSEN_ONLY_FLAGS) {
    if (values[flag] !== undefined)
      throw usageError(`paychaos import artillery: --${flag} is for jepsen imports`);
  }
  const [, ...inputs] = positionals;
  for (const input of inputs) {
    if (!existsSync(input))
      throw noInputError(`paychaos import artillery: ${input}: no such file or directory`);
  }
  const files = opLogFiles(inputs);
  if (files.length === 0)
    throw noInputError(`paychaos import artillery: no *.jsonl op log in ${inputs.join(', ')}`);
  const output = values.output ?? DEFAULT_OUTPUT;
  const plan = planFileOutput(
    {
      command: 'paychaos import artillery',
      flag: values.output === undefined ? '(no -o: the default)' : '-o',
      file: output,
      inputs: files,
      force: values.force === true,
    },
    usageError,
  );
  try {
    const result = importArtillery(files, plan.temporary);
    plan.commit();
    const where = values.output === undefined ? ` (no -o given: ${resolve(output)})` : '';
    process.stderr.write(
      `${files.length} op log(s) -> ${output}: ${result.linesWritten} ops, windows widened by up to ${ms(result.boundNsMax)} each side${where}\n`,
    );
    for (const { worker, file, correction, ops, tornLastLine } of result.workers) {
      const { offsetNs, boundNs, samples, drifted } = correction;
      process.stderr.write(
        `  ${file}: worker ${worker}, ${ops} ops, offset ${ms(offsetNs)} ± ${ms(boundNs)} from ${samples} sample(s)\n`,
      );
      if (drifted) {
        process.stderr.write(
          `warning: ${file}: the clock samples of worker ${worker} do not agree (its clock moved during the run); its ops were widened by the whole spread, ± ${ms(boundNs)}\n`,
        );
      }
      if (tornLastLine)
        process.stderr.write(
          `warning: ${file}: dropped a torn last line (the worker was killed mid-write)\n`,
        );
    }
  } finally {
    plan.discard();
  }
  return EXIT_VALID;
}
