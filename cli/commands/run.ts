/**
 * `paychaos run <scenario.ts> [--target sim] [--seed N] [--out DIR] [--bank-bug FLAG]...`: runs a
 * scenario, writing the run directory of design.md as it goes (the history is appended while the
 * run runs, so a crash keeps everything up to it), then judges the history with every checker that
 * applies, writes results.json, prints the summary and exits by the verdict.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WORKERS_PER_REGION_MAX } from '../../artillery/artillery-plan.ts';
import { ArtilleryUnavailable } from '../../artillery/local-artillery.ts';
import type { Validity } from '../../checkers/checker.ts';
import { makeDirectories } from '../../lib/output-path.ts';
import { artilleryLoad } from '../../run/artillery-load.ts';
import { type Interruption, reasonOf } from '../../run/interruption.ts';
import type { LoadEngine } from '../../run/load-engine.ts';
import { RunAbandonedInDir, RunFailedInDir, runScenario } from '../../run/run-scenario.ts';
import type { Target } from '../../run/target.ts';
import { AwsClients } from '../../run/targets/aws/aws-clients.ts';
import { awsTarget, defaultAwsDeps } from '../../run/targets/aws/aws-target.ts';
import { endpointTarget } from '../../run/targets/local/endpoint-target.ts';
import { TARGETS, targetNamed } from '../../run/targets/registry.ts';
import { BUG_FLAGS, type BugFlag } from '../../scenario-dsl/bug-flags.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { RUN } from '../command-specs.ts';
import { EXIT_UNAVAILABLE } from '../exit-codes.ts';
import {
  exitCodeForSignal,
  FINISH_AFTER_SIGNAL_MS_MAX,
  installInterruptSignals,
} from '../interrupt-signals.ts';
import { cliRunReporter } from '../run-reporter.ts';
import { formatSummary } from '../summary.ts';
import { awsCliError, awsConfigFor } from './aws-config-flag.ts';

function parseSeed(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw usageError(`paychaos run: --seed: expected a non-negative integer, got "${text}"`);
  }
  return seed;
}

function parseBugs(flags: string[] | undefined): BugFlag[] {
  const bugs: BugFlag[] = [];
  for (const flag of flags ?? []) {
    if (!(BUG_FLAGS as readonly string[]).includes(flag)) {
      throw usageError(`paychaos run: --bank-bug ${flag}: expected one of ${BUG_FLAGS.join(', ')}`);
    }
    bugs.push(flag as BugFlag);
  }
  return bugs;
}

const ENDPOINT_PATTERN = /^([a-z0-9-]+)=(https?:\/\/[^/\s]+)$/;

/**
 * `--endpoint REGION=URL`, one per region of the scenario: the base URL of the team's service
 * there (no path; the contract's paths go under it).
 */
export function parseEndpoints(
  values: readonly string[],
  regions: readonly string[],
): Record<string, string> {
  const expected = `expected REGION=http://host:port, one for each region of the scenario (${regions.join(', ')})`;
  const endpoints: Record<string, string> = {};
  for (const value of values) {
    const match = ENDPOINT_PATTERN.exec(value);
    let url: URL | undefined;
    try {
      url = match === null ? undefined : new URL(match[2]!);
    } catch {
      url = undefined;
    }
    if (match === null || url === undefined) {
      throw usageError(`paychaos run: --endpoint ${value}: ${expected}`);
    }
    const region = match[1]!;
    if (!regions.includes(region)) {
      throw usageError(
        `paychaos run: --endpoint ${value}: ${region} is not a region of the scenario; ${expected}`,
      );
    }
    if (endpoints[region] !== undefined) {
      throw usageError(`paychaos run: --endpoint ${value}: ${region} is given twice; ${expected}`);
    }
    endpoints[region] = match[2]!;
  }
  const missing = regions.filter((region) => endpoints[region] === undefined);
  if (missing.length > 0) {
    throw usageError(`paychaos run: --endpoint: none for ${missing.join(', ')}; ${expected}`);
  }
  return endpoints;
}

function withBugs(scenario: ResolvedScenario, bugs: BugFlag[]): ResolvedScenario {
  const merged = [...new Set([...scenario.bank.bugs, ...bugs])];
  return { ...scenario, bank: { ...scenario.bank, bugs: merged } };
}

/**
 * The aws target with its config, and the run's interruption joined by the game day's stop
 * condition: an experiment a CloudWatch alarm stopped ends the run as a first signal would (load
 * cut, faults stopped, healed, final state read and judged).
 */
async function gameDayTarget(
  configFile: string | undefined,
  interruption: Interruption,
): Promise<{ target: Target; interruption: Interruption }> {
  const config = await awsConfigFor('paychaos run --target aws', configFile);
  const stopCondition = new AbortController();
  const clients = new AwsClients(Object.keys(config.regions)[0]!);
  const deps = defaultAwsDeps(config, clients, (why) => {
    process.stderr.write(`paychaos run: a stop condition ended the game day (${why}): stopping\n`);
    stopCondition.abort(`stop-condition: ${why}`);
  });
  return {
    target: awsTarget(config, deps),
    interruption: {
      stop: AbortSignal.any([interruption.stop, stopCondition.signal]),
      abandon: interruption.abandon,
    },
  };
}

const ARTILLERY_WORKERS_DEFAULT = 2;

