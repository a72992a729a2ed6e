/**
 * `paychaos suite <dir> [--target sim] [--out DIR] [--seed N]`: the nightly. Runs every scenario
 * module in the folder (not its subfolders; a module without a default export is a helper and is
 * skipped), each into its own run directory with its report, then writes
 * `<out>/suite-<UTC time>/` with index.html linking every report, one junit.xml and summary.md.
 * A scenario that fails to load or run is listed as an error and the others still run.
 * Exit: by the worst verdict (0, 1, 2); if a scenario could not run at all, by its error's code
 * (65 bad scenario, 70 harness failure), since the suite's verdict is then incomplete.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Validity } from '../../checkers/checker.ts';
import { exitCodeOf, worstValidity } from '../../checkers/verdict.ts';
import { makeDirectories } from '../../lib/output-path.ts';
import { readRunInputs } from '../../reports/run-inputs.ts';
import {
  type SuiteEntry,
  suiteIndexHtml,
  suiteJunitXml,
  suiteSummaryMarkdown,
} from '../../reports/suite-index.ts';
import { verdictWord } from '../../reports/verdict-text.ts';
import { junitSuiteOf } from '../../reports/write-report.ts';
import { type Interruption, reasonOf } from '../../run/interruption.ts';
import { RunAbandonedInDir, RunFailedInDir, runScenario } from '../../run/run-scenario.ts';
import { type Target, UnsupportedFault } from '../../run/target.ts';
import { TARGETS, targetNamed } from '../../run/targets/registry.ts';
import { loadScenario, ScenarioError } from '../../scenario-dsl/load-scenario.ts';
import { hasDefaultExport } from '../../scenario-dsl/module-load-failure.ts';
import { noInputError, scenarioExitCode, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { SUITE } from '../command-specs.ts';
import { EXIT_SOFTWARE, EXIT_UNAVAILABLE, EXIT_USAGE } from '../exit-codes.ts';
import {
  exitCodeForSignal,
  FINISH_AFTER_SIGNAL_MS_MAX,
  installInterruptSignals,
} from '../interrupt-signals.ts';
import { cliRunReporter } from '../run-reporter.ts';

const SCENARIOS_MAX = 500;

function scenarioFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw noInputError(`paychaos suite: ${dir}: no such folder of scenarios`);
  }
  const files = names
    .filter((name) => /\.(ts|js)$/.test(name) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => join(dir, name));
  if (files.length > SCENARIOS_MAX) {
    throw usageError(`paychaos suite: ${dir}: ${files.length} files, more than ${SCENARIOS_MAX}`);
  }
  return files;
}

async function isScenarioModule(file: string): Promise<boolean> {
  try {
    const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
    return hasDefaultExport(module);
  } catch {
    return true; // loadScenario reports why it cannot be loaded
  }
}

function parseSeed(text: string | undefined): number | null {
  if (text === undefined) return null;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw usageError(`paychaos suite: --seed: expected a non-negative integer, got "${text}"`);
  }
  return seed;
}

async function runOne(
  target: Target,
  file: string,
  out: string,
  seed: number | null,
  interruption: Interruption,
): Promise<{ entry: SuiteEntry; code: number | null }> {
  try {
    const scenario = await loadScenario(file);
    const { runDir } = await runScenario({
      target,
      scenario,
      seed: seed ?? scenario.seed,
      file,
      out,
      reporter: cliRunReporter('suite', target.name, false),
      forPeople: true,
      interruption,
    });
    const inputs = readRunInputs(runDir.dir);
    const entry = {
      file,
      junit: junitSuiteOf(inputs),
      reportFile: join(inputs.dir, 'report.html'),
      error: null,
    };
    return { entry, code: null };
  } catch (error) {
    const message =
      error instanceof ScenarioError
        ? error.problems.join('; ')
        : error instanceof Error
          ? error.message
          : String(error);
    const code =
      error instanceof ScenarioError
        ? scenarioExitCode(error)
        : error instanceof UnsupportedFault
          ? EXIT_USAGE
          : error instanceof RunAbandonedInDir
            ? exitCodeForSignal(reasonOf(interruption.stop))
            : error instanceof RunFailedInDir
              ? EXIT_UNAVAILABLE
              : EXIT_SOFTWARE;
    return { entry: { file, junit: null, reportFile: null, error: message }, code };
  }
}

function suiteDirOf(out: string): string {
  const stamp = `${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
  for (let attempt = 1; attempt <= 100; attempt += 1) {
    const dir = join(out, attempt === 1 ? `suite-${stamp}` : `suite-${stamp}-${attempt}`);
    try {
      mkdirSync(dir, { recursive: false });
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`more than 100 suites started in one second under ${out}`);
}

/**
 * The last line agrees with the exit code: when a scenario could not run, the suite's verdict is
 * incomplete and says so (exit 65 or 70), whatever the others found.
 */
