/**
 * `paychaos run <scenario.ts> [--target sim] [--seed N] [--out DIR] [--bank-bug FLAG]...`: runs a
 * scenario, writing the run directory of design.md as it goes (the history is appended while the
 * run runs, so a crash keeps everything up to it), then judges the history with every checker that
 * applies, writes results.json, prints the summary and exits by the verdict.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Validity } from '../../checkers/checker.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { TARGETS, targetNamed } from '../../run/targets/registry.ts';
import { BUG_FLAGS, type BugFlag } from '../../scenario-dsl/bug-flags.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../scenario-dsl/resolved-scenario.ts';
import { usageError } from '../cli-error.ts';
import { parseFlags } from '../parse-flags.ts';
import { cliRunReporter } from '../run-reporter.ts';
import { formatSummary } from '../summary.ts';
import { RUN_USAGE } from '../usage.ts';

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

function withBugs(scenario: ResolvedScenario, bugs: BugFlag[]): ResolvedScenario {
  const merged = [...new Set([...scenario.bank.bugs, ...bugs])];
  return { ...scenario, bank: { ...scenario.bank, bugs: merged } };
}

export async function runRun(args: string[]): Promise<Validity> {
  const { values, positionals } = parseFlags('run', args, {
    target: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    'bank-bug': { type: 'string', multiple: true },
    load: { type: 'string' },
  });
  if (positionals.length !== 1)
    throw usageError(`paychaos run: expected one scenario file; usage: ${RUN_USAGE}`);
  const targetName = values.target ?? 'sim';
  const target = targetNamed(targetName);
  if (target === undefined) {
    throw usageError(
      `paychaos run: --target ${targetName}: expected ${TARGETS.map((t) => t.name).join(' or ')} (the simulator is the target built so far)`,
    );
  }
  if (values.load !== undefined && values.load !== 'node') {
    throw usageError(
      `paychaos run: --load ${values.load}: expected node (the simulator drives load itself)`,
    );
  }
  const bugs = parseBugs(values['bank-bug']);
  const file = positionals[0]!;
  const scenario = withBugs(await loadScenario(file), bugs);
  const seed = parseSeed(values.seed, scenario.seed);
  const out = values.out ?? 'runs';
  const reporter = cliRunReporter('run', target.name, true);
  let outcome: Awaited<ReturnType<typeof runScenario>>;
  try {
    outcome = await runScenario({ target, scenario, seed, file, out, reporter, forPeople: true });
  } finally {
    reporter.end();
  }
  const { runDir, results } = outcome;
  process.stdout.write(formatSummary(runDir.dir, results));
  const replay = `paychaos run ${file} --seed ${seed}${bugs.map((bug) => ` --bank-bug ${bug}`).join('')}`;
  process.stdout.write(`  reproduce: ${replay}\n`);
  const report = join(runDir.dir, 'report.html');
  if (existsSync(report)) process.stdout.write(`  report: ${report}\n`);
  return results.valid;
}
