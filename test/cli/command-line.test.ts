import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TIMEOUT_S_DEFAULT } from '../../checkers/check-session.ts';
import { checkerNames } from '../../checkers/registry.ts';
import { COMMAND_TABLE } from '../../cli/command-table.ts';
import { EXPLORE_RUNS_DEFAULT } from '../../cli/commands/explore.ts';
import { runCli } from '../support/run-cli.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** Commander wraps help at 80 columns: compare words, not lines. */
function words(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('paychaos <command> --help', () => {
  it.each(COMMAND_TABLE.map((entry) => [entry.spec.name, entry.spec] as const))(
    '%s: -h, --help and help <command> print its usage with every flag described',
    (name, spec) => {
      const long = runCli([name, '--help']);
      expect(long.code).toBe(0);
      expect(long.stderr).toBe('');
      expect(long.stdout).toMatch(new RegExp(`^Usage: paychaos ${name} `));
      for (const argument of spec.arguments) expect(words(long.stdout)).toContain(argument.help);
      for (const flag of spec.flags) {
        expect(long.stdout).toContain(`--${flag.name}`);
        expect(words(long.stdout)).toContain(words(flag.help));
      }
      expect(runCli([name, '-h'])).toEqual(long);
      expect(runCli(['help', name])).toEqual(long);
    },
  );

  it('lists every command in paychaos --help, and every checker in check --help', () => {
    const outcome = runCli(['--help']);
    expect(outcome.code).toBe(0);
    for (const entry of COMMAND_TABLE) expect(outcome.stdout).toContain(`  ${entry.spec.name} `);
    expect(outcome.stdout).toContain('Exit codes: 0 valid');
    const check = words(runCli(['check', '--help']).stdout);
    for (const name of checkerNames()) expect(check).toContain(name);
    expect(check).toContain(`(default: ${TIMEOUT_S_DEFAULT})`);
    expect(words(runCli(['explore', '--help']).stdout)).toContain(
      `(default: ${EXPLORE_RUNS_DEFAULT})`,
    );
  });

  it('prints the version with --version and -V', () => {
    for (const flag of ['--version', '-V']) {
      expect(runCli([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });
});

describe('flag problems', () => {
  it.each([
    [
      ['check', 'h.jsonl', '--chec', 'x'],
      /^paychaos check: unknown option '--chec' \(did you mean --checker\?\); flags: --checker, --json, --timeout/,
    ],
    [['check', 'h.jsonl', '--json=yes'], /^paychaos check: --json is a switch and takes no value/],
    [['check', 'h.jsonl', '--timeout'], /^paychaos check: option '--timeout <S>' argument missing/],
    [['check'], /^paychaos check: missing required argument 'history'/],
    [
      ['run', 'a.ts', 'b.ts'],
      /^paychaos run: too many arguments for 'run'\. Expected 1 argument but got 2/,
    ],
    [
      ['export', 'edn', 'h.jsonl', '-o', '--force'],
      /^paychaos export: -o: expected FILE, got the flag --force \(if that is the value, write --output=--force\)/,
    ],
    [
      ['import', 'jepsen', 'h.edn', '--output', '-x'],
      /^paychaos import: --output: expected FILE\|DIR\/, got the flag -x/,
    ],
    [
      ['import', 'csv', 'h.csv'],
      /^paychaos import: command-argument value 'csv' is invalid for argument 'format'\. Allowed choices are jepsen, artillery;/,
    ],
    [['explore', 's.ts', '--se', '1'], /^paychaos explore: unknown option '--se'/],
    [['frobnicate'], /^paychaos: unknown command 'frobnicate'/],
    [['--verbose'], /^paychaos: unknown option '--verbose'/],
    [['help', 'frobnicate'], /^paychaos help: unknown command 'frobnicate'; commands: run, replay/],
  ])('%j: one line naming the flag, exit 64', (args, message) => {
    const outcome = runCli(args);
    expect(outcome.code).toBe(64);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(message);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
    // node:util parseArgs' own wording, which cut in half left an unbalanced quote.
    expect(outcome.stderr).not.toMatch(/To specify a positional argument|argument is ambiguous/);
    expect(outcome.stderr).not.toMatch(/^error:/);
  });

  it('takes a negative number as a value and a value after --', () => {
    const seed = runCli(['run', join(ROOT, 'scenarios', 'region-isolation.ts'), '--seed', '-3']);
    expect(seed.code).toBe(64);
    expect(seed.stderr).toMatch(/^paychaos run: --seed: expected a non-negative integer, got "-3"/);
    const dashed = runCli(['check', '--', '--json']);
    expect(dashed.code).toBe(66);
    expect(dashed.stderr).toMatch(/^paychaos check: --json: no such file or directory/);
  });

  it('prints the usage on stderr with exit 64 when no command is given', () => {
    const outcome = runCli([]);
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toMatch(/^paychaos: no command given\nUsage: paychaos /);
  });
});