function suiteVerdict(entries: SuiteEntry[], valid: Validity, errorCode: number | null): string {
  if (errorCode === null) return verdictWord(valid);
  const failed = entries.filter((entry) => entry.junit === null).length;
  const judged = entries.length - failed;
  const others = judged === 0 ? '' : `; the ${judged} that ran: ${verdictWord(valid)}`;
  return `ERROR (exit ${errorCode}): ${failed} of ${entries.length} scenarios could not run${others}`;
}

export async function runSuite({
  values,
  positionals,
}: CommandInput<typeof SUITE>): Promise<Validity | number> {
  const targetName = values.target ?? 'sim';
  const target = targetNamed(targetName);
  if (target === undefined) {
    throw usageError(
      `paychaos suite: --target ${targetName}: expected ${TARGETS.map((t) => t.name).join(' or ')}`,
    );
  }
  if (target.name === 'aws') {
    // A game day is one scenario, watched by people who can abort it (docs/game-day.md).
    throw usageError(
      'paychaos suite: --target aws: a game day runs one scenario at a time; use paychaos run <scenario.ts> --target aws --config F',
    );
  }
  const dir = positionals[0]!;
  const seed = parseSeed(values.seed);
  const out = values.out ?? 'runs';
  const files = scenarioFiles(dir);
  makeDirectories(out);
  const entries: SuiteEntry[] = [];
  let errorCode: number | null = null;
  const signals = installInterruptSignals(
    'suite',
    (signal) =>
      `${signal}: stopping the scenario under way (its load, its faults; its final state read within ${FINISH_AFTER_SIGNAL_MS_MAX / 1000} s) and running no other; a second signal gives up at once`,
    FINISH_AFTER_SIGNAL_MS_MAX,
  );
  const stop = signals.interruption.stop;
  let notRun = 0;
  try {
    for (const file of files) {
      if (stop.aborted) {
        notRun += 1;
        continue;
      }
      if (!(await isScenarioModule(file))) continue;
      const { entry, code } = await runOne(target, file, out, seed, signals.interruption);
      entries.push(entry);
      errorCode = errorCode ?? code;
      const verdict =
        entry.junit === null ? `ERROR ${entry.error}` : verdictWord(entry.junit.results.valid);
      process.stdout.write(`paychaos suite: ${file}: ${verdict}\n`);
    }
  } finally {
    signals.dispose();
  }
  if (stop.aborted) {
    process.stdout.write(
      `paychaos suite: interrupted (${reasonOf(stop)}): ${notRun} file(s) not run\n`,
    );
  }
  if (entries.length === 0)
    throw noInputError(`paychaos suite: ${dir}: no scenario module in this folder`);
  const suiteDir = suiteDirOf(out);
  const title = `paychaos suite ${dir}`;
  writeFileSync(join(suiteDir, 'index.html'), suiteIndexHtml(title, suiteDir, entries));
  writeFileSync(join(suiteDir, 'junit.xml'), suiteJunitXml(entries));
  writeFileSync(join(suiteDir, 'summary.md'), suiteSummaryMarkdown(title, entries));
  // A suite cut short did not run all it was asked to: it does not pass.
  const valid = worstValidity([
    ...entries.map((entry) => (entry.junit === null ? true : entry.junit.results.valid)),
    ...(stop.aborted ? (['unknown'] as const) : []),
  ]);
  const index = join(suiteDir, 'index.html');
  process.stdout.write(
    `paychaos suite: ${suiteVerdict(entries, valid, errorCode)}; index: ${index}\n`,
  );
  if (errorCode !== null) return errorCode;
  return exitCodeOf(valid);
}
