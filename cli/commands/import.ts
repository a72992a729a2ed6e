/**
 * `paychaos import jepsen <file>... [-o <file | dir/>] [--force] [--eventual] [--accounts ...]
 * [--total N] [--nil-read unknown|empty]`: converts Jepsen histories (history.edn, or the Jepsen
 * text log) to history.jsonl. One input writes to -o (default history.jsonl in the current
 * directory, and it says so); several inputs need -o to be a directory, and each becomes
 * <dir>/<input name>.jsonl. An input is never written over, nor an existing file without --force;
 * each output is written under a temporary name and renamed once complete, so a failed import
 * leaves what was there before. `--accounts`/`--total` give a bank history the test map's
 * accounts; `--nil-read` says what an ok read of nil means (docs/history-import.md).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { setOwn } from '../../history/import/edn-to-json.ts';
import { importJepsen, NIL_READS, type NilRead } from '../../history/import/import-jepsen.ts';
import { makeDirectories, planFileOutput } from '../../lib/output-path.ts';
import { noInputError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { IMPORT } from '../command-specs.ts';
import { EXIT_VALID } from '../exit-codes.ts';
import { runImportArtillery } from './import-artillery.ts';

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

const INTEGER = /^-?\d+$/;

function integerFlag(flag: string, text: string): number {
  const value = Number(text);
  if (!INTEGER.test(text) || !Number.isSafeInteger(value)) {
    throw usageError(`paychaos import: ${flag}: expected an integer (minor units), got ${text}`);
  }
  return value;
}

/**
 * The Jepsen test map's bank facts as an init's accounts: `--accounts 0,1,2 --total 100` (the
 * whole total in the first account, as Jepsen's bank setups put it; a Jepsen history has no
 * ledger, so only the sum and the names are judged), or `--accounts a=10,b=90` (each balance
 * given; `--total`, if also given, must be their sum).
 */
function accountsOf(
  list: string | undefined,
  totalText: string | undefined,
): Record<string, number> | undefined {
  if (list === undefined) {
    if (totalText !== undefined) throw usageError('paychaos import: --total needs --accounts');
    return undefined;
  }
  const items = list.split(',');
  const explicit = items.every((item) => item.includes('='));
  if (!explicit && items.some((item) => item.includes('='))) {
    throw usageError(
      `paychaos import: --accounts: give every account a balance (a=10,b=90) or none (a,b with --total), got ${list}`,
    );
  }
  const accounts: Record<string, number> = {};
  for (const item of items) {
    const [name = '', balance] = item.split('=', 2);
    if (name.length === 0 || Object.hasOwn(accounts, name)) {
      throw usageError(
        `paychaos import: --accounts: expected distinct non-empty account names, got ${list}`,
      );
    }
    setOwn(accounts, name, balance === undefined ? 0 : integerFlag('--accounts', balance));
  }
  const sum = Object.values(accounts).reduce((a, b) => a + b, 0);
  if (totalText === undefined) {
    if (!explicit) throw usageError('paychaos import: --accounts without balances needs --total N');
    return accounts;
  }
  const total = integerFlag('--total', totalText);
  if (explicit && total !== sum) {
    throw usageError(`paychaos import: --total ${total} is not the sum of --accounts (${sum})`);
  }
  if (!explicit) setOwn(accounts, items[0] as string, total);
  return accounts;
}

export function runImport(input: CommandInput<typeof IMPORT>): number {
  if (input.positionals[0] === 'artillery') return runImportArtillery(input);
  return runImportJepsen(input);
}

function runImportJepsen({ values, positionals }: CommandInput<typeof IMPORT>): number {
  const accounts = accountsOf(values.accounts, values.total);
  const nilRead = values['nil-read'];
  if (nilRead !== undefined && !NIL_READS.includes(nilRead as NilRead)) {
    throw usageError(
      `paychaos import: --nil-read: expected ${NIL_READS.join(' or ')}, got ${nilRead}`,
    );
  }
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
      const { opsWritten, format, timesRaised } = importJepsen(input, plans[i]!.temporary, {
        eventual: values.eventual === true,
        ...(accounts === undefined ? {} : { accounts }),
        ...(nilRead === undefined ? {} : { nilRead: nilRead as NilRead }),
      });
      plans[i]!.commit();
      const where = values.output === undefined ? ` (no -o given: ${resolve(outputs[i]!)})` : '';
      process.stderr.write(`${input} (${format}) -> ${outputs[i]}: ${opsWritten} ops${where}\n`);
      if (timesRaised.count > 0) {
        process.stderr.write(
          `warning: ${input}:${timesRaised.lineFirst}: ${timesRaised.count} op(s) had a :time earlier than the op before; kept in file order, each raised to 1 ns after the op before (by up to ${timesRaised.raisedNsMax} ns; the original in "jepsenTime")\n`,
        );
      }
    });
  } finally {
    for (const plan of plans) plan.discard();
  }
  return EXIT_VALID;
}
