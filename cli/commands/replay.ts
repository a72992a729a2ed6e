/**
 * `paychaos replay <run-dir> [--out DIR]`: runs a simulator run again from its run.json — the
 * resolved scenario and the seed recorded there, not the scenario file, which may have changed
 * since — and holds the new history to the old one byte for byte. The replay is written beside
 * the original and leaves `<out>/latest` where it was, so replaying `runs/latest` twice replays
 * the same run. Exit by the verdict when they
 * match; 70 naming the first differing line when they do not (the simulator broke its promise).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Validity } from '../../checkers/checker.ts';
import { makeDirectories } from '../../lib/output-path.ts';
import type { RunRecord } from '../../run/run-record.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { PAYCHAOS_VERSION } from '../../run/version.ts';
import { CliError, dataError, noInputError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { REPLAY } from '../command-specs.ts';
import { EXIT_SOFTWARE } from '../exit-codes.ts';
import { firstDifferentLine } from '../first-difference.ts';
import { cliRunReporter } from '../run-reporter.ts';
import { formatSummary } from '../summary.ts';

function readRecord(runDir: string): RunRecord {
  const file = join(runDir, 'run.json');
  if (!existsSync(file))
    throw noInputError(`paychaos replay: ${runDir}: not a run directory (no run.json in it)`);
  let record: Partial<RunRecord>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Partial<RunRecord>;
  } catch (error) {
    throw dataError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (record.target !== 'sim')
    throw dataError(
      `${file}: field "target": expected "sim" (only simulator runs replay), got ${JSON.stringify(record.target)}`,
    );
  if (!Number.isSafeInteger(record.seed))
    throw dataError(`${file}: field "seed": expected an integer`);
  if (typeof record.resolvedScenario !== 'object' || record.resolvedScenario === null) {
    throw dataError(`${file}: field "resolvedScenario": expected the scenario the run ran`);
  }
  return record as RunRecord;
}

export async function runReplay({
  values,
  positionals,
}: CommandInput<typeof REPLAY>): Promise<Validity> {
  const original = positionals[0]!;
  if (!existsSync(original) || !statSync(original).isDirectory()) {
    throw noInputError(`paychaos replay: ${original}: no such run directory`);
  }
  const record = readRecord(original);
  const originalHistory = join(original, 'history.jsonl');
  if (!existsSync(originalHistory))
    throw noInputError(`paychaos replay: ${original}: no history.jsonl to compare with`);
  // <out>/<scenario>/<run>: the replay lands beside the original (latest is a symlink: resolve it).
  const out = values.out ?? dirname(dirname(realpathSync(original)));
  makeDirectories(out);
  const { runDir, results } = await runScenario({
    target: simTarget,
    scenario: record.resolvedScenario,
    seed: record.seed,
    file: record.file,
    out,
    reporter: cliRunReporter('replay', simTarget.name, false),
    forPeople: true,
    leaveLatest: true,
  });
  const line = firstDifferentLine(originalHistory, runDir.historyFile);
  if (line !== null) {
    const versions =
      record.version === PAYCHAOS_VERSION
        ? ''
        : ` (recorded by paychaos ${record.version}, replayed by ${PAYCHAOS_VERSION})`;
    throw new CliError(
      `paychaos replay: ${runDir.historyFile}:${line} differs from ${originalHistory}:${line}: the replay is not byte-identical${versions}`,
      EXIT_SOFTWARE,
    );
  }
  process.stdout.write(formatSummary(runDir.dir, results));
  process.stdout.write(`  replay: byte-identical to ${originalHistory}\n`);
  return results.valid;
}
