/**
 * The paychaos command: parse the command line (command-line.ts, from the table in
 * command-table.ts), call the part, map verdicts and errors to exit codes (design.md). Every
 * failure ends as one line on stderr, never a bare stack trace.
 */
import { exitCodeOf } from '../checkers/verdict.ts';
import { HistoryError } from '../history/history-error.ts';
import { OutputPathError, outputPathError } from '../lib/output-path.ts';
import { UnsupportedFault } from '../run/target.ts';
import { EndpointNotReady } from '../run/targets/local/endpoint-target.ts';
import { PAYCHAOS_VERSION } from '../run/version.ts';
import { ScenarioError } from '../scenario-dsl/scenario-error.ts';
import { LabUnavailable } from '../targets/local/lab.ts';
import { LabSettingError } from '../targets/local/moto-server.ts';
import { CliError, scenarioExitCode } from './cli-error.ts';
import { buildProgram, isHelpOrVersion, parseCommandLine } from './command-line.ts';
import { COMMAND_TABLE, type CommandOutcome } from './command-table.ts';
import {
  EXIT_CANT_CREATE,
  EXIT_DATA,
  EXIT_NO_INPUT,
  EXIT_SOFTWARE,
  EXIT_UNAVAILABLE,
  EXIT_USAGE,
  EXIT_VALID,
} from './exit-codes.ts';

const OUTPUT_SYSCALLS = new Set(['mkdir', 'write', 'rename', 'symlink', 'link', 'copyfile']);

function exitCodeForError(error: unknown): { code: number; line: string } {
  if (error instanceof CliError) return { code: error.exitCode, line: error.message };
  if (error instanceof OutputPathError) return { code: EXIT_CANT_CREATE, line: error.message };
  if (error instanceof ScenarioError)
    return { code: scenarioExitCode(error), line: error.problems.join('\n') };
  if (error instanceof UnsupportedFault) return { code: EXIT_USAGE, line: error.message };
  if (error instanceof LabSettingError)
    return { code: EXIT_USAGE, line: `paychaos: ${error.message}` };
  if (error instanceof HistoryError) return { code: EXIT_DATA, line: error.message };
  if (error instanceof LabUnavailable || error instanceof EndpointNotReady)
    return { code: EXIT_UNAVAILABLE, line: `paychaos: ${error.message}` };
  const errno = error as NodeJS.ErrnoException | null;
  const code = errno?.code;
  const message = error instanceof Error ? error.message : String(error);
  // These calls only ever make outputs; a failed open may be of an input, and says which.
  if (code !== undefined && OUTPUT_SYSCALLS.has(errno?.syscall ?? '') && errno?.path !== undefined)
    return { code: EXIT_CANT_CREATE, line: outputPathError(errno.path, error).message };
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
    return { code: EXIT_NO_INPUT, line: message };
  if (code === 'ENOSPC' || code === 'EROFS') return { code: EXIT_CANT_CREATE, line: message };
  return {
    code: EXIT_SOFTWARE,
    line: `internal error (a paychaos bug, please report it): ${message}`,
  };
}

export async function main(argv: string[]): Promise<number> {
  let outcome: CommandOutcome = EXIT_VALID;
  const program = buildProgram(COMMAND_TABLE, PAYCHAOS_VERSION, async (entry, input) => {
    outcome = await entry.run(input);
  });
  if (argv.length === 0) {
    process.stderr.write(`paychaos: no command given\n${program.helpInformation()}`);
    return EXIT_USAGE;
  }
  try {
    await parseCommandLine(program, COMMAND_TABLE, argv);
    return typeof outcome === 'number' ? outcome : exitCodeOf(outcome);
  } catch (error) {
    if (isHelpOrVersion(error)) return EXIT_VALID;
    const { code, line } = exitCodeForError(error);
    process.stderr.write(`${line}\n`);
    if (code === EXIT_SOFTWARE && process.env.PAYCHAOS_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return code;
  }
}
