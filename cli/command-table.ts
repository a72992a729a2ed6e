/**
 * The command table: each spec of command-specs.ts tied to its implementation, loaded on demand:
 * `paychaos check` need not load the simulator, the report or the scenarios (about 0.2 s of
 * start-up).
 */
import type { Validity } from '../checkers/checker.ts';
import type { CommandInput, CommandSpec } from './command-spec.ts';
import {
  ARTILLERY,
  CHECK,
  EXPLORE,
  EXPORT,
  FIS,
  IMPORT,
  LAB,
  REPLAY,
  REPORT,
  RUN,
  SUITE,
} from './command-specs.ts';

/** What a command returns: a verdict (exit 0, 1, 2) or an exit code. */
export type CommandOutcome = Validity | number;

export interface CommandEntry {
  spec: CommandSpec;
  /** Loads the implementation and runs it on already-validated input. */
  run: (input: CommandInput<CommandSpec>) => Promise<CommandOutcome>;
}

/** Ties a spec to its implementation; the parser checked the input against that very spec. */
function entry<S extends CommandSpec>(
  spec: S,
  load: () => Promise<(input: CommandInput<S>) => CommandOutcome | Promise<CommandOutcome>>,
): CommandEntry {
  return { spec, run: async (input) => (await load())(input as CommandInput<S>) };
}

export const COMMAND_TABLE: readonly CommandEntry[] = [
  entry(RUN, async () => (await import('./commands/run.ts')).runRun),
  entry(REPLAY, async () => (await import('./commands/replay.ts')).runReplay),
  entry(EXPLORE, async () => (await import('./commands/explore.ts')).runExplore),
  entry(CHECK, async () => (await import('./commands/check.ts')).runCheck),
  entry(REPORT, async () => (await import('./commands/report.ts')).runReport),
  entry(SUITE, async () => (await import('./commands/suite.ts')).runSuite),
  entry(IMPORT, async () => (await import('./commands/import.ts')).runImport),
  entry(EXPORT, async () => (await import('./commands/export.ts')).runExport),
  entry(LAB, async () => (await import('./commands/lab.ts')).runLab),
  entry(FIS, async () => (await import('./commands/fis.ts')).runFis),
  entry(ARTILLERY, async () => (await import('./commands/artillery.ts')).runArtillery),
];
