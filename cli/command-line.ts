/**
 * The command table (command-table.ts) made into a commander program: help for the program and
 * for each command (`-h`, `--help`, `paychaos help <command>`), `-V`/`--version`, and every
 * problem with the command line as one line naming the flag and what is expected (exit 64).
 * Commander's own messages are rewritten into that line; none reaches stderr as it is.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { usageError } from './cli-error.ts';
import type { CommandInput, CommandSpec, FlagSpec } from './command-spec.ts';
import type { CommandEntry } from './command-table.ts';

const EXIT_CODES_HELP = `
Exit codes: 0 valid, 1 invalid, 2 unknown, 64 bad usage, 65 bad input data,
            66 input missing, 70 internal error, 73 cannot write output.
Run "paychaos <command> --help" for a command's arguments and flags.`;

function flagWords(flag: FlagSpec): string {
  const long = `--${flag.name}${flag.value === undefined ? '' : ` <${flag.value}>`}`;
  return flag.short === undefined ? long : `-${flag.short}, ${long}`;
}

function optionOf(flag: FlagSpec): Option {
  const option = new Option(flagWords(flag), flag.help);
  if (flag.repeatable === true) {
    option.argParser((value: string, previous: string[] | undefined) => [
      ...(previous ?? []),
      value,
    ]);
  }
  return option;
}

function argumentOf(spec: CommandSpec['arguments'][number]): Argument {
  const name = `${spec.name}${spec.many === true ? '...' : ''}`;
  const argument = new Argument(spec.optional === true ? `[${name}]` : `<${name}>`, spec.help);
  if (spec.choices !== undefined) argument.choices(spec.choices);
  return argument;
}

function knownFlags(spec: CommandSpec): string {
  return spec.flags.map((flag) => `--${flag.name}`).join(', ') || 'none';
}

/** Commander's message ("error: unknown option '--x'\n(Did you mean --y?)") as our one line. */
function oneLine(where: string, error: CommanderError, spec: CommandSpec | null): string {
  const text = error.message
    .replace(/^error: /, '')
    .replaceAll('\n', ' ')
    .replace('(Did you mean', '(did you mean')
    .replace(/\.$/, '');
  const help = spec === null ? 'paychaos --help' : `paychaos ${spec.name} --help`;
  if (error.code === 'commander.unknownOption' && spec !== null) {
    const switchWithValue = /'--([^'=]+)=/.exec(error.message);
    const known = spec.flags.find((flag) => flag.name === switchWithValue?.[1]);
    if (known !== undefined && known.value === undefined)
      return `${where}: --${known.name} is a switch and takes no value; see ${help}`;
    return `${where}: ${text}; flags: ${knownFlags(spec)} (see ${help})`;
  }
  return `${where}: ${text}; see ${help}`;
}

function rethrowAsUsage(where: string, spec: CommandSpec | null): (error: CommanderError) => never {
  return (error) => {
    // Help and version were printed as asked: not a problem.
    if (error.exitCode === 0) throw error;
    throw usageError(oneLine(where, error, spec));
  };
}

/** A value flag followed by another flag: `-o --force` means a forgotten value, not a file. */
function refuseFlagAsValue(spec: CommandSpec, args: readonly string[]): void {
  for (let i = 0; i < args.length - 1; i += 1) {
    const token = args[i]!;
    if (token === '--') return;
    const flag = spec.flags.find(
      (candidate) =>
        token === `--${candidate.name}` ||
        (candidate.short !== undefined && token === `-${candidate.short}`),
    );
    const next = args[i + 1]!;
    if (flag?.value === undefined || !next.startsWith('-') || next === '-') continue;
    if (/^-\d/.test(next)) continue;
    throw usageError(
      `paychaos ${spec.name}: ${token}: expected ${flag.value}, got the flag ${next} (if that is the value, write --${flag.name}=${next})`,
    );
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** What commander parsed, held to the spec: a switch is boolean, a value a string. */
function inputOf(
  spec: CommandSpec,
  command: Command,
  options: Option[],
): CommandInput<CommandSpec> {
  const parsed = command.opts();
  const values: Record<string, string | string[] | boolean> = {};
  spec.flags.forEach((flag, i) => {
    const value: unknown = parsed[options[i]!.attributeName()];
    if (value === undefined) return;
    const fits =
      flag.value === undefined
        ? value === true
        : flag.repeatable === true
          ? isStringList(value)
          : typeof value === 'string';
    if (!fits) throw new Error(`--${flag.name}: commander gave ${JSON.stringify(value)}`);
    values[flag.name] = value as string | string[] | boolean;
  });
  const positionals: string[] = [];
  for (const argument of command.processedArgs as unknown[]) {
    if (typeof argument === 'string') positionals.push(argument);
    else if (isStringList(argument)) positionals.push(...argument);
    else if (argument !== undefined)
      throw new Error(`argument: commander gave ${JSON.stringify(argument)}`);
  }
  return { positionals, values };
}

const OUTPUT = {
  writeOut: (text: string) => process.stdout.write(text),
  writeErr: (text: string) => process.stderr.write(text),
  // Every error is rewritten into one line by rethrowAsUsage and printed by main.
  outputError: () => {},
};

function capitalised(text: string): string {
  return `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;
}

function subcommandOf(
  entry: CommandEntry,
  onRun: (entry: CommandEntry, input: CommandInput<CommandSpec>) => Promise<void>,
): Command {
  const { spec } = entry;
  const command = new Command(spec.name)
    .summary(spec.summary)
    .description(
      `${capitalised(spec.summary)}.${spec.details === undefined ? '' : `\n\n${spec.details}`}`,
    )
    .configureOutput(OUTPUT)
    .exitOverride(rethrowAsUsage(`paychaos ${spec.name}`, spec))
    .helpOption('-h, --help', 'print this help');
  for (const argument of spec.arguments) command.addArgument(argumentOf(argument));
  const options = spec.flags.map(optionOf);
  for (const option of options) command.addOption(option);
  command.action(async () => {
    await onRun(entry, inputOf(spec, command, options));
  });
  return command;
}

export function buildProgram(
  table: readonly CommandEntry[],
  version: string,
  onRun: (entry: CommandEntry, input: CommandInput<CommandSpec>) => Promise<void>,
): Command {
  const program = new Command('paychaos')
    .description('A chaos and consistency test harness for multi-region payment systems.')
    .configureOutput(OUTPUT)
    .exitOverride(rethrowAsUsage('paychaos', null))
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print this help')
    .helpCommand('help [command]', "print a command's help")
    .addHelpText('after', EXIT_CODES_HELP);
  for (const entry of table) program.addCommand(subcommandOf(entry, onRun));
  return program;
}

/** Checks what commander cannot see (a flag given where a value belongs), then parses. */
export async function parseCommandLine(
  program: Command,
  table: readonly CommandEntry[],
  argv: string[],
): Promise<void> {
  const named = (name: string | undefined) =>
    table.find((candidate) => candidate.spec.name === name);
  const entry = named(argv[0]);
  if (entry !== undefined) refuseFlagAsValue(entry.spec, argv.slice(1));
  // Commander answers `help <unknown>` with the whole help on stderr and no word of why.
  if (argv[0] === 'help' && argv[1] !== undefined && named(argv[1]) === undefined) {
    const names = table.map((candidate) => candidate.spec.name).join(', ');
    throw usageError(`paychaos help: unknown command '${argv[1]}'; commands: ${names}`);
  }
  await program.parseAsync(argv, { from: 'user' });
}

export function isHelpOrVersion(error: unknown): boolean {
  return error instanceof CommanderError && error.exitCode === 0;
}
