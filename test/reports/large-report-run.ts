/**
 * Makes the run directory docs/reports.md measures the report on: the benchmark's 1,000,000-op
 * bank history (bench/generate-bank-history.ts, seed 1, the options of bench/run.ts), and, with
 * --lost N, the ledger entries of N acknowledged transfers spread evenly over the run removed, so
 * the balance checker finds N lost payments (and the ledger mismatches they leave) all along it.
 *   node --import tsx test/reports/large-report-run.ts /tmp/big-run --lost 60
 *   /usr/bin/time -v node bin/paychaos.js report /tmp/big-run
 *   node --import tsx test/reports/measure-load.ts /tmp/big-run/report.html
 */
import { createReadStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateBankHistory } from '../../bench/generate-bank-history.ts';

const OPS_COUNT = 1_000_000;
const LOST_MAX = 10_000;

function parseArguments(): { dir: string; lost: number } {
  const [dir, flag, count] = process.argv.slice(2);
  if (dir === undefined) throw new Error('usage: large-report-run.ts <dir> [--lost N]');
  if (flag === undefined) return { dir, lost: 0 };
  const lost = Number(count);
  if (flag !== '--lost' || !Number.isSafeInteger(lost) || lost < 0 || lost > LOST_MAX) {
    throw new Error(`--lost: expected an integer from 0 to ${LOST_MAX}, got "${count}"`);
  }
  return { dir, lost };
}

async function* lines(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of reader) yield line;
}

/** The ids of acknowledged transfers, in history order (a completion has no value: its invoke's). */
async function acknowledgedTransfers(file: string): Promise<string[]> {
  const ids: string[] = [];
  const invoked = new Map<number, string>();
  for await (const line of lines(file)) {
    if (!line.includes('"f":"transfer"')) continue;
    const op = JSON.parse(line) as { process: number; type: string; value?: { id: string } };
    if (op.type === 'invoke' && op.value !== undefined) invoked.set(op.process, op.value.id);
    else if (op.type === 'ok') ids.push(invoked.get(op.process) ?? '');
  }
  return ids.filter((id) => id !== '');
}

async function removeLedgerEntries(source: string, target: string, ids: Set<string>) {
  const out: string[] = [];
  for await (const line of lines(source)) {
    if (!line.includes('"f":"ledger"')) {
      out.push(line);
      continue;
    }
    const op = JSON.parse(line) as { value: { entries: { tx: string }[] } };
    op.value.entries = op.value.entries.filter((entry) => !ids.has(entry.tx));
    out.push(JSON.stringify(op));
  }
  writeFileSync(target, `${out.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { dir, lost } = parseArguments();
  mkdirSync(dir, { recursive: true });
  const history = join(dir, 'history.jsonl');
  const generated = lost === 0 ? history : join(dir, 'generated.jsonl');
  generateBankHistory({
    file: generated,
    opsCount: OPS_COUNT,
    accountsCount: 100,
    processesCount: 32,
    readFraction: 0.1,
    unknownFraction: 0.01,
    seed: 1,
    regions: ['ap-northeast-1', 'ap-northeast-3'],
  });
  if (lost > 0) {
    const acknowledged = await acknowledgedTransfers(generated);
    const step = Math.floor(acknowledged.length / lost);
    const chosen = new Set(Array.from({ length: lost }, (_, n) => acknowledged[n * step] ?? ''));
    await removeLedgerEntries(generated, `${history}.tmp`, chosen);
    renameSync(`${history}.tmp`, history);
    rmSync(generated);
  }
  console.log(`${history}: ${OPS_COUNT} ops, ${lost} acknowledged transfers lost`);
}

await main();
