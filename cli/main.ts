/**
 * The paychaos command: parse the command name, call the part, map verdicts and errors to exit
 * codes (design.md). Every failure ends as one line on stderr, never a bare stack trace.
 */
import type { Validity } from '../checkers/checker.ts';
import { exitCodeOf } from '../checkers/verdict.ts';
import { HistoryError } from '../history/history-error.ts';
import { ScenarioError } from '../scenarios/scenario-error.ts';
import { CliError, usageError } from './cli-error.ts';
import {
  EXIT_CANT_CREATE,
  EXIT_DATA,
  EXIT_NO_INPUT,
  EXIT_SOFTWARE,
  EXIT_USAGE,
  EXIT_VALID,
} from './exit-codes.ts';
import {
  CHECK_USAGE,
  EXPLORE_USAGE,
  EXPORT_USAGE,
  IMPORT_USAGE,
  REPLAY_USAGE,
  REPORT_USAGE,
  RUN_USAGE,
  SUITE_USAGE,
} from './usage.ts';

const USAGE = `usage:
  ${RUN_USAGE}
  ${REPLAY_USAGE}
  ${EXPLORE_USAGE}
  ${CHECK_USAGE}
  ${REPORT_USAGE}
  ${SUITE_USAGE}
  ${IMPORT_USAGE}
  ${EXPORT_USAGE}

exit codes: 0 valid, 1 invalid, 2 unknown, 64 bad usage, 65 bad input data,
            66 input missing, 70 internal error, 73 cannot write output`;

type Command = (args: string[]) => Validity | number | Promise<Validity | number>;

// Loaded on demand: `paychaos check` need not load the simulator, the report or the scenarios
// (about 0.2 s of start-up).
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runRun,
  replay: async () => (await import('./commands/replay.ts')).runReplay,
  explore: async () => (await import('./commands/explore.ts')).runExplore,
  check: async () => (await import('./commands/check.ts')).runCheck,
  report: async () => (await import('./commands/report.ts')).runReport,
  suite: async () => (await import('./commands/suite.ts')).runSuite,
  import: async () => (await import('./commands/import.ts')).runImport,
  export: async () => (await import('./commands/export.ts')).runExport,
  lab: async () => (await import('./commands/lab.ts')).runLab,
};

function exitCodeForError(error: unknown): { code: number; line: string } {
  if (error instanceof CliError) return { code: error.exitCode, line: error.message };
  if (error instanceof ScenarioError)
    return { code: error.exitCode, line: error.problems.join('\n') };
  if (error instanceof HistoryError) return { code: EXIT_DATA, line: error.message };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
    return { code: EXIT_NO_INPUT, line: message };
  if (code === 'ENOSPC' || code === 'EROFS') return { code: EXIT_CANT_CREATE, line: message };
  return {
    code: EXIT_SOFTWARE,
    line: `internal error (a paychaos bug, please report it): ${message}`,
  };
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    process.stderr.write(`paychaos: no command given\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_VALID;
  }
  try {
    const load = COMMANDS[name];
    if (load === undefined) {
      throw usageError(
        `paychaos: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`,
      );
    }
    const command = await load();
    const outcome = await command(args);
    return typeof outcome === 'number' ? outcome : exitCodeOf(outcome);
  } catch (error) {
    const { code, line } = exitCodeForError(error);
    process.stderr.write(`${line}\n`);
    if (code === EXIT_SOFTWARE && process.env.PAYCHAOS_DEBUG === '1' && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return code;
  }
}
