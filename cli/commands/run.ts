/**
 * `paychaos run <scenario.ts> [--target sim] [--seed N] [--out DIR] [--bank-bug FLAG]...`: runs a
 * scenario, writing the run directory of design.md as it goes (the history is appended while the
 * run runs, so a crash keeps everything up to it), then judges the history with every checker that
 * applies, writes results.json, prints the summary and exits by the verdict.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Validity } from '../../checkers/checker.ts';
import { BUG_FLAGS, type BugFlag } from '../../scenarios/bug-flags.ts';
import { loadScenario } from '../../scenarios/load-scenario.ts';
import type { ResolvedScenario } from '../../scenarios/resolved-scenario.ts';
import type { SimProgress } from '../../targets/sim/run-simulation.ts';
import { usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { RUN } from '../command-table.ts';
import { executeSimRun } from '../execute-sim-run.ts';
import { makeDirectories } from '../output-path.ts';
import { formatSummary } from '../summary.ts';

const TARGETS = ['sim'];

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

function progressPrinter(): (progress: SimProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastPhase = '';
  return (progress) => {
    const faults = progress.faultsActive.length > 0 ? progress.faultsActive.join(', ') : 'none';
    const line = `${progress.phase}: ${(progress.simulatedMs / 1000).toFixed(1)} s simulated, ${Math.round(progress.opsPerSec)} ops/s, faults active: ${faults}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (progress.phase !== lastPhase) process.stderr.write(`paychaos run: ${line}\n`);
    lastPhase = progress.phase;
  };
}

function withBugs(scenario: ResolvedScenario, bugs: BugFlag[]): ResolvedScenario {
  const merged = [...new Set([...scenario.bank.bugs, ...bugs])];
  return { ...scenario, bank: { ...scenario.bank, bugs: merged } };
}

export async function runRun({ values, positionals }: CommandInput<typeof RUN>): Promise<Validity> {
  const target = values.target ?? 'sim';
  if (!TARGETS.includes(target)) {
    throw usageError(
      `paychaos run: --target ${target}: expected ${TARGETS.join(' or ')} (the simulator is the target built so far)`,
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
  makeDirectories(out);
  const { runDir, results } = await executeSimRun({
    scenario,
    seed,
    file,
    out,
    onProgress: progressPrinter(),
  });
  process.stdout.write(formatSummary(runDir.dir, results));
  const replay = `paychaos run ${file} --seed ${seed}${bugs.map((bug) => ` --bank-bug ${bug}`).join('')}`;
  process.stdout.write(`  reproduce: ${replay}\n`);
  const report = join(runDir.dir, 'report.html');
  if (existsSync(report)) process.stdout.write(`  report: ${report}\n`);
  return results.valid;
}
