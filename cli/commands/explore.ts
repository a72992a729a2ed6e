/**
 * `paychaos explore <scenario.ts> [--runs N] [--seed N] [--path P] [--out DIR] [--bank-bug FLAG]...
 * [--correct-bank]`: searches the fault schedules and workloads the scenario's `explore` leaves
 * open, in the simulator, with fast-check; stops at the first violated invariant, shrinks it,
 * writes the minimal failing run as a run directory (`<out>/latest`) with a standalone scenario
 * file in it, and prints the line that resumes the search. Exit 1 on a violation, 0 when every
 * run passed, 2 when none failed but some could not be judged.
 */
import type { Validity } from '../../checkers/checker.ts';
import { type ExploreOutcome, exploreScenario } from '../../explore/explore-scenario.ts';
import { type SearchProgress, SpaceExhausted } from '../../explore/search.ts';
import { describeFault } from '../../faults/describe-fault.ts';
import { makeDirectories } from '../../lib/output-path.ts';
import { reasonOf } from '../../run/interruption.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { BUG_FLAGS, type BugFlag } from '../../scenario-dsl/bug-flags.ts';
import { formatDurationMs } from '../../scenario-dsl/duration.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';
import { dataError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { EXPLORE } from '../command-specs.ts';
import { exitCodeForSignal, installInterruptSignals } from '../interrupt-signals.ts';
import { cliRunReporter } from '../run-reporter.ts';
import { formatSummary } from '../summary.ts';

export const EXPLORE_RUNS_DEFAULT = 100;
const RUNS_MAX = 100_000;
/** fast-check seeds are 32-bit integers. */
const SEED_MIN = -(2 ** 31);
const SEED_MAX = 2 ** 31 - 1;
const PATH_PATTERN = /^\d+(:\d+)*$/;

function parseRuns(text: string | undefined): number {
  if (text === undefined) return EXPLORE_RUNS_DEFAULT;
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1 || runs > RUNS_MAX) {
    throw usageError(
      `paychaos explore: --runs: expected an integer from 1 to ${RUNS_MAX}, got "${text}"`,
    );
  }
  return runs;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return Math.floor(Math.random() * SEED_MAX);
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < SEED_MIN || seed > SEED_MAX) {
    throw usageError(
      `paychaos explore: --seed: expected an integer from ${SEED_MIN} to ${SEED_MAX} (fast-check's seed), got "${text}"`,
    );
  }
  return seed;
}

function parsePath(text: string | undefined): string | undefined {
  if (text === undefined || PATH_PATTERN.test(text)) return text;
  throw usageError(
    `paychaos explore: --path: expected fast-check's path such as 12:0:3, got "${text}"`,
  );
}

function parseBugs(flags: string[] | undefined, correct: boolean): BugFlag[] | null {
  if (correct && flags !== undefined && flags.length > 0)
    throw usageError('paychaos explore: --correct-bank and --bank-bug exclude each other');
  if (correct) return [];
  if (flags === undefined) return null;
  for (const flag of flags) {
    if (!(BUG_FLAGS as readonly string[]).includes(flag))
      throw usageError(
        `paychaos explore: --bank-bug ${flag}: expected one of ${BUG_FLAGS.join(', ')}`,
      );
  }
  return flags as BugFlag[];
}

/** null keeps the scenario's bugs; [] is the correct bank; otherwise they are added. */
function withBugs(scenario: ResolvedScenario, bugs: BugFlag[] | null): ResolvedScenario {
  if (bugs === null) return scenario;
  const merged = bugs.length === 0 ? [] : [...new Set([...scenario.bank.bugs, ...bugs])];
  return { ...scenario, bank: { ...scenario.bank, bugs: merged } };
}

function progressPrinter(): (progress: SearchProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPhase = '';
  return (progress) => {
    const line =
      progress.phase === 'search'
        ? `search: ${progress.runsDone} of ${progress.runsMax} runs`
        : `shrink: violation at run ${progress.runsDone}; ${progress.shrinkSteps} shrink steps`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (progress.phase !== lastPhase) process.stderr.write(`paychaos explore: ${line}\n`);
    lastPhase = progress.phase;
  };
}