/** The external load engine --load names; undefined for the Node driver. */
function loadEngineOf(
  values: CommandInput<typeof RUN>['values'],
  targetName: string,
): LoadEngine | undefined {
  const name = values.load ?? 'node';
  const workers = values['artillery-workers'];
  if (name === 'node') {
    if (workers !== undefined)
      throw usageError('paychaos run: --artillery-workers needs --load artillery');
    return undefined;
  }
  if (name !== 'artillery') {
    throw usageError(`paychaos run: --load ${name}: expected node or artillery`);
  }
  if (targetName === 'sim') {
    throw usageError(
      'paychaos run: --load artillery needs a target with HTTP endpoints (--target local or aws); the simulator drives load itself',
    );
  }
  const count = workers === undefined ? ARTILLERY_WORKERS_DEFAULT : Number(workers);
  if (!/^\d+$/.test(workers ?? '1') || !(count >= 1 && count <= WORKERS_PER_REGION_MAX)) {
    throw usageError(
      `paychaos run: --artillery-workers ${workers}: expected an integer in 1..${WORKERS_PER_REGION_MAX}`,
    );
  }
  const engine = artilleryLoad({ workersPerRegion: count });
  try {
    engine.version();
  } catch (error) {
    if (error instanceof ArtilleryUnavailable)
      throw new CliError(`paychaos run: ${error.message}`, EXIT_UNAVAILABLE);
    throw error;
  }
  return engine;
}

export async function runRun({
  values,
  positionals,
}: CommandInput<typeof RUN>): Promise<Validity | number> {
  const targetName = values.target ?? 'sim';
  const target = targetNamed(targetName);
  if (target === undefined) {
    throw usageError(
      `paychaos run: --target ${targetName}: expected ${TARGETS.map((t) => t.name).join(' or ')}`,
    );
  }
  const load = loadEngineOf(values, target.name);
  const endpointValues = values.endpoint ?? [];
  if (endpointValues.length > 0 && target.name !== 'local') {
    throw usageError(
      `paychaos run: --endpoint: drives your own service on --target local, not --target ${target.name}`,
    );
  }
  if (values.config !== undefined && target.name !== 'aws') {
    throw usageError(`paychaos run: --config is for --target aws, not --target ${target.name}`);
  }
  const bugs = parseBugs(values['bank-bug']);
  if (endpointValues.length > 0 && bugs.length > 0) {
    throw usageError(
      'paychaos run: --bank-bug: plants a bug in the reference bank, which does not run with --endpoint',
    );
  }
  const file = positionals[0]!;
  const scenario = withBugs(await loadScenario(file), bugs);
  const endpoints =
    endpointValues.length > 0 ? parseEndpoints(endpointValues, scenario.regions) : undefined;
  const runTarget: Target = endpoints === undefined ? target : endpointTarget(endpoints);
  const seed = parseSeed(values.seed, scenario.seed);
  const out = values.out ?? 'runs';
  makeDirectories(out);
  const reporter = cliRunReporter('run', target.name, true);
  const signals = installInterruptSignals(
    'run',
    (signal) =>
      `${signal}: stopping the load, stopping the faults, healing and reading the final state (at most ${FINISH_AFTER_SIGNAL_MS_MAX / 1000} s; a second signal gives up at once)`,
    FINISH_AFTER_SIGNAL_MS_MAX,
  );
  let outcome: Awaited<ReturnType<typeof runScenario>>;
  const gameDay =
    target.name === 'aws' ? await gameDayTarget(values.config, signals.interruption) : null;
  try {
    outcome = await runScenario({
      target: gameDay?.target ?? runTarget,
      scenario,
      seed,
      file,
      out,
      reporter,
      forPeople: true,
      interruption: gameDay?.interruption ?? signals.interruption,
      ...(load === undefined ? {} : { load }),
    });
  } catch (error) {
    if (error instanceof RunFailedInDir) {
      process.stderr.write(
        `paychaos run: ${error.runDir.dir}: ${error.failure.message}; its history ends before its final state, so \`paychaos check ${error.runDir.dir}\` judges it unknown\n`,
      );
      return EXIT_UNAVAILABLE;
    }
    if (!(error instanceof RunAbandonedInDir)) throw awsCliError('paychaos run', error);
    process.stderr.write(
      `paychaos run: ${error.runDir.dir}: gave up before the final state was read (${error.reason}); its history ends there, so \`paychaos check ${error.runDir.dir}\` judges it unknown\n`,
    );
    return exitCodeForSignal(reasonOf(signals.interruption.stop));
  } finally {
    signals.dispose();
    reporter.end();
  }
  const { runDir, results, record } = outcome;
  if (record.interrupted !== null) {
    const { signal, atMs, loadCut } = record.interrupted;
    const what = loadCut
      ? `the load stopped at ${(atMs / 1000).toFixed(1)} s of ${scenario.durationMs / 1000} s; the faults were stopped, the final state read and judged`
      : 'it came after the load had run out; the run finished as planned';
    process.stderr.write(`paychaos run: interrupted by ${signal}: ${what}\n`);
  }
  process.stdout.write(formatSummary(runDir.dir, results));
  // As reports/reproduce.ts words it: another target's run is repeated on that target.
  const onTarget =
    target.name === 'sim'
      ? ''
      : ` --target ${target.name}${gameDay === null ? '' : ` --config ${values.config}`}`;
  const onEndpoints = Object.entries(endpoints ?? {})
    .map(([region, url]) => ` --endpoint ${region}=${url}`)
    .join('');
  const withLoad = load === undefined ? '' : ` --load ${load.name}`;
  const replay = `paychaos run ${file} --seed ${seed}${onTarget}${withLoad}${onEndpoints}${bugs.map((bug) => ` --bank-bug ${bug}`).join('')}`;
  process.stdout.write(`  reproduce: ${replay}\n`);
  const report = join(runDir.dir, 'report.html');
  if (existsSync(report)) process.stdout.write(`  report: ${report}\n`);
  return results.valid;
}