function scheduleLines(scenario: ResolvedScenario): string[] {
  if (scenario.faults.length === 0) return ['  schedule: no fault (the workload alone breaks it)'];
  return scenario.faults.map((scheduled) => {
    const { fault, atMs, durationMs } = scheduled;
    const extra =
      fault.kind === 'replica-lag'
        ? ` by ${formatDurationMs(fault.lagMs)}`
        : fault.kind === 'clock-skew'
          ? ` by ${formatDurationMs(fault.skewMs)}`
          : '';
    const when =
      fault.kind === 'failover'
        ? `at ${formatDurationMs(atMs)}`
        : `from ${formatDurationMs(atMs)} for ${formatDurationMs(durationMs)}`;
    return `  fault: ${describeFault(fault)}${extra} ${when}`;
  });
}

function report(file: string, outcome: ExploreOutcome, runs: number, stopped: string): void {
  const resume = (path: string) => `paychaos explore ${file} --seed ${outcome.fcSeed}${path}`;
  if (!outcome.found && outcome.resume !== null) {
    const { path, runsLeft } = outcome.resume;
    process.stdout.write(
      `${file}: interrupted (${stopped}) after ${outcome.runsDone} runs, no violation so far (fast-check seed ${outcome.fcSeed})\n  resume: ${resume(` --path ${path} --runs ${runsLeft}`)}\n`,
    );
    return;
  }
  if (!outcome.found) {
    const unknown = outcome.unknownRuns > 0 ? `, ${outcome.unknownRuns} could not be judged` : '';
    process.stdout.write(
      `${file}: ${outcome.runsDone} runs, no violation${unknown} (fast-check seed ${outcome.fcSeed})\n  rerun: ${resume(` --runs ${runs}`)}\n`,
    );
    return;
  }
  const { failing, candidate } = outcome;
  const cut = outcome.shrinkCut
    ? [`  interrupted (${stopped}) while shrinking: this is the smallest failure found so far`]
    : [];
  const lines = [
    `${file}: violation at run ${outcome.runsDone}, shrunk in ${outcome.shrinksTaken} of ${outcome.shrinkSteps} shrink runs to ${failing.faults.length} fault(s), rates x${candidate.rateScale}, simulator seed ${failing.seed}`,
    ...cut,
    ...scheduleLines(failing),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(formatSummary(outcome.runDir.dir, outcome.results));
  process.stdout.write(`  repro scenario: ${outcome.reproFile}\n`);
  process.stdout.write(`  reproduce: paychaos run ${outcome.reproFile}\n`);
  process.stdout.write(`  resume: ${resume(` --path ${outcome.path}`)}\n`);
}

export async function runExplore({
  values,
  positionals,
}: CommandInput<typeof EXPLORE>): Promise<Validity> {
  const runs = parseRuns(values.runs);
  const fcSeed = parseSeed(values.seed);
  const path = parsePath(values.path);
  const bugs = parseBugs(values['bank-bug'], values['correct-bank'] === true);
  const file = positionals[0]!;
  const scenario = withBugs(await loadScenario(file), bugs);
  if (scenario.explore === null) {
    throw dataError(
      `${file}: explore: the scenario has no explore space; add explore: { faults: { kinds: [...] } } (docs/scenarios.md)`,
    );
  }
  const out = values.out ?? 'runs';
  makeDirectories(out);
  const tty = process.stderr.isTTY === true;
  const signals = installInterruptSignals(
    'explore',
    (signal) =>
      `${signal}: finishing the run under way, then stopping the search (the smallest failure found so far is kept; a second signal exits at once)`,
    null,
  );
  // Nothing is left to keep: exit now, saying how to search again.
  signals.interruption.abandon.addEventListener('abort', () => {
    process.stderr.write(
      `paychaos explore: stopped; search again with: paychaos explore ${file} --seed ${fcSeed}\n`,
    );
    process.exit(exitCodeForSignal(reasonOf(signals.interruption.stop)));
  });
  let outcome: ExploreOutcome;
  try {
    outcome = await exploreScenario({
      stop: signals.interruption.stop,
      target: simTarget,
      scenario,
      file,
      runs,
      fcSeed,
      ...(path === undefined ? {} : { path }),
      out,
      onProgress: progressPrinter(),
      reporter: cliRunReporter('explore', simTarget.name, false),
    });
  } catch (error) {
    if (error instanceof SpaceExhausted) throw dataError(`${file}: ${error.message}`);
    throw error;
  } finally {
    signals.dispose();
    if (tty) process.stderr.write('\r\x1b[K');
  }
  const stop = signals.interruption.stop;
  report(file, outcome, runs, stop.aborted ? reasonOf(stop) : '');
  if (outcome.found) return false;
  // A search cut short proves nothing about the runs it did not make.
  return outcome.unknownRuns > 0 || outcome.resume !== null ? 'unknown' : true;
}
